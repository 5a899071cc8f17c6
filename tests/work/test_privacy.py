"""Intray text passes the personal-information guard like notes (DOC-3), and every
page and answer about an at-risk customer's work shows the Separating Safely warning:
the intray page, the next-work result, my work and the team queue (DOC-6)."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from cma.audit.models import AuditRecord, Outcome
from cma.notes import services as notes
from cma.privacy.separating import BANNER
from cma.work import services
from cma.work.models import Escalation, Intray, IntrayEvent
from tests.factories import CaseFactory, CustomerFactory
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db
BANNER_HTML = escape(BANNER)
FLAG = "cma-safety-flag"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def party(db):
    """A customer on a case, with known details the guard refuses (DOC-3)."""
    customer = CustomerFactory(given_names="Jordan", family_name="Mackenzie")
    customer.phones.create(kind="mobile", number="+61412555019")
    CaseFactory(payer=customer)
    return customer


# --- DOC-3: the guard over intray text -------------------------------------------------

TEXTS = [
    ("phone", "Call her on 0413 222 901 after 5.", "0413 222 901"),
    ("email", "Send it to jo@example.com today.", "jo@example.com"),
    ("address", "Visit 7/21 Beach Road first.", "7/21 Beach Road"),
    ("name", "Ask Jordan Mackenzie for payslips.", "Jordan Mackenzie"),
    ("phone", "Their mobile 0412 555 019 is wrong.", "0412 555 019"),
]


def _api_writes(party, intray):
    kind = {"type_code": "general-follow-up"}
    return {
        "create": ("/api/v1/intrays", {"customer_id": party.pk, **kind}, "note"),
        "follow-up": (f"/api/v1/intrays/{intray.pk}/follow-ups", kind, "note"),
        "complete": (f"/api/v1/intrays/{intray.pk}/complete", {}, "outcome"),
        "delete": (f"/api/v1/intrays/{intray.pk}/delete", {}, "reason"),
        "assign": (f"/api/v1/intrays/{intray.pk}/assign", {"owner_area": "mainstream"}, "reason"),
    }  # fmt: skip


def _state(intray) -> tuple:
    intray = Intray.objects.get(pk=intray.pk)
    return (
        Intray.objects.count(),
        IntrayEvent.objects.count(),
        (intray.status, intray.owner_key, intray.note, intray.outcome, intray.deleted_reason),
    )


@pytest.mark.parametrize("kind,text,span", TEXTS, ids=[f"{t[0]}-{i}" for i, t in enumerate(TEXTS)])
@pytest.mark.parametrize("write", ["create", "follow-up", "complete", "delete", "assign"])
def test_DOC_3_intray_text_with_personal_information_is_refused_with_its_span(
    login, officer, party, write, kind, text, span
):
    intray = services.create_intray(
        customer=party, type_code="general-follow-up", actor=officer, owner_user=officer
    )
    url, payload, field = _api_writes(party, intray)[write]
    before = _state(intray)
    response = login(officer).post(url, {**payload, field: text}, content_type="application/json")
    body = response.json()
    assert response.status_code == 422 and body["code"] == "personal-information", body
    assert body["field"] == field
    assert [(d["kind"], text[d["start"] : d["end"]]) for d in body["details"]] == [(kind, span)]
    assert span not in json.dumps(body)  # positions and hints, never the text
    assert _state(intray) == before
    row = AuditRecord.objects.latest("id")
    assert row.outcome == Outcome.REFUSED and span not in json.dumps([row.reason, row.changes])


def test_DOC_3_intray_pages_mark_what_was_found(login, officer, party):
    c = login(officer)
    response = c.post(
        reverse("work:intray-new", args=[party.pk]),
        {"type_code": "general-follow-up", "owner": "me", "note": "Ring 0413 222 901 today"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert '<mark title="phone">0413 222 901</mark>' in html
    assert "\u201c0413 222 901\u201d" in html and "attempted to contact on mobile" in html
    assert not Intray.objects.exists()
    intray = services.create_intray(
        customer=party, type_code="general-follow-up", actor=officer, owner_user=officer
    )
    for action, field in (("complete", "outcome"), ("delete", "reason"), ("assign", "reason")):
        form = {field: "Emailed jo@example.com", "owner": "area:mainstream"}
        response = c.post(reverse("work:intray-action", args=[intray.pk, action]), form)
        assert response.status_code == 422, action
        assert '<mark title="email">jo@example.com</mark>' in response.content.decode(), action
    assert Intray.objects.get(pk=intray.pk).status == "open"


def test_DOC_3_clean_intray_text_is_kept(officer, party):
    intray = services.create_intray(
        customer=party,
        type_code="general-follow-up",
        actor=officer,
        owner_user=officer,
        note="Check the payer's income estimate; receipt 2026110300123; $1,200.50 paid.",
    )
    services.complete_intray(
        intray=intray, actor=officer, outcome="Attempted to contact on mobile."
    )
    assert Intray.objects.get(pk=intray.pk).status == "completed"


# --- DOC-6: the warning on every page that shows an at-risk customer's work ------------


@pytest.fixture
def at_risk_customer(ps_case_manager):
    customer = CustomerFactory()
    notes.mark_at_risk(customer=customer, actor=ps_case_manager, reason="Family violence")
    return customer


def _main(html: str) -> str:
    return html[html.index('<main id="main"') :]


def test_DOC_6_the_intray_page_shows_the_warning_first(login, ps_case_manager, at_risk_customer):
    intray = IntrayFactory(customer=at_risk_customer, owner_user=ps_case_manager)
    main = _main(
        login(ps_case_manager).get(reverse("work:intray", args=[intray.pk])).content.decode()
    )
    assert BANNER_HTML in main and 'class="icon"' in main
    assert main.index(BANNER_HTML) < main.index("<h1") < main.index(at_risk_customer.crn)


def test_DOC_6_no_warning_for_work_of_a_customer_not_at_risk(login, officer, customer):
    intray = IntrayFactory(customer=customer, owner_user=officer)
    c = login(officer)
    assert BANNER_HTML not in c.get(reverse("work:intray", args=[intray.pk])).content.decode()
    assert FLAG not in c.get(reverse("work:my-work")).content.decode()


def test_DOC_6_get_next_work_shows_the_warning(login, ps_case_manager, at_risk_customer):
    IntrayFactory(customer=at_risk_customer, owner_user=ps_case_manager)
    IntrayFactory(customer=at_risk_customer, owner_user=ps_case_manager)
    c = login(ps_case_manager)
    result = c.post(reverse("work:next"), HTTP_HX_REQUEST="true").content.decode()
    assert BANNER_HTML in result and 'class="icon"' in result
    assert result.index(BANNER_HTML) < result.index(at_risk_customer.crn)
    # Without htmx the officer lands on the intray page, which opens with the warning.
    page = c.post(reverse("work:next"), follow=True).content.decode()
    assert BANNER_HTML in _main(page)


def test_DOC_6_the_api_says_when_work_is_for_an_at_risk_customer(
    login, ps_case_manager, at_risk_customer, customer
):
    IntrayFactory(customer=at_risk_customer, owner_user=ps_case_manager, due_on=date.today())
    IntrayFactory(customer=customer, owner_user=ps_case_manager)
    api = login(ps_case_manager)
    taken = api.post("/api/v1/work/next").json()
    assert taken["customer_id"] == at_risk_customer.pk and taken["separating_safely"] is True
    mine = {
        i["customer_id"]: i["separating_safely"]
        for i in api.get("/api/v1/work/mine").json()["items"]
    }
    assert mine == {at_risk_customer.pk: True, customer.pk: False}


def _work_for(team, officer, customers, per_customer=3):
    for c in customers:
        for _ in range(per_customer):
            IntrayFactory(customer=c, owner_user=officer)
            IntrayFactory(customer=c, owner_team=team)


def test_DOC_6_my_work_rows_flag_at_risk_customers_in_bounded_queries(
    login, officer, team, ps_case_manager, django_assert_max_num_queries
):
    at_risk = [CustomerFactory() for _ in range(3)]
    for c in at_risk:
        notes.mark_at_risk(customer=c, actor=ps_case_manager, reason="Family violence")
    safe = [CustomerFactory() for _ in range(3)]
    c = login(officer)
    _work_for(team, officer, at_risk[:1] + safe[:1], per_customer=1)
    with django_assert_max_num_queries(40) as few:
        c.get(reverse("work:my-work"))
    _work_for(team, officer, at_risk + safe)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = c.get(reverse("work:my-work")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    rows = page[page.index('id="mine-heading"') :].split("<tr")[2:]
    assert len(rows) == 2 + 3 * 6
    for row in rows:
        flagged = any(c.crn in row for c in at_risk)
        assert (FLAG in row) is flagged, row


def test_DOC_6_team_queue_rows_and_escalations_flag_at_risk_customers(
    login, officer, team, team_leader, ps_case_manager, django_assert_max_num_queries
):
    at_risk = [CustomerFactory() for _ in range(2)]
    for c in at_risk:
        notes.mark_at_risk(customer=c, actor=ps_case_manager, reason="Family violence")
    safe = CustomerFactory()
    c = login(team_leader)
    _work_for(team, officer, [at_risk[0], safe], per_customer=1)
    with django_assert_max_num_queries(40) as few:
        c.get(reverse("work:team-queue"))
    _work_for(team, officer, [*at_risk, safe])
    late = IntrayFactory(
        customer=at_risk[1], owner_user=officer, due_on=date.today() - timedelta(days=2)
    )
    Escalation.objects.create(
        intray=late, due_on=late.due_on, team=team, area=team.business_area, leader=team_leader
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(reverse("work:team-queue")).content.decode()
    escalated = page[page.index('id="esc-heading"') : page.index('id="queue-heading"')]
    assert FLAG in escalated and at_risk[1].crn in escalated
    rows = page[page.index('id="queue-heading"') :].split("<tr")[2:]
    assert len(rows) == 4 + 3 * 6 + 1
    for row in rows:
        assert (FLAG in row) is any(c.crn in row for c in at_risk), row
    # The row after a re-assignment from the queue's form keeps the flag.
    item = Intray.objects.filter(customer=at_risk[0], owner_team=team).first()
    moved = c.post(
        reverse("work:team-reassign"), {"owner": f"user:{officer.pk}", "only": f"{item.pk}:0"}
    )
    assert moved.status_code == 302
    redrawn = c.get(moved["Location"]).content.decode()
    row = redrawn[redrawn.index(f'id="intray-row-{item.pk}"') :].split("</tr>")[0]
    assert FLAG in row
    api = c.get("/api/v1/work/team-queue").json()
    assert api["escalations"][0]["separating_safely"] is True
