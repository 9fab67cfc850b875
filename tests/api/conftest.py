"""Tokens for the standing users, and a client whose every API answer is checked against the
OpenAPI schema the API publishes (a test fails on an answer the schema does not describe)."""

import json
import re

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from plans.api.site import api
from plans.services.api_tokens import api_token_create

# As openapi.json publishes it (JSON: the status codes become text).
SCHEMA = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), default=str))


def _operations():
    """Return [(compiled path pattern, method, operation)] of the schema."""
    found = []
    for path, methods in SCHEMA["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method, operation in methods.items():
            found.append((pattern, method.upper(), operation))
    return found


OPERATIONS = _operations()


def check_against_schema(method: str, path: str, response) -> None:
    """Fail unless ``response`` is described by its operation's answer of its status."""
    if response.status_code != 304:
        assert response["Content-Type"].startswith("application/json")
    matches = [op for pattern, op_method, op in OPERATIONS
               if pattern.match(path) and op_method == method]
    if not matches:
        # An address or method the API does not have: still a JSON error, never HTML.
        body = json.loads(response.content)
        assert set(body) >= {"detail", "detail_en"}
        return
    [operation] = matches
    if response.status_code == 304:
        assert response.content == b""
        return
    answers = operation["responses"]
    assert str(response.status_code) in answers, (
        f"{method} {path} answered {response.status_code}, not in the schema"
    )
    schema = answers[str(response.status_code)]["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": SCHEMA["components"]}).validate(
        json.loads(response.content)
    )


class ApiClient:
    """A test client for the API: sends the token, checks every answer against the schema."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token
        self.checked = 0

    def _headers(self, token, headers):
        headers = dict(headers or {})
        token = self.token if token is None else token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def request(self, method: str, path: str, *, body=None, raw=None, token=None,
                headers=None):
        headers = self._headers(token, headers)
        if method == "GET":
            response = self.client.get(path, headers=headers)
        else:
            data = raw if raw is not None else json.dumps(body)
            response = getattr(self.client, method.lower())(
                path, data=data, content_type="application/json", headers=headers
            )
        check_against_schema(method, path.split("?")[0], response)
        self.checked += 1
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body=body, **kwargs)


def token_for(user, **kwargs) -> str:
    return api_token_create(username=user.username, **kwargs)[1]


@pytest.fixture
def api_client():
    """Return a function making an ApiClient for a token (None: without one)."""
    return ApiClient


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Start each test with empty rate counts (they live in the cache, across tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
