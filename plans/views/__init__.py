"""Views: pages. Parse the request, call a selector or a service, render; no queryset of their
own.

May import: forms, outputs, services, selectors, policy, models, rules, words, files, views,
indicators.models.
"""
