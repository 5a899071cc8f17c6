"""CON-1..CON-6: contact-attempt plans through the services — the first call on every
number, MX0-1 for overseas customers, additional attempts with pre-call SMS, MX1-1
(never with employer non-compliance), the record of each attempt and non-preferred
contact. The API and the sweep are in test_plans_api.py and test_plans_sweep.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.contact import plan_selectors, services
from cma.contact.errors import PlanClosed, PlanExists, PlanRefused
from cma.contact.models import ContactAttempt, ContactPlan, PlanState
from cma.customers.models import agency_today
from cma.letters.models import Letter
from cma.notes import services as notes
from cma.notes.services._common import add_months
from cma.privacy.errors import PersonalInformationFound
from cma.work import services as work
from tests.contact.plan_helpers import (
    attempt,
    call_all,
    customer_with,
    head,
    overseas_customer,
    rows_since,
    shift_back,
    status_of,
)
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

EXPLAIN = "explain-decision"  # no additional attempts
DEBT = "debt-no-collection-avenue"  # 2 additional attempts over 48 hours


def _plan(customer, actor, purpose=EXPLAIN, **kw):
    return services.create_plan(customer=customer, actor=actor, purpose=purpose, **kw)


# --- CON-1: phone first, on every available number ----------------------------------


def test_CON_1_the_first_call_is_owed_on_every_available_number(officer):
    customer = customer_with("home", "mobile", "work")
    plan = _plan(customer, officer)
    status = status_of(plan)
    assert plan.state == PlanState.OPEN and plan.next_due_at == plan.created_at
    step = status.next_step
    assert step.kind == "call" and step.number_types == ("mobile", "home", "work")
    assert step.text == "Call the customer on every available number: mobile, home, work"
    attempt(plan, officer, "home")
    step = status_of(plan).next_step
    assert step.number_types == ("mobile", "work") and "already tried: home" in step.text


def test_CON_1_a_customer_with_a_relay_need_is_called_through_nrs(officer):
    customer = customer_with("mobile", "home", relay_need="nrs")
    plan = _plan(customer, officer)
    step = status_of(plan).next_step
    assert step.text == "Call the customer on every available number: mobile, home (NRS needed)"
    assert step.channels == ("nrs", "tty")
    attempt(plan, officer, "mobile", channel="phone")  # recorded, but not the way to call
    status = status_of(plan)
    assert "CON-1" in status.attempts[0].note and status.attempts[0].counted_for == ""
    attempt(plan, officer, "mobile", channel="nrs")
    assert status_of(plan).next_step.number_types == ("home",)


def test_CON_1_a_number_counts_once_in_a_round(officer):
    plan = _plan(customer_with("mobile", "home"), officer)
    attempt(plan, officer, "mobile")
    attempt(plan, officer, "mobile", outcome="engaged")
    status = status_of(plan)
    assert [c.counted_for for c in status.attempts] == ["First call", ""]
    assert "already tried" in status.attempts[1].note
    assert status.next_step.number_types == ("home",)


def test_CON_1_CON_4_when_every_number_fails_mx1_1_is_next(officer):
    plan = _plan(customer_with("mobile", "home"), officer)
    call_all(plan, officer, "mobile", "home")
    plan.refresh_from_db()
    status = status_of(plan)
    assert status.required_attempts_done and not status.completed_unsuccessful
    assert status.next_step.kind == "letter-mx1-1"
    assert "account-query" in status.next_step.text  # the purpose's pre-approved reason
    assert plan.state == PlanState.OPEN and plan.next_due_at is not None


def test_CON_1_contact_made_closes_the_plan(officer):
    plan = _plan(customer_with("mobile", "home"), officer)
    attempt(plan, officer, "mobile", outcome="contact-made")
    plan.refresh_from_db()
    assert plan.state == PlanState.CONTACTED and plan.closed_at and plan.next_due_at is None
    assert not plan_selectors.has_completed_plan(plan.customer, "")
    with pytest.raises(PlanClosed):
        attempt(plan, officer, "home")


# --- CON-2: MX0-1 instead of the first call ----------------------------------------


def test_CON_2_an_overseas_customer_outside_callable_hours_may_have_mx0_1(officer):
    customer = overseas_customer("international", callable=False)
    plan = _plan(customer, officer, subject="decision:7")
    step = status_of(plan).next_step
    assert step.kind == "letter-mx0-1" and "08:00 to 20:00 their time" in step.text
    letter = services.issue_plan_letter(plan=plan, actor=officer, template="MX0-1")
    assert letter.template_code == "MX0-1"
    plan.refresh_from_db()
    assert plan.state == PlanState.LETTER_ISSUED and plan.letter_id == letter.pk
    stand_in = ContactAttempt.objects.get(plan=plan)
    assert stand_in.outcome == "letter-issued" and stand_in.number_type == ""
    assert status_of(plan).completed_unsuccessful
    assert plan_selectors.has_completed_plan(customer, "decision:7")


def test_CON_2_mx0_1_is_refused_within_hours_at_home_and_when_calls_are_owed(officer):
    cases = [
        (overseas_customer("international", callable=True), EXPLAIN, "callable hours"),
        (customer_with("mobile"), EXPLAIN, "only for customers who live overseas"),
        (overseas_customer("international", callable=False), DEBT, "CON-3"),
    ]
    for customer, purpose, expected in cases:
        plan = _plan(customer, officer, purpose=purpose)
        assert status_of(plan).next_step.kind == "call"
        before = head()
        with pytest.raises(PlanRefused, match=expected):
            services.issue_plan_letter(plan=plan, actor=officer, template="MX0-1")
        assert rows_since(before) == [("contact.plan.letter_issued", Outcome.REFUSED)]
    assert not Letter.objects.exists()


# --- CON-3: additional attempts with a pre-call SMS --------------------------------


def test_CON_3_two_more_attempts_over_48_hours_each_after_a_pre_call_sms(officer):
    plan = _plan(customer_with("mobile", "home"), officer, purpose=DEBT)
    assert [s.label for s in status_of(plan).unmet] == [
        "First call",
        "Additional attempt 1 of 2",
        "Additional attempt 2 of 2",
        "MX1-1 letter",
    ]
    call_all(plan, officer, "mobile", "home")
    first_failed = ContactAttempt.objects.filter(plan=plan).latest("at").at
    plan.refresh_from_db()
    # Attempt k is due from the first failed round + k * 48 h / 2.
    assert plan.next_due_at == first_failed + timedelta(hours=24)
    status = status_of(plan)
    assert status.next_step.kind == "wait" and status.next_step.then == "sms"
    shift_back(plan, 25)
    assert status_of(plan).next_step.kind == "sms"
    attempt(plan, officer, "mobile", channel="sms", outcome="sms-sent")
    call_all(plan, officer, "mobile", "home")
    plan.refresh_from_db()
    second = status_of(plan)
    assert second.rounds[1].done_at and second.rounds[1].sms_at
    assert plan.next_due_at == first_failed - timedelta(hours=25) + timedelta(hours=48)
    shift_back(plan, 24)
    attempt(plan, officer, "mobile", channel="sms", outcome="sms-sent")
    call_all(plan, officer, "mobile", "home")
    final = status_of(plan)
    assert final.required_attempts_done and final.next_step.kind == "letter-mx1-1"
    assert [c.counted_for for c in final.attempts].count("Additional attempt 2 of 2") == 3
    # Each pre-call SMS recorded was really queued, with the policy's text.
    texts = list(plan.sms.values_list("template", "text"))
    assert len(texts) == 2 and all(code == "pre-call" and "call" in t for code, t in texts)


def test_CON_3_calls_before_the_pre_call_sms_or_before_the_due_time_do_not_count(officer):
    plan = _plan(customer_with("mobile"), officer, purpose=DEBT)
    attempt(plan, officer, "mobile")
    attempt(plan, officer, "mobile")  # too early for additional attempt 1
    assert "was due from" in status_of(plan).attempts[1].note
    shift_back(plan, 30)
    attempt(plan, officer, "mobile")  # due, but the pre-call SMS comes first
    status = status_of(plan)
    assert "CON-3" in status.attempts[2].note
    assert status.next_step.kind == "sms"


def test_CON_3_without_a_mobile_no_pre_call_sms_is_owed(officer):
    plan = _plan(customer_with("home"), officer, purpose=DEBT)
    attempt(plan, officer, "home")
    shift_back(plan, 25)
    status = status_of(plan)
    assert status.next_step.kind == "call" and not status.rounds[1].pre_call_sms


# --- CON-4: MX1-1 when attempts fail, never with employer non-compliance -------------


def test_CON_4_failed_attempts_issue_mx1_1_with_the_purposes_reason_and_due_date(officer):
    from cma.letters.services import office_state, response_dates

    customer = customer_with("mobile")
    plan = _plan(customer, officer, purpose="request-information", subject="decision:3")
    attempt(plan, officer, "mobile")
    letter = services.issue_plan_letter(plan=plan, actor=officer, template="MX1-1")
    assert letter.fields == {"reason": "income-details", "request_type": "information-request"}
    _reply_by, due = response_dates(
        letter.template, letter.fields, letter.letter_date, office_state(officer)
    )
    assert letter.response_due_on == due and letter.response_intray_id
    plan.refresh_from_db()
    assert plan.state == PlanState.LETTER_ISSUED and plan.closed_at
    assert plan_selectors.has_completed_plan(customer, "decision:3")
    assert not plan_selectors.has_completed_plan(customer, "decision:4")
    # Keep trying while waiting for the reply; reaching them closes it as contacted.
    attempt(plan, officer, "mobile", outcome="contact-made")
    plan.refresh_from_db()
    assert plan.state == PlanState.CONTACTED


def test_CON_4_mx1_1_before_the_attempts_are_made_is_refused(officer):
    plan = _plan(customer_with("mobile", "home"), officer)
    attempt(plan, officer, "mobile")
    with pytest.raises(PlanRefused, match="still owed: Call the customer"):
        services.issue_plan_letter(plan=plan, actor=officer, template="MX1-1")


def test_CON_4_never_mx1_1_while_an_employer_has_not_complied(officer):
    plan = _plan(customer_with("mobile"), officer, employer_non_compliant=True)
    assert status_of(plan).unmet[-1].text.startswith("Enforcement / no letter")
    attempt(plan, officer, "mobile")
    plan.refresh_from_db()
    status = status_of(plan)
    assert plan.state == PlanState.UNSUCCESSFUL and status.completed_unsuccessful
    assert status.next_step.kind == "none" and "Enforcement / no letter" in status.next_step.text
    before = head()
    with pytest.raises(PlanClosed):
        services.issue_plan_letter(plan=plan, actor=officer, template="MX1-1")
    assert rows_since(before) == [("contact.plan.letter_issued", Outcome.REFUSED)]


def test_CON_4_mx1_1_is_refused_naming_con_4_while_the_plan_is_open(officer):
    plan = _plan(customer_with("mobile", "home"), officer, employer_non_compliant=True)
    before = head()
    with pytest.raises(PlanRefused, match="CON-4: never issue MX1-1") as refused:
        services.issue_plan_letter(plan=plan, actor=officer, template="MX1-1")
    assert refused.value.details[0]["field"] == "template"
    assert rows_since(before) == [("contact.plan.letter_issued", Outcome.REFUSED)]
    assert not Letter.objects.exists()


def test_CON_4_attempts_during_the_auto_unlock_period_are_recorded(officer):
    customer = customer_with("mobile")
    work.lock_customer(customer=customer, actor=officer, reason="Decision made")
    lock = work.record_decision_advice_issued(
        customer=customer, issued_at=timezone.now() - timedelta(days=2), actor=officer
    )
    assert lock.expires_at > timezone.now()  # the 14-day auto-unlock is running
    plan = _plan(customer, officer, subject="decision:9")
    recorded = attempt(plan, officer, "mobile")
    assert recorded.pk and ContactAttempt.objects.filter(plan=plan).count() == 1


# --- CON-5: every attempt on record, never the number ------------------------------


def test_CON_5_an_attempt_records_who_when_channel_number_type_and_outcome(officer):
    customer = customer_with("mobile")
    number = customer.phones.get().number
    plan = _plan(customer, officer)
    before = head()
    recorded = attempt(plan, officer, "mobile", outcome="voicemail")
    assert (recorded.officer, recorded.channel, recorded.number_type, recorded.outcome) == (
        officer,
        "phone",
        "mobile",
        "voicemail",
    )
    assert recorded.at and recorded.customer == customer
    row = AuditRecord.objects.get(pk__gt=before)
    assert row.action == "contact.attempt.recorded" and row.changes["number_type"] == "mobile"
    assert number not in str(row.changes) and number[-9:] not in str(row.changes)


def test_CON_5_a_number_type_the_customer_does_not_have_is_refused(officer):
    plan = _plan(customer_with("mobile"), officer)
    before = head()
    for number_type, message in [("work", "no work number on record"), ("fax", "number type")]:
        with pytest.raises(PlanRefused, match=message):
            attempt(plan, officer, number_type)
    with pytest.raises(PlanRefused, match="which type of number"):
        attempt(plan, officer, "")
    assert not ContactAttempt.objects.exists()
    assert [o for _, o in rows_since(before)] == [Outcome.REFUSED] * 3


# --- CON-6: non-preferred contact needs an acknowledgement and reason ----------------


def test_CON_6_a_non_preferred_channel_needs_a_reason(officer):
    customer = customer_with("mobile", preferred_contact_method="email")
    plan = _plan(customer, officer)
    before = head()
    with pytest.raises(PlanRefused, match="CON-6: phone is not the customer's preferred"):
        attempt(plan, officer, "mobile")
    assert rows_since(before) == [("contact.attempt.recorded", Outcome.REFUSED)]
    assert not ContactAttempt.objects.exists()
    recorded = attempt(
        plan, officer, "mobile", non_preferred_reason="Debt is overdue and email went unanswered"
    )
    assert recorded.non_preferred and recorded.non_preferred_reason.startswith("Debt")
    assert AuditRecord.objects.last().changes["non_preferred"] == ["non-preferred"]


def test_CON_6_nrs_counts_as_phone_for_the_preference(officer):
    plan = _plan(customer_with("mobile", relay_need="tty"), officer)
    recorded = attempt(plan, officer, "mobile", channel="tty")
    assert not recorded.non_preferred


def test_CON_6_a_restricted_service_breach_lists_every_unmet_condition(officer, ps_team_leader):
    customer = customer_with("mobile", preferred_contact_method="post")
    notes.create_restricted_service(
        customer=customer,
        actor=ps_team_leader,
        allowed_channels=["post"],
        conditions="Written contact only",
        review_due_on=add_months(agency_today(), 4),
        contact_officer=officer,
    )
    plan = _plan(customer, officer)
    with pytest.raises(PlanRefused) as refused:
        attempt(plan, officer, "home")
    messages = [d["message"] for d in refused.value.details]
    assert len(messages) == 3
    assert "no home number" in messages[0]
    assert "preferred contact method (post)" in messages[1]
    assert "DOC-7: restricted service" in messages[2]
    recorded = attempt(plan, officer, "mobile", non_preferred_reason="Urgent: court date set")
    assert recorded.non_preferred


def test_CON_6_the_reason_is_refused_when_it_holds_a_phone_number(officer):
    plan = _plan(customer_with("mobile", preferred_contact_method="email"), officer)
    with pytest.raises(PersonalInformationFound):
        attempt(plan, officer, "mobile", non_preferred_reason="Rang 0491 570 156 instead")
    assert not ContactAttempt.objects.exists()


# --- Plans: creation, cancelling, reads ----------------------------------------------


def test_an_unknown_purpose_or_a_stranger_case_is_refused_and_audited(officer):
    customer = customer_with("mobile")
    before = head()
    with pytest.raises(PlanRefused) as refused:
        _plan(customer, officer, purpose="chat", case=CaseFactory(), subject="Not A Code")
    assert [d["field"] for d in refused.value.details] == ["purpose", "case_id", "subject"]
    assert rows_since(before) == [("contact.plan.created", Outcome.REFUSED)]
    assert not ContactPlan.objects.exists()


def test_a_second_open_plan_for_the_same_purpose_is_refused(officer):
    customer = customer_with("mobile")
    _plan(customer, officer, subject="decision:1")
    with pytest.raises(PlanExists):
        _plan(customer, officer, subject="decision:1")
    _plan(customer, officer, subject="decision:2")


def test_cancelling_puts_the_reason_on_the_notepad_and_closes_the_plan(officer):
    plan = _plan(customer_with("mobile"), officer)
    before = head()
    services.cancel_plan(plan=plan, actor=officer, reason="The decision was withdrawn")
    plan.refresh_from_db()
    assert plan.state == PlanState.CANCELLED and plan.closed_at and plan.next_due_at is None
    assert plan.customer.notes.get().body == "The decision was withdrawn"
    assert rows_since(before) == [("contact.plan.cancelled", Outcome.OK)]
    assert "withdrawn" not in str(AuditRecord.objects.last().changes)
    with pytest.raises(PlanClosed):
        services.cancel_plan(plan=plan, actor=officer, reason="Again")


def test_every_plan_operation_writes_one_audit_row(officer):
    plan_before = head()
    plan = _plan(customer_with("mobile"), officer, purpose="request-information")
    attempt(plan, officer, "mobile")
    services.issue_plan_letter(plan=plan, actor=officer, template="MX1-1")
    assert [a for a, _ in rows_since(plan_before)] == [
        "contact.plan.created",
        "contact.attempt.recorded",
        "contact.plan.letter_issued",
    ]


def test_plans_for_reads_in_a_bounded_number_of_queries(officer):
    customer = customer_with("mobile", "home")
    first = _plan(customer, officer, subject="decision:1")
    attempt(first, officer, "mobile")
    fresh = type(customer).objects.get(pk=customer.pk)
    with CaptureQueriesContext(connection) as one:
        views = plan_selectors.plans_for(officer, fresh)
    assert len(views) == 1
    for n in range(2, 6):
        more = _plan(customer, officer, subject=f"decision:{n}")
        call_all(more, officer, "mobile", "home")
    fresh = type(customer).objects.get(pk=customer.pk)
    with CaptureQueriesContext(connection) as five:
        views = plan_selectors.plans_for(officer, fresh)
    assert len(views) == 5
    assert len(five.captured_queries) == len(one.captured_queries) <= 12


def test_CON_5_an_attempt_links_the_call_it_was_made_on(officer):
    customer = customer_with("mobile")
    plan = _plan(customer, officer)
    call = services.open_interaction(
        customer=customer, actor=officer, direction="outbound", channel="phone",
        number_type="mobile", purpose=EXPLAIN,
    )  # fmt: skip
    stranger = customer_with("mobile")
    other_plan = _plan(stranger, officer)
    with pytest.raises(PlanRefused, match="another customer"):
        attempt(other_plan, officer, "mobile", interaction=call)
    recorded = attempt(plan, officer, "mobile", interaction=call)
    call.refresh_from_db()
    assert recorded.interaction == call and call.plan == plan
