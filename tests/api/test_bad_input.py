"""VAL-1: bad input through the API gets a 4xx in the error shape naming the field,
and changes nothing: every table's row count and the audit trail's head are as before.

NUL and other control characters, ids outside 1..2^63-1, days and moments outside what
the product supports, oversized strings, bodies that are not JSON or not sent as JSON,
and bodies over the size limit. `test_schemathesis.py` fuzzes the same rules over every
operation; these are the cases found by hand, pinned."""

import json
import re

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from cma.audit.models import AuditRecord
from cma.inputs import LINE_PATTERN, MAX_ID, TEXT_PATTERN
from cma.schemas import Line, Text

pytestmark = pytest.mark.django_db

API = "/api/v1"
TOO_BIG = MAX_ID + 1
TOO_SMALL = -(2**63) - 1


def snapshot() -> dict:
    """Row counts of every table of ours, and the newest audit row."""
    counts = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m.__module__.startswith("cma.")
    }
    head = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first()
    return {"counts": counts, "audit_head": head}


@pytest.fixture
def api(office):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {office.tokens['service_officer']}")

    ids = {f"{{{name}}}": pks[0] for name, pks in office.ids.items()}

    def fill(value):
        """ "{customer_id}" and friends, wherever they are, become seeded ids."""
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return ids.get(value, value) if isinstance(value, str) else value

    def call(method: str, path: str, body=None, *, raw: bytes | None = None, **kwargs):
        path = path.format(**{k.strip("{}"): v for k, v in ids.items()})
        if method == "get":
            return client.get(f"{API}{path}", body or {})
        data = raw if raw is not None else json.dumps(fill(body or {}))
        kwargs.setdefault("content_type", "application/json")
        return client.post(f"{API}{path}", data, **kwargs)

    return call


def assert_refused(response, status: int, field: str | None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "field", "details"}
    assert body["field"] == field, body


