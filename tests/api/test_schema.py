"""Properties of the whole API, walked from its OpenAPI schema (AUTH-2, API-2, PRV-1,
PRV-2) so that new endpoints are covered the day they are added."""

import re

import pytest
from django.test import Client

from cma.api import api

pytestmark = pytest.mark.django_db

OPEN_OPERATIONS = {("get", "/api/v1/health")}  # the allow-list of unauthenticated operations
SENSITIVE_PARAMETERS = {"name", "dob", "crn", "phone", "address"}
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def _url(path: str, value: str = "999999") -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _call(client, method: str, path: str, **headers):
    if method == "get":
        return client.get(_url(path), **headers)
    return getattr(client, method)(_url(path), "{}", content_type="application/json", **headers)


def test_the_schema_has_the_foundation_operations():
    found = {(m, p) for m, p, _ in _operations()}
    assert {
        ("post", "/api/v1/customers/search"),
        ("get", "/api/v1/customers/{customer_id}"),
        ("get", "/api/v1/cases/{case_id}"),
        ("post", "/api/v1/imports"),
        ("get", "/api/v1/health"),
    } <= found


def test_AUTH_2_every_operation_outside_the_allow_list_declares_security():
    unsecured = [
        (method, path)
        for method, path, op in _operations()
        if not op.get("security") and (method, path) not in OPEN_OPERATIONS
    ]
    assert unsecured == []


def test_PRV_1_no_personal_information_in_query_or_path_parameters():
    offending = []
    for method, path, op in _operations():
        for param in op.get("parameters", []):
            name = param["name"].lower()
            if param["in"] in ("query", "path") and (
                name in SENSITIVE_PARAMETERS
                or any(word in name.split("_") for word in SENSITIVE_PARAMETERS)
            ):
                offending.append((method, path, param["name"]))
    assert offending == []


def test_PRV_1_searches_use_post():
    search_ops = [(m, p) for m, p, _ in _operations() if "search" in p]
    assert search_ops and all(m == "post" for m, _ in search_ops)


@pytest.mark.parametrize("auth", [None, "Bearer cma_invalid-token-0000"])
def test_API_2_every_protected_operation_refuses_missing_or_invalid_credentials(auth):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    accepted = []
    for method, path, _ in _operations():
        if (method, path) in OPEN_OPERATIONS:
            continue
        response = _call(client, method, path, **headers)
        if response.status_code != 401:
            accepted.append((method, path, response.status_code))
        elif response["Cache-Control"] != "no-store":
            accepted.append((method, path, "cacheable 401"))
    assert accepted == []


def test_PRV_2_every_authenticated_api_response_is_no_store(officer):
    client = Client()
    client.force_login(officer)
    missing = []
    for method, path, _ in _operations():
        response = _call(client, method, path)
        if response.get("Cache-Control") != "no-store":
            missing.append((method, path, response.status_code))
    for extra in ("/api/v1/openapi.json", "/api/v1/docs"):
        if client.get(extra).get("Cache-Control") != "no-store":
            missing.append(("get", extra, "docs"))
    assert missing == []


def test_the_served_schema_has_no_duplicate_keys(client, officer):
    """Swagger UI parses the schema as YAML and refuses a repeated key ("duplicated
    mapping key"): an int and a str status code both serialise as "200"."""
    import json

    client.force_login(officer)
    text = client.get("/api/v1/openapi.json").content.decode()
    repeated = []

    def no_repeats(pairs):
        keys = [k for k, _ in pairs]
        repeated.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    json.loads(text, object_pairs_hook=no_repeats)
    assert repeated == []


def test_SES_4_the_schema_names_the_session_cookie_the_server_sets(settings):
    from cma.api import SessionAuth

    schemes = api.get_openapi_schema()["components"]["securitySchemes"]
    assert schemes["SessionAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": settings.SESSION_COOKIE_NAME,
    }
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"  # production's name
    assert SessionAuth().openapi_security_schema["name"] == "__Host-sessionid"


def test_api_docs_page_declares_its_language_and_loads_no_inline_script(client, officer):
    client.force_login(officer)
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en-AU">' in html and "<title>" in html
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>", html)
    assert " style=" not in html and "<style" not in html


def test_API_2_no_two_schemas_share_a_name():
    """The OpenAPI components are keyed by class name: a second `TransferIn` silently
    replaced the first, and clients were told the wrong body for one of them."""
    import importlib
    import pkgutil

    import ninja

    import cma

    for info in pkgutil.walk_packages(cma.__path__, "cma."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        if info.name.rsplit(".", 1)[-1].startswith(("schemas", "api")):
            importlib.import_module(info.name)
    seen: dict[str, str] = {}
    clashes = []

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("cma."):
                where = f"{sub.__module__}.{sub.__qualname__}"
                if sub.__name__ in seen and seen[sub.__name__] != where:
                    clashes.append((seen[sub.__name__], where))
                seen.setdefault(sub.__name__, where)
            walk(sub)

    walk(ninja.Schema)
    assert clashes == []
