"""VAL-1 on the staff pages: control characters, ids beyond 2^63 and days outside
1900-2099 in any form or URL give a page with the problem (or 404), never a 500, and
change nothing. SEC-1: a refusal of an out-of-range id is still audited."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord
from tests.api.test_bad_input import snapshot

pytestmark = pytest.mark.django_db

HUGE = 2**70
CUSTOMER = "/customers/{customer_id}"
# (what, method, url, data)
# fmt: off
BAD_PAGE_INPUTS = [
    ("NUL in search", "post", "/customers/search/", {"query": "mi\x00a"}),
    ("customer 2^70", "get", f"/customers/{HUGE}/", {}),
    ("letter 2^70", "get", f"/letters/{HUGE}/download/", {}),
    ("intray 2^70", "get", f"/work/intrays/{HUGE}/", {}),
    ("NUL in template", "get", "/letters" + CUSTOMER + "/new/", {"template": "DEC-1\x00"}),
    ("NUL in previewed template", "post", "/letters" + CUSTOMER + "/preview/",
     {"template": "DEC-1\x00"}),
    ("NUL in letter field", "post", "/letters" + CUSTOMER + "/preview/",
     {"template": "DEC-1", "decision_summary": "a\x00", "review_options": "b"}),
    ("NUL in macro", "get", "/notes" + CUSTOMER + "/new/", {"macro": "contact-attempt\x00"}),
    ("NUL in note", "post", "/notes" + CUSTOMER + "/new/", {"subject": "a\x00", "body": "b"}),
    ("NUL in notes filter", "get", "/notes" + CUSTOMER + "/", {"subject": "\x00"}),
    ("notes from 9999", "get", "/notes" + CUSTOMER + "/", {"date_from": "9999-01-01"}),
    ("intray due 9999", "post", "/work" + CUSTOMER + "/intrays/new/",
     {"type_code": "general-follow-up", "due_on": "9999-12-31", "note": "x"}),
    ("intray case 2^70", "post", "/work" + CUSTOMER + "/intrays/new/",
     {"type_code": "general-follow-up", "case": str(HUGE)}),
    ("NUL in outcome", "post", "/work/intrays/{intray_id}/complete/", {"outcome": "\x00"}),
    ("reassign due 9999", "post", "/work/intrays/{intray_id}/assign/",
     {"owner": "me", "due_on": "9999-12-31"}),
    ("NUL in lock reason", "post", "/work" + CUSTOMER + "/transfer/", {"reason": "\x00"}),
    ("NUL in routing issue", "post", "/work" + CUSTOMER + "/route/", {"issues": ["\x00"]}),
    ("review on 9999", "post", "/notes" + CUSTOMER + "/indicators/",
     {"kind": "other", "reason": "x", "review_on": "9999-01-01"}),
    ("interaction 2^70", "get", f"/contact/interactions/{HUGE}/", {}),
    ("identity of interaction 2^70", "post", f"/contact/interactions/{HUGE}/identity/",
     {"q_crn": "x"}),
    ("NUL in receipt", "post", "/contact/receipts/", {"receipt": "4KQ7\x00M2XD"}),
    ("note on interaction 2^70", "post", f"/contact/interactions/{HUGE}/notes/",
     {"subject": "a", "body": "b"}),
    ("message on interaction 2^70", "post", f"/contact/interactions/{HUGE}/messages/",
     {"recipient": "third-party", "template": "third-party-callback"}),
    ("SMS on interaction 2^70", "post", f"/contact/interactions/{HUGE}/sms/",
     {"template_code": "pre-call"}),
    ("advice on interaction 2^70", "post", f"/contact/interactions/{HUGE}/transfer-advice/",
     {"issue": "general-enquiry"}),
    ("transfer of interaction 2^70", "post", f"/contact/interactions/{HUGE}/transfer/",
     {"target": "external", "organisation": "ato"}),
    ("warning on interaction 2^70", "post", f"/contact/interactions/{HUGE}/warning/",
     {"behaviour": "shouting"}),
    ("hold of interaction 2^70", "post", f"/contact/interactions/{HUGE}/hold/", {}),
    ("end of interaction 2^70", "post", f"/contact/interactions/{HUGE}/end/",
     {"reason": "completed"}),
    ("acknowledge notification 2^70", "post", f"/contact/notifications/{HUGE}/acknowledge/", {}),
    ("NUL in call party", "post", "/contact" + CUSTOMER + "/start/",
     {"direction": "inbound", "channel": "phone", "who": "customer\x00"}),
    ("decision for customer 2^70", "get", f"/decisions/new/{HUGE}/", {}),
    ("decision 2^70 edit", "get", f"/decisions/{HUGE}/edit/", {}),
    ("NUL in decision reasons", "post", "/decisions" + "/new/{customer_id}/",
     {"kind": "care", "reasons": "a\x00", "effective_on": "2026-12-14"}),
    ("decision on 9999", "post", "/decisions" + "/new/{customer_id}/",
     {"kind": "care", "reasons": "a", "effective_on": "9999-01-01"}),
    ("decision case 2^70", "post", "/decisions" + "/new/{customer_id}/",
     {"case": str(HUGE), "kind": "care", "reasons": "a", "effective_on": "2026-12-14"}),
    ("NUL in decision kind", "post", f"/decisions/{HUGE}/edit/", {"kind": "care\x00"}),
]
# fmt: on


@pytest.fixture
def officer_pages(office):
    client = Client(raise_request_exception=True)
    client.force_login(office.users["service_officer"])
    ids = {name: pks[0] for name, pks in office.ids.items()}
    return client, ids


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [case[1:] for case in BAD_PAGE_INPUTS],
    ids=[case[0] for case in BAD_PAGE_INPUTS],
)
def test_VAL_1_bad_page_input_is_a_4xx_or_a_form_error_and_changes_nothing(
    officer_pages, method, url, data
):
    client, ids = officer_pages
    before = snapshot()
    response = getattr(client, method)(url.format(**ids), data)
    assert response.status_code < 500
    # Pages that show a customer audit the read (AUD-1); nothing else may change.
    audit = "audit.AuditRecord"
    assert {**snapshot()["counts"], audit: 0} == {**before["counts"], audit: 0}


def test_SEC_1_refusal_of_a_customer_id_beyond_2_63_is_still_audited(office):
    client = Client()
    client.force_login(office.users["auditor"])
    before = AuditRecord.objects.count()
    response = client.get(f"/customers/{HUGE}/")
    assert response.status_code in (403, 404)
    row = AuditRecord.objects.order_by("-id").first()
    assert AuditRecord.objects.count() == before + 1
    assert row.outcome == "refused"
    assert row.customer_id is None
    assert row.changes["customer_id"] == str(HUGE)
