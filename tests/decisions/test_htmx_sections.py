"""CMA-6, CON-17: the decision page's moves and checklist, and the explanation screen's
record, each update their own section over htmx (the other part of the decision page
out of band), 422 with the refusal swapped in; without JavaScript a redirect."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.contact.models import ContactPlan
from cma.decisions.models import AffectedParty, Decision, State
from tests.decisions.conftest import confirmed_call

HTMX = {"HX-Request": "true"}


@pytest.fixture
def staff(officer):
    client = Client()
    client.force_login(officer)
    return client


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows(after: int):
    return list(AuditRecord.objects.filter(pk__gt=after).values_list("action", "outcome"))


def test_CMA_6_a_refused_finalisation_swaps_the_moves_with_who_is_missing(staff, decision):
    before = _head()
    response = staff.post(f"/decisions/{decision.pk}/finalise/", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert body.lstrip().startswith('<section id="decision-moves"')
    assert "This cannot be done yet" in body
    assert "the payer (customer" in body and "the payee (customer" in body
    # The checklist comes along out of band, so the page stays one story.
    oob = 'id="decision-checklist" aria-labelledby="decision-checklist-heading" hx-swap-oob="true"'
    assert oob in body
    assert "<html" not in body
    assert _rows(before) == [("decisions.decision.finalised", Outcome.REFUSED)]
    response = staff.post(f"/decisions/{decision.pk}/ready/", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "The decision is ready." in body
    assert 'id="decision-state">Ready to finalise<' in body
    assert Decision.objects.get(pk=decision.pk).state == State.READY


def test_CMA_6_without_javascript_a_move_redirects_or_shows_the_page(staff, decision):
    response = staff.post(f"/decisions/{decision.pk}/ready/")
    assert response.status_code == 302 and response.url == f"/decisions/{decision.pk}/"
    refused = staff.post(f"/decisions/{decision.pk}/finalise/")
    assert refused.status_code == 422 and "<html" in refused.content.decode()


def test_CMA_6_CON_4_the_route_swaps_the_checklist_and_a_refusal_shows_in_it(staff, decision, case):
    url = f"/decisions/{decision.pk}/route/{case.payee_id}/"
    response = staff.post(url, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="decision-checklist"')
    assert "Contact-attempt plan started" in body and "every available number" in body
    assert 'id="decision-moves" aria-labelledby="decision-moves-heading" hx-swap-oob="true"' in body
    assert ContactPlan.objects.get().subject == decision.subject
    before = _head()
    early = staff.post(url + "letter/", headers=HTMX)  # the calls are still owed
    body = early.content.decode()
    assert early.status_code == 422 and body.lstrip().startswith('<section id="decision-checklist"')
    assert "This cannot be done yet" in body and "MX1-1" in body
    assert [o for _, o in _rows(before)] == [Outcome.REFUSED]


def test_CON_17_the_explanation_screen_records_over_htmx_in_its_own_section(
    staff, decision, case, officer
):
    url = f"/decisions/{decision.pk}/explanation/{case.payer_id}/record/"
    response = staff.post(url, {"answer": "Understood"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert body.lstrip().startswith('<section id="explanation-record"')
    assert "Open a call with the customer and confirm their identity" in body
    confirmed_call(case.payer, officer)
    response = staff.post(url, {"disagreed": "on"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 422 and 'id="id_review_option_error"' in body
    before = _head()
    response = staff.post(
        url,
        {"disagreed": "on", "review_option": "objection", "answer": "Will object"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith(
        '<section id="explanation-record"'
    )
    assert "The explanation is recorded." in body and "Yes, call " in body
    assert "Record the explanation</button>" not in body
    assert AffectedParty.objects.get(decision=decision, customer=case.payer).explained
    assert _rows(before) == [("decisions.decision.explained", Outcome.OK)]
    # The other party's record is not in the payer's section (CON-17).
    assert case.payee.full_name not in body and case.payee.crn not in body