# (what, method, path, body, field). `{customer_id}` and friends are seeded rows that
# exist, so only the bad value can be the reason for the refusal.
INTRAY = {"customer_id": "{customer_id}", "type_code": "general-follow-up"}
LETTER = {"customer_id": "{customer_id}", "template": "DEC-1", "fields": {}}
ADVICE = "/customers/{customer_id}/decision-advice"
NOTES = "/customers/{customer_id}/notes"
MACRO = {"macro_code": "contact-attempt"}
# fmt: off
BAD_INPUTS = [
    ("NUL in search", "post", "/customers/search", {"query": "mi\x00a"}, "query"),
    ("search too long", "post", "/customers/search", {"query": "m" * 101}, "query"),
    ("limit as text", "post", "/customers/search", {"query": "mia", "limit": "5"}, "limit"),
    ("NUL in outcome", "post", "/intrays/{intray_id}/complete", {"outcome": "ok\x00"}, "outcome"),
    ("bell in reason", "post", "/intrays/{intray_id}/delete", {"reason": "\x07"}, "reason"),
    ("C1 in reason", "post", "/intrays/{intray_id}/delete", {"reason": "a\x85b"}, "reason"),
    ("NUL in note", "post", "/intrays", {**INTRAY, "note": "a\x00"}, "note"),
    ("note too long", "post", "/intrays", {**INTRAY, "note": "n" * 2001}, "note"),
    ("id 2^63", "post", "/intrays", {**INTRAY, "customer_id": TOO_BIG}, "customer_id"),
    ("id < -2^63", "post", "/intrays", {**INTRAY, "customer_id": TOO_SMALL}, "customer_id"),
    ("id 0", "post", "/intrays", {**INTRAY, "customer_id": 0}, "customer_id"),
    ("id true", "post", "/intrays", {**INTRAY, "customer_id": True}, "customer_id"),
    ("owner 2^63", "post", "/intrays", {**INTRAY, "owner_user_id": TOO_BIG}, "owner_user_id"),
    ("due 9999", "post", "/intrays", {**INTRAY, "due_on": "9999-12-31"}, "due_on"),
    ("due 0001", "post", "/intrays", {**INTRAY, "due_on": "0001-01-01"}, "due_on"),
    ("due as number", "post", "/intrays", {**INTRAY, "due_on": 20261201}, "due_on"),
    ("path id 2^63", "get", f"/customers/{TOO_BIG}/notes", None, "customer_id"),
    ("path id 2^64", "get", f"/intrays/{2**64}", None, "intray_id"),
    ("path id 0", "get", "/letters/0", None, "letter_id"),
    ("NUL in subject filter", "get", NOTES, {"subject": "a\x00b"}, "subject"),
    ("filter day 9999", "get", NOTES, {"date_from": "9999-01-01"}, "date_from"),
    ("filter case 2^70", "get", NOTES, {"case_id": str(2**70)}, "case_id"),
    ("NUL in template", "post", "/letters/preview", {**LETTER, "template": "DEC-1\x00"},
     "template"),
    ("NUL in letter field", "post", "/letters", {**LETTER, "fields": {"decision_summary": "\x00"}},
     "fields.decision_summary"),
    ("NUL in field name", "post", "/letters", {**LETTER, "fields": {"a\x00": "x"}}, "fields"),
    ("letter field too long", "post", "/letters",
     {**LETTER, "fields": {"decision_summary": "d" * 2001}}, "fields.decision_summary"),
    ("year 7469, offset -17:50", "post", ADVICE, {"issued_at": "7469-01-04T18:39:58-17:50"},
     "issued_at"),
    ("offset +15:00", "post", ADVICE, {"issued_at": "2026-11-02T09:00:00+15:00"}, "issued_at"),
    ("no offset", "post", ADVICE, {"issued_at": "2026-11-02T09:00:00"}, "issued_at"),
    ("Unix time", "post", ADVICE, {"issued_at": 1793000000}, "issued_at"),
    ("lock reason too long", "post", "/customers/{customer_id}/lock", {"reason": "r" * 301},
     "reason"),
    ("subject too long", "post", NOTES, {"subject": "s" * 121}, "subject"),
    ("tab in subject", "post", NOTES, {"subject": "a\tb"}, "subject"),
    ("macro answer a list", "post", NOTES, {**MACRO, "macro_fields": {"outcome": [1]}},
     "macro_fields.outcome"),
    ("NUL in macro answer", "post", NOTES, {**MACRO, "macro_fields": {"outcome": "a\x00"}},
     "macro_fields.outcome"),
    ("review day 2026-13-01", "post", "/customers/{customer_id}/sensitive-indicators",
     {"kind": "other", "reason": "x", "review_on": "2026-13-01"}, "review_on"),
    ("unknown channel", "post", "/customers/{customer_id}/contact-check", {"channel": "pigeon"},
     "channel"),
    ("approve as 1", "post", "/restricted-service-reviews/{review_id}/decision", {"approve": 1},
     "approve"),
    ("unknown field", "post", "/customers/{customer_id}/lock", {"reason": "r", "x": 1}, "x"),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_VAL_1_bad_input_is_422_naming_the_field_and_changes_nothing(
    api, method, path, body, field
):
    before = snapshot()
    assert_refused(api(method, path, body), 422, field)
    assert snapshot() == before


# (what, raw body, content type, status, field): bodies that are not JSON objects.
# fmt: off
BAD_BODIES = [
    ("not JSON", b"reason=locked", "application/json", 400, "body"),
    ("invalid UTF-8", b'{"reason": "\xff\xfe"}', "application/json", 400, "body"),
    ("form-encoded", b"reason=locked", "application/x-www-form-urlencoded", 415, "body"),
    ("text/plain JSON", b'{"reason": "locked"}', "text/plain", 415, "body"),
    ("lone surrogate", b'{"reason": "\\ud800"}', "application/json", 422, "reason"),
    ("NaN", b'{"reason": NaN}', "application/json", 422, "reason"),
    ("a list", b'["locked"]', "application/json", 422, None),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "body"),
]
# fmt: on


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "field"),
    [case[1:] for case in BAD_BODIES],
    ids=[case[0] for case in BAD_BODIES],
)
def test_VAL_1_a_body_that_is_not_a_json_object_is_refused_and_changes_nothing(
    api, raw, content_type, status, field
):
    before = snapshot()
    response = api("post", "/customers/{customer_id}/lock", raw=raw, content_type=content_type)
    assert_refused(response, status, field)
    assert snapshot() == before


