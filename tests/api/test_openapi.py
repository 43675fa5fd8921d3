"""The OpenAPI document describes every operation's errors as problem+json."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_docs_are_served_with_their_assets_from_here_not_a_cdn():
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset  # nothing from another host
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset


def test_every_operation_documents_its_errors_as_problem_json():
    schema = Client().get("/api/v1/openapi.json").json()
    problem = schema["components"]["schemas"]["Problem"]
    assert {"code", "detail", "status", "title"} <= set(problem["required"])
    seen = list(operations(schema))
    assert len(seen) >= 6
    for name, operation in seen:
        errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
        if operation.get("security"):
            assert "401" in errors, name  # anything that needs credentials can refuse them
        if operation.get("parameters"):
            assert "422" in errors, name  # anything that takes input can reject it
        if "requestBody" in operation:
            # a body can be unreadable, too large, or not of the schema
            assert {"400", "413", "422"} <= set(errors), name
            if operation.get("security"):
                assert "403" in errors, name  # a signed-in browser's POST without its CSRF token
        for status, response in errors.items():
            content = response["content"]
            assert list(content) == ["application/problem+json"], (name, status)
            assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
