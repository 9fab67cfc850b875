"""The API's documentation page: every endpoint of the OpenAPI schema, rendered on the server.

No script and no CDN: the page is the project's own template and stylesheet, read from the same
schema as ``openapi.json``.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from plans.api.site import api

METHODS = ("get", "post", "put", "patch", "delete")


@require_safe
def api_docs(request):
    """Show each endpoint: method, address, summary, parameters and answers."""
    schema = api.get_openapi_schema(path_prefix=request.path.rsplit("docs", 1)[0].rstrip("/"))
    endpoints = []
    for path, operations in schema["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            endpoints.append({
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {"name": parameter["name"], "where": parameter["in"],
                     "required": parameter.get("required", False)}
                    for parameter in operation.get("parameters", [])
                ],
                "has_body": "requestBody" in operation,
                "statuses": sorted(operation.get("responses", {})),
            })
    return render(request, "plans/api_docs.html", {
        "title": schema["info"]["title"], "version": schema["info"]["version"],
        "endpoints": endpoints,
    })