def test_VAL_1_a_body_over_the_size_limit_is_413_and_changes_nothing(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = snapshot()
    body = json.dumps({"reason": "r" * 20_000}).encode()
    response = api("post", "/customers/{customer_id}/lock", raw=body)
    assert_refused(response, 413, None)
    assert response.json()["code"] == "too-large"
    assert snapshot() == before


def test_VAL_1_every_operation_with_a_body_declares_the_statuses_of_bad_input():
    from cma.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    missing = [
        (method, path, status)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if "requestBody" in op
        for status in ("400", "401", "403", "404", "409", "413", "415", "422")
        if status not in {str(code) for code in op["responses"]}
    ]
    assert missing == []


CONTROL = st.characters(codec="utf-8", categories=["Cc"]).filter(lambda c: c not in "\t\n\r")
# (path, body, field): a free-text field of each app, where the control character goes.
# fmt: off
TEXT_FIELDS = [
    ("/customers/search", {"query": "mia"}, "query"),
    ("/intrays/{intray_id}/complete", {"outcome": "Called back"}, "outcome"),
    ("/customers/{customer_id}/notes", {"subject": "Call", "body": "Spoke to them"}, "body"),
    ("/letters/preview", {**LETTER, "fields": {"decision_summary": "Decided"}},
     "fields.decision_summary"),
    ("/customers/{customer_id}/safety/at-risk", {"reason": "Reported"}, "reason"),
]
# fmt: on


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.sampled_from(TEXT_FIELDS),
    char=CONTROL,
    where=st.floats(min_value=0, max_value=1),
)
def test_VAL_1_a_control_character_anywhere_in_text_is_refused_and_changes_nothing(
    api, target, char, where
):
    path, body, field = target
    body = json.loads(json.dumps(body))
    container, key = (body["fields"], "decision_summary") if "." in field else (body, field)
    text = container[key]
    at = int(where * len(text))
    container[key] = text[:at] + char + text[at:]
    before = snapshot()
    assert_refused(api("post", path, body), 422, field)
    assert snapshot() == before


@given(st.text(max_size=40))
def test_VAL_1_the_published_patterns_are_the_rules_the_server_applies(text):
    """What the OpenAPI schema's pattern allows, the validator accepts, and no more."""
    for kind, pattern in ((Line(100), LINE_PATTERN), (Text(100), TEXT_PATTERN)):
        allowed = re.fullmatch(pattern, text) is not None
        try:
            TypeAdapter(kind).validate_python(text)
            accepted = True
        except ValidationError:
            accepted = False
        assert allowed == accepted, (pattern, text)


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _unbounded(schema: dict, node: dict, where: str) -> list[str]:
    """Every string, integer and object in an input, with what bounds it missing."""
    node = _resolve(schema, node)
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            found += _unbounded(schema, option, where)
    kind = node.get("type")
    if kind == "string" and "enum" not in node and "const" not in node:
        bounded = "maxLength" in node or node.get("format") in ("date", "date-time")
        if not bounded or "pattern" not in node:
            found.append(f"{where}: string without a length and a pattern")
    elif kind == "integer" and ("minimum" not in node or "maximum" not in node):
        found.append(f"{where}: integer without minimum and maximum")
    elif kind == "array":
        if "maxItems" not in node:
            found.append(f"{where}: array without maxItems")
        found += _unbounded(schema, node.get("items", {}), f"{where}[]")
    elif kind == "object":
        for name, prop in node.get("properties", {}).items():
            found += _unbounded(schema, prop, f"{where}.{name}")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in node:
                found.append(f"{where}: object without maxProperties")
            found += _unbounded(schema, node.get("propertyNames", {"type": "string"}), where)
            found += _unbounded(schema, extra, f"{where}.*")
    return found


def test_VAL_1_every_input_of_every_operation_is_bounded():
    """New operations join automatically: every path, query and body input uses the
    shared types of `cma.schemas` (ids 1..2^63-1, text with a length and a pattern that
    refuses control characters, days and moments with their pattern)."""
    from cma.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    found = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            for param in op.get("parameters", []):
                found += _unbounded(schema, param["schema"], f"{where} {param['name']}")
            for content in op.get("requestBody", {}).get("content", {}).values():
                found += _unbounded(schema, content["schema"], f"{where} body")
    assert found == []
