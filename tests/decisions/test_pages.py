"""The staff pages that record a decision on one of the customer's cases and change
it while it is a draft or ready: refusals beside the field, nothing written but the
audited refusal, and a bounded number of queries."""

from datetime import date

import pytest
from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.decisions import services
from cma.decisions.models import AffectedParty, Decision, State
from tests.decisions.conftest import confirmed_call

GOOD = {"kind": "care", "reasons": "The care nights changed.", "effective_on": "2026-12-14"}


@pytest.fixture
def staff(officer):
    client = Client()
    client.force_login(officer)
    return client


def _rows(after: int):
    return list(AuditRecord.objects.filter(pk__gt=after).values_list("action", "outcome"))


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_CMA_6_the_customer_page_links_to_record_a_decision_on_each_case(staff, case):
    body = staff.get(f"/customers/{case.payee_id}/").content.decode()
    assert f"/decisions/new/{case.payee_id}/?case={case.pk}" in body


def test_CMA_6_recording_a_decision_on_the_page_affects_both_parties(staff, case, officer):
    page = staff.get(f"/decisions/new/{case.payer_id}/?case={case.pk}")
    assert page.status_code == 200
    assert f'<option value="{case.pk}" selected>' in page.content.decode()
    before = _head()
    response = staff.post(f"/decisions/new/{case.payer_id}/", {**GOOD, "case": case.pk})
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == f"/decisions/{decision.pk}/"
    assert decision.decision_maker == officer and decision.state == State.DRAFT
    assert decision.effective_on == date(2026, 12, 14)
    parties = set(AffectedParty.objects.values_list("customer_id", flat=True))
    assert parties == {case.payer_id, case.payee_id}
    assert _rows(before) == [("decisions.decision.created", Outcome.OK)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reasons": "   "}, "reasons", "Document the reasons for the decision"),
        ({"kind": "nonsense"}, "kind", "Choose a kind"),
        ({"case": "999999"}, "case", "Choose a case"),
        ({"effective_on": "31/02/2026"}, "effective_on", "Enter a valid date"),
    ],
)
def test_CMA_6_a_bad_decision_form_is_refused_beside_the_field_and_writes_nothing(
    staff, case, change, field, message
):
    before = _head()
    response = staff.post(f"/decisions/new/{case.payer_id}/", {**GOOD, "case": case.pk, **change})
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body
    assert not Decision.objects.exists()
    assert [o for _, o in _rows(before)] == [Outcome.REFUSED]


def test_CMA_6_a_case_of_another_customer_cannot_be_chosen(staff, case):
    from tests.factories import CaseFactory

    other = CaseFactory()
    response = staff.post(f"/decisions/new/{case.payer_id}/", {**GOOD, "case": other.pk})
    assert response.status_code == 422 and not Decision.objects.exists()


def test_CMA_6_a_draft_is_changed_on_its_edit_page(staff, decision):
    page = staff.get(f"/decisions/{decision.pk}/edit/")
    assert page.status_code == 200 and "The care arrangements changed" in page.content.decode()
    before = _head()
    response = staff.post(
        f"/decisions/{decision.pk}/edit/",
        {"kind": "income", "reasons": "Income was reassessed.", "effective_on": "2027-01-04"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.kind, decision.reasons) == ("income", "Income was reassessed.")
    assert decision.effective_on == date(2027, 1, 4)
    assert _rows(before) == [("decisions.decision.updated", Outcome.OK)]


def test_CMA_6_editing_a_finalised_decision_is_refused_with_a_readable_message(
    staff, decision, case, officer
):
    for n, customer in enumerate((case.payer, case.payee)):
        call = confirmed_call(customer, officer, line=f"p{n}")
        services.record_explanation(
            decision=decision, interaction=call, customer=customer, actor=officer
        )
    services.mark_ready(decision=decision, actor=officer)
    services.finalise(decision=decision, actor=officer)
    page = staff.get(f"/decisions/{decision.pk}/edit/").content.decode()
    assert "it can no longer be changed" in page and "Save the changes" not in page
    before = _head()
    response = staff.post(f"/decisions/{decision.pk}/edit/", {**GOOD, "kind": "income"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "The decision is finalised; it can no longer be edited." in body
    decision.refresh_from_db()
    assert decision.kind == "change-of-assessment"
    assert _rows(before) == [("decisions.decision.updated", Outcome.REFUSED)]


def test_CMA_6_only_the_decision_maker_may_change_it(decision, case):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role=decision.decision_maker.role))
    response = client.post(f"/decisions/{decision.pk}/edit/", GOOD)
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.kind == "change-of-assessment"


def test_CMA_6_the_decision_form_s_queries_are_the_same_for_one_and_five_cases(
    staff, case, decision, django_assert_max_num_queries
):
    """The form lists the customer's cases; the page and its edit page stay flat (the
    decision page, the explanation screen and the list: test_awaiting_page.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CaseFactory

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(url).status_code == 200
        return len(queries)

    one = count(f"/decisions/new/{case.payer_id}/")
    for _ in range(4):
        CaseFactory(payer=case.payer)
    with django_assert_max_num_queries(one):
        body = staff.get(f"/decisions/new/{case.payer_id}/").content.decode()
    assert body.count("<option value=") >= 5
    # Recording and changing a decision: the door, the guard, the write and its row.
    with django_assert_max_num_queries(40):
        staff.post(f"/decisions/new/{case.payer_id}/", {**GOOD, "case": case.pk})
    with django_assert_max_num_queries(40):
        staff.post(f"/decisions/{decision.pk}/edit/", {**GOOD, "kind": "income"})


def test_CMA_6_CON_4_the_contact_attempt_route_from_the_decision_page(
    staff, decision, case, officer
):
    from cma.contact import services as contact
    from cma.contact.models import ContactPlan, PlanState

    before = _head()
    url = f"/decisions/{decision.pk}/route/{case.payee_id}/"
    assert staff.post(url).status_code == 302
    plan = ContactPlan.objects.get()
    assert (plan.customer_id, plan.subject) == (case.payee_id, decision.subject)
    assert _rows(before) == [("contact.plan.created", Outcome.OK)]
    page = staff.get(f"/decisions/{decision.pk}/").content.decode()
    assert "every available number" in page and "Issue the MX1-1 letter" not in page
    before = _head()
    early = staff.post(url + "letter/")  # the calls are still owed: refused, nothing issued
    assert early.status_code >= 400 and "call" in early.content.decode()
    assert [o for _, o in _rows(before)] == [Outcome.REFUSED]
    contact.record_attempt(
        plan=plan, actor=officer, channel="phone", number_type="mobile", outcome="no-answer"
    )
    page = staff.get(f"/decisions/{decision.pk}/").content.decode()
    assert "Issue the MX1-1 letter" in page
    assert staff.post(url + "letter/").status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.LETTER_ISSUED
    page = staff.get(f"/decisions/{decision.pk}/").content.decode()
    assert "Completed without reaching them" in page
