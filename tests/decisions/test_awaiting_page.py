"""CMA-6: the decision maker's list of their decisions awaiting explanation, as a page:
every decision in draft, ready, or finalised and not notified, each affected customer's
status by role (explained, the contact-attempt route's next step, or missing), sorted
on the server by the effective date; one audited read, no customer's details, and a
number of queries that stays the same however many decisions, explanations and
attempts there are (the decision page too)."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services as contact
from cma.decisions import services
from cma.staff.models import Role
from tests.decisions.conftest import confirmed_call, end_call
from tests.factories import CaseFactory, ContactDetailFactory, CustomerFactory, UserFactory


@pytest.fixture
def staff(officer):
    client = Client()
    client.force_login(officer)
    return client


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows(after: int):
    return list(AuditRecord.objects.filter(pk__gt=after).values_list("action", "outcome"))


def _decision(officer, case=None, days=0, kind="care"):
    case = case or CaseFactory()
    return services.create_decision(
        case=case,
        actor=officer,
        kind=kind,
        reasons="The care arrangements changed after the review.",
        effective_on=date(2026, 12, 14) + timedelta(days=days),
    )


def _explain(decision, customer, officer, line):
    call = confirmed_call(customer, officer, line=line)
    services.record_explanation(
        decision=decision, interaction=call, customer=customer, actor=officer
    )
    end_call(call, officer)


def _route(decision, customer, officer, attempts=1):
    plan = contact.create_plan(
        customer=customer,
        actor=officer,
        purpose="explain-decision",
        case=decision.case,
        subject=decision.subject,
    )
    for _ in range(attempts):
        contact.record_attempt(
            plan=plan, actor=officer, channel="phone", number_type="mobile", outcome="no-answer"
        )
    return plan


def _row_of(body: str, decision) -> str:
    found = re.search(rf'<tr[^>]*id="decision-row-{decision.pk}">(.*?)</tr>', body, re.S)
    assert found, f"decision {decision.pk} is not listed"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1)))


def _order(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="decision-row-(\d+)"', body)]


def test_CMA_6_the_list_shows_each_open_decision_with_every_customer_s_status(
    staff, officer, other_officer, case
):
    drafted = _decision(officer, case, days=3)
    halfway = _decision(officer, days=1)
    _explain(halfway, halfway.case.payer, officer, "a1")
    ContactDetailFactory(customer=halfway.case.payee, kind="mobile", number="+61491570188")
    _route(halfway, halfway.case.payee, officer, attempts=0)
    final = _decision(officer, days=2)
    for n, customer in enumerate((final.case.payer, final.case.payee)):
        _explain(final, customer, officer, f"f{n}")
    services.mark_ready(decision=final, actor=officer)
    services.finalise(decision=final, actor=officer)
    notified = _decision(officer, days=4)
    for n, customer in enumerate((notified.case.payer, notified.case.payee)):
        _explain(notified, customer, officer, f"n{n}")
    services.mark_ready(decision=notified, actor=officer)
    services.finalise(decision=notified, actor=officer)
    services.notify(decision=notified, actor=officer)
    someone_else = _decision(other_officer)

    before = _head()
    response = staff.get("/decisions/")
    assert response.status_code == 200
    assert _rows(before) == [("decisions.awaiting.listed", Outcome.OK)]
    body = response.content.decode()
    # Sorted by the effective date, soonest first; notified and others' decisions left out.
    assert _order(body) == [halfway.pk, final.pk, drafted.pk]
    assert someone_else.pk not in _order(body) and notified.pk not in _order(body)
    assert "The payer: missing, no contact attempts" in _row_of(body, drafted)
    assert "2 to explain" in _row_of(body, drafted)
    row = _row_of(body, halfway)
    assert "The payer: explained" in row
    assert "The payee: missing, contact attempts in progress, next: Call the customer" in row
    assert "1 to explain" in row
    row = _row_of(body, final)
    assert "Finalised" in row and "to explain" not in row
    # By role only: no customer's name, reference or address.
    for customer in (case.payer, case.payee, halfway.case.payee):
        for sentinel in (customer.family_name, customer.crn, customer.address_line):
            assert sentinel not in body, sentinel
    # The navigation leads here, marked as the current page.
    assert 'aria-current="page"' in body and "My decisions" in body


def test_CMA_6_the_list_is_sorted_on_the_server_by_effective_date_either_way(staff, officer):
    made = [_decision(officer, days=d) for d in (5, 1, 3)]
    by_date = [made[1].pk, made[2].pk, made[0].pk]
    body = staff.get("/decisions/?sort=effective&order=asc").content.decode()
    assert _order(body) == by_date
    sorted_by = (
        r'aria-sort="ascending"><a class="govuk-link" href="\?sort=effective&amp;order=desc"'
    )
    assert re.search(sorted_by, body)
    body = staff.get("/decisions/?sort=effective&order=desc").content.decode()
    assert _order(body) == by_date[::-1]
    assert 'aria-sort="descending"' in body
    body = staff.get("/decisions/?sort=created").content.decode()
    assert _order(body) == [d.pk for d in made]
    # An unknown sort is the default, not an error.
    body = staff.get("/decisions/?sort=%00nonsense&order=sideways").content.decode()
    assert _order(body) == by_date


def test_AC_2_CMA_6_a_customer_the_maker_may_no_longer_see_is_a_restricted_record(
    staff, officer, case
):
    from cma.notes import services as notes

    decision = _decision(officer, case)
    notes.mark_at_risk(
        customer=case.payee, actor=UserFactory(role=Role.PS_CASE_MANAGER), reason="Violence"
    )
    row = _row_of(staff.get("/decisions/").content.decode(), decision)
    assert "The payee: restricted record" in row
    assert "The payer: missing" in row


def test_CMA_6_an_empty_list_says_so(staff):
    body = staff.get("/decisions/").content.decode()
    assert "You have no decisions waiting to be explained or notified." in body


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _busy_decision(officer, n: int, attempts: int):
    """A decision with its payer explained and its payee on the contact-attempt route."""
    payer = CustomerFactory(role="payer")
    payee = CustomerFactory(role="payee")
    for customer in (payer, payee):
        ContactDetailFactory(customer=customer, kind="mobile")
    decision = _decision(officer, CaseFactory(payer=payer, payee=payee), days=n)
    _explain(decision, payer, officer, f"q{n}")
    _route(decision, payee, officer, attempts=attempts)
    return decision


def test_CMA_6_the_list_s_queries_are_the_same_for_one_and_for_five_decisions(
    staff, officer, django_assert_max_num_queries
):
    _busy_decision(officer, 0, attempts=1)
    one = _count(staff, "/decisions/")
    for n in range(1, 5):
        _busy_decision(officer, n, attempts=n + 1)
    with django_assert_max_num_queries(one):
        body = staff.get("/decisions/").content.decode()
    assert len(_order(body)) == 5
    assert _count(staff, "/decisions/") == one


def test_CMA_6_the_decision_page_s_queries_are_the_same_for_one_and_five_attempts_and_explanations(
    staff, officer, django_assert_max_num_queries
):
    """A decision affects exactly its case's two parties; what grows is their calls,
    explanations and attempts, and the decision maker's other decisions."""
    small = _busy_decision(officer, 0, attempts=1)
    one = _count(staff, f"/decisions/{small.pk}/")
    big = _busy_decision(officer, 1, attempts=5)
    for n in range(4):  # more explained decisions on the same parties' cases
        other = _decision(officer, CaseFactory(payer=big.case.payer, payee=big.case.payee))
        _explain(other, big.case.payer, officer, f"x{n}")
    with django_assert_max_num_queries(one):
        assert staff.get(f"/decisions/{big.pk}/").status_code == 200
    assert _count(staff, f"/decisions/{big.pk}/") == one
    # The explanation screen and the edit page do not grow either.
    screen = _count(staff, f"/decisions/{small.pk}/explanation/{small.case.payee_id}/")
    assert _count(staff, f"/decisions/{big.pk}/explanation/{big.case.payee_id}/") == screen
    edit = _count(staff, f"/decisions/{small.pk}/edit/")
    assert _count(staff, f"/decisions/{big.pk}/edit/") == edit
