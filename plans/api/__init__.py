"""The JSON API, version 1 (``/api/v1/``): tokens, schemas, endpoints and their errors.

Built on django-ninja: the routing, the parsing of parameters and bodies, the serialisation of
answers and the OpenAPI schema come from the typed schemas of ``schemas.py``.

- ``site``: the NinjaAPI object, its authentication, rate limit and exception handlers
- ``auth``: the bearer token (``Authorization: Bearer ...``) and the per-token rate limit
- ``errors``: every error as a JSON object with a Vietnamese and an English message
- ``middleware``: the body budget (413) and JSON for the errors Django answers itself
- ``parser``: the JSON body, within its budget, and where it is not JSON
- ``schemas``: the shapes of requests and answers; ``numbers``: figures as JSON numbers
- ``caching``: ETags and 304
- ``provinces``, ``plans``, ``results``, ``indicators``: the endpoints, one module per subject
- ``docs``: the page listing the endpoints, from the schema

Like views: no queryset of its own, and every write goes through a service.

May import: api, services, selectors, outputs, policy, models, rules, words, files,
indicators.models.
"""
