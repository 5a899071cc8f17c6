"""The call screen's contact-attempt plan (CON-1..CON-6) as a page: start a plan for
the call's purpose, record the call as an attempt (outcome and number type, never the
number), the next required step, the pre-call SMS and the MX0-1/MX1-1 letter. Before
the caller's identity is confirmed only the attempt form, without the purpose or the
plan's steps (CON-9). Refusals are shown in the slot and write nothing but their row."""

import re
from html import unescape

import pytest
from django.urls import reverse

import cma.urls  # noqa: F401  (the API's schemas are built before any clock is frozen)
from cma.audit.models import Outcome
from cma.contact import services
from cma.contact.models import ContactAttempt, ContactPlan, Interaction, PlanState, Sms
from cma.letters.models import Letter
from tests.contact.plan_helpers import (
    call_all,
    customer_with,
    head,
    overseas_customer,
    rows_since,
    shift_back,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PURPOSE = "Explain a decision"


def _open(customer, officer, confirm=False, **kw):
    kw = {"direction": "outbound", "channel": "phone", "purpose": "explain-decision", **kw}
    call = services.open_interaction(customer=customer, actor=officer, **kw)
    if confirm:
        answers = {"full-name": customer.full_name, "date-of-birth": "14/03/1985"}
        services.confirm_identity(
            interaction=call, actor=officer, answers={**answers, "crn": customer.crn}
        )
        call.refresh_from_db()
    return call


def _url(name, call):
    return reverse(f"contact:{name}", args=[call.pk])


def _html(response) -> str:
    return unescape(response.content.decode())


def _error(html: str, field_id: str) -> str:
    found = re.search(rf'id="{field_id}_error">(.*?)</p>', html, re.S)
    assert found, f"no error beside {field_id}"
    return re.sub(r"<[^>]+>", "", found.group(1)).replace("Error:", "", 1).strip()


def test_CON_1_a_plan_is_started_for_the_call_s_purpose_and_says_the_next_step(
    officer_client, officer
):
    customer = customer_with("mobile", "home")
    call = _open(customer, officer, confirm=True)
    page = _html(officer_client.get(_url("call", call)))
    assert "No contact-attempt plan for this call" in page
    assert re.search(r'<option value="explain-decision" selected>', page)
    before = head()
    response = officer_client.post(
        _url("plan", call), {"purpose": "explain-decision"}, headers=HTMX
    )
    html = _html(response)
    assert response.status_code == 200 and html.lstrip().startswith("<section")
    assert "Contact-attempt plan started." in html and PURPOSE in html
    assert "Call the customer on every available number: mobile, home" in html
    assert rows_since(before) == [("contact.plan.created", Outcome.OK)]
    # A second plan for the same purpose is refused beside the purpose.
    services.end_interaction(interaction=call, actor=officer, reason="completed")
    call = _open(customer, officer, confirm=True, purpose="request-information")
    response = officer_client.post(
        _url("plan", call), {"purpose": "explain-decision"}, headers=HTMX
    )
    assert "is still open" in _error(_html(response), "id_plan_purpose")
    assert ContactPlan.objects.count() == 1


def test_CON_9_CON_5_before_confirmation_the_call_is_recorded_without_the_purpose(
    officer_client, officer
):
    customer = customer_with("mobile", "home")
    plan = services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call = _open(customer, officer, number_type="mobile")
    html = _html(officer_client.get(_url("call", call)))
    slot = html[html.index('id="slot-plan"') :]
    assert "Record this call as an attempt" in slot
    assert PURPOSE not in html and "Call the customer on every" not in html
    assert 'value="contact-made"' not in slot  # contact made is a confirmed caller
    assert re.search(r'value="mobile" checked', slot)
    before = head()
    response = officer_client.post(
        _url("plan-attempt", call),
        {"plan": plan.pk, "outcome": "no-answer", "number_type": "mobile"},
        headers=HTMX,
    )
    html = _html(response)
    assert "Attempt recorded: no answer." in html and PURPOSE not in html
    attempt = ContactAttempt.objects.get()
    assert (attempt.interaction_id, attempt.channel, attempt.number_type) == (
        call.pk,
        "phone",
        "mobile",
    )
    assert Interaction.objects.get(pk=call.pk).plan_id == plan.pk
    assert rows_since(before) == [("contact.attempt.recorded", Outcome.OK)]
    # Posted anyway, contact made is not a choice before confirmation.
    response = officer_client.post(
        _url("plan-attempt", call),
        {"plan": plan.pk, "outcome": "contact-made", "number_type": "home"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert _error(_html(response), "id_attempt_outcome") == "Choose an outcome from the list"
    assert ContactAttempt.objects.count() == 1


def test_CON_5_a_number_type_the_customer_lacks_is_refused_and_nothing_written(
    officer_client, officer
):
    customer = customer_with("mobile")
    plan = services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call = _open(customer, officer, confirm=True)
    before = head()
    response = officer_client.post(
        _url("plan-attempt", call),
        {"plan": plan.pk, "outcome": "no-answer", "number_type": "work"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "the customer has no work number on record" in _error(
        _html(response), "id_attempt_number_type"
    )
    assert not ContactAttempt.objects.exists()
    assert rows_since(before) == [("contact.attempt.recorded", Outcome.REFUSED)]


def test_CON_6_a_non_preferred_channel_needs_the_reason(officer_client, officer):
    customer = customer_with("mobile", preferred_contact_method="email")
    plan = services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call = _open(customer, officer, confirm=True)
    data = {"plan": plan.pk, "outcome": "contact-made", "number_type": "mobile"}
    response = officer_client.post(_url("plan-attempt", call), data, headers=HTMX)
    assert "not the customer's preferred contact method" in _error(
        _html(response), "id_attempt_non_preferred_reason"
    )
    assert not ContactAttempt.objects.exists()
    data["non_preferred_reason"] = "Urgent: the decision takes effect tomorrow"
    response = officer_client.post(_url("plan-attempt", call), data, headers=HTMX)
    html = _html(response)
    assert "Attempt recorded: contact made." in html and "Contact made" in html
    assert ContactPlan.objects.get().state == PlanState.CONTACTED
    assert ContactAttempt.objects.get().non_preferred


def test_CON_4_when_every_number_failed_the_mx1_1_letter_is_issued(officer_client, officer):
    customer = customer_with("mobile")
    plan = services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call_all(plan, officer, "mobile")
    call = _open(customer, officer, confirm=True)
    html = _html(officer_client.get(_url("call", call)))
    assert "issue an MX1-1 request for contact/information" in html
    assert "Issue the MX1-1 letter" in html
    before = head()
    response = officer_client.post(
        _url("plan-letter", call), {"plan": plan.pk, "template": "MX1-1"}, headers=HTMX
    )
    html = _html(response)
    assert response.status_code == 200
    assert "MX1-1 letter issued, response due" in html
    assert Letter.objects.get().template_code == "MX1-1"
    assert ContactPlan.objects.get().state == PlanState.LETTER_ISSUED
    assert rows_since(before) == [("contact.plan.letter_issued", Outcome.OK)]


def test_CON_4_never_mx1_1_while_an_employer_has_not_complied(officer_client, officer):
    customer = customer_with("mobile")
    plan = services.create_plan(
        customer=customer, actor=officer, purpose="explain-decision", employer_non_compliant=True
    )
    call = _open(customer, officer, confirm=True)
    # Asked for before the calls are made: refused naming CON-4, nothing written.
    before = head()
    response = officer_client.post(
        _url("plan-letter", call), {"plan": plan.pk, "template": "MX1-1"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "CON-4: never issue MX1-1 while an employer has not complied" in _html(response)
    assert not Letter.objects.exists()
    assert rows_since(before) == [("contact.plan.letter_issued", Outcome.REFUSED)]
    # Once every number failed the plan ends unsuccessful: enforcement, no letter.
    response = officer_client.post(
        _url("plan-attempt", call),
        {"plan": plan.pk, "outcome": "no-answer", "number_type": "mobile"},
        headers=HTMX,
    )
    html = _html(response)
    assert "Enforcement / no letter" in html and "Issue the MX1-1 letter" not in html
    assert ContactPlan.objects.get().state == PlanState.UNSUCCESSFUL


def test_CON_2_an_overseas_customer_outside_callable_hours_may_have_mx0_1(officer_client, officer):
    customer = overseas_customer("international", callable=False)
    services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call = _open(customer, officer, confirm=True, number_type="international")
    html = _html(officer_client.get(_url("call", call)))
    assert "issue MX0-1 instead of the first call" in html
    plan = ContactPlan.objects.get()
    response = officer_client.post(
        _url("plan-letter", call), {"plan": plan.pk, "template": "MX0-1"}, follow=True
    )
    assert "MX0-1 letter issued" in _html(response)
    assert ContactPlan.objects.get().state == PlanState.LETTER_ISSUED


def test_CON_3_the_pre_call_sms_of_an_additional_attempt_is_sent(officer_client, officer):
    customer = customer_with("mobile")
    plan = services.create_plan(
        customer=customer, actor=officer, purpose="debt-no-collection-avenue"
    )
    call_all(plan, officer, "mobile")
    shift_back(plan, 25)  # the first additional attempt is due a day after the first call
    call = _open(customer, officer, confirm=True, purpose="debt-no-collection-avenue")
    html = _html(officer_client.get(_url("call", call)))
    assert "send the pre-call SMS" in html and "Send the pre-call SMS" in html
    response = officer_client.post(_url("plan-sms", call), {"plan": plan.pk}, headers=HTMX)
    assert "Pre-call SMS sent to the customer's mobile." in _html(response)
    assert Sms.objects.get().plan_id == plan.pk
    assert ContactAttempt.objects.filter(outcome="sms-sent").count() == 1


def test_SEC_1_another_customer_s_plan_is_not_found_and_audited(officer_client, officer):
    other = services.create_plan(
        customer=customer_with("mobile"), actor=officer, purpose="explain-decision"
    )
    call = _open(customer_with("mobile"), officer, confirm=True)
    before = head()
    response = officer_client.post(
        _url("plan-attempt", call),
        {"plan": other.pk, "outcome": "no-answer", "number_type": "mobile"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "no such contact plan for this call's customer" in _html(response).lower()
    assert not ContactAttempt.objects.exists()
    assert rows_since(before) == [("contact.attempt.recorded", Outcome.REFUSED)]


def test_CON_4_CON_9_the_mx1_1_letter_now_due_is_offered_on_an_unanswered_call(
    officer_client, officer
):
    """An unanswered call is never confirmed: once its attempt was the last one owed,
    the plan slot offers the letter now due, naming no customer, purpose or letter."""
    customer = customer_with("mobile")
    plan = services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call = _open(customer, officer, number_type="mobile")
    html = _html(officer_client.get(_url("call", call)))
    slot = html[html.index('id="slot-plan"') :]
    assert "Record this call as an attempt" in slot and "letter now due" not in slot
    response = officer_client.post(
        _url("plan-attempt", call),
        {"plan": plan.pk, "outcome": "no-answer", "number_type": "mobile"},
        headers=HTMX,
    )
    html = _html(response)
    assert "Issue the contact-attempt letter now due" in html
    for disclosed in (PURPOSE, customer.full_name, customer.crn, "Issue the MX1-1 letter"):
        assert disclosed not in html, disclosed
    before = head()
    response = officer_client.post(
        _url("plan-letter", call), {"plan": plan.pk, "template": "MX1-1"}, headers=HTMX
    )
    html = _html(response)
    assert response.status_code == 200 and "letter issued" in html
    assert PURPOSE not in html and customer.full_name not in html
    assert Letter.objects.get().template_code == "MX1-1"
    assert ContactPlan.objects.get().state == PlanState.LETTER_ISSUED
    assert rows_since(before) == [("contact.plan.letter_issued", Outcome.OK)]
    assert Interaction.objects.get(pk=call.pk).identity != "confirmed"


def test_CON_4_CON_9_no_letter_before_confirmation_while_calls_are_owed(officer_client, officer):
    customer = customer_with("mobile", "home")
    plan = services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call_all(plan, officer, "mobile")  # the home number is still owed
    call = _open(customer, officer, number_type="home")
    slot = _html(officer_client.get(_url("call", call)))
    slot = slot[slot.index('id="slot-plan"') :]
    assert "Record this call as an attempt" in slot
    assert "letter now due" not in slot and "MX1-1" not in slot
    # The same plan on a confirmed call names the step and its letter once it is due.
    call_all(plan, officer, "home")
    services.end_interaction(interaction=call, actor=officer, reason="completed")
    confirmed = _open(customer, officer, confirm=True)
    html = _html(officer_client.get(_url("call", confirmed)))
    assert "Issue the MX1-1 letter" in html and "letter now due" not in html


def test_CON_2_CON_9_mx0_1_is_offered_before_confirmation_when_it_is_the_next_step(
    officer_client, officer
):
    customer = overseas_customer("international", callable=False)
    services.create_plan(customer=customer, actor=officer, purpose="explain-decision")
    call = _open(customer, officer, number_type="international")
    html = _html(officer_client.get(_url("call", call)))
    slot = html[html.index('id="slot-plan"') :]
    assert "Issue the contact-attempt letter now due" in slot
    assert "MX0-1 instead of the first call" not in html and PURPOSE not in html
    plan = ContactPlan.objects.get()
    response = officer_client.post(
        _url("plan-letter", call), {"plan": plan.pk, "template": "MX0-1"}, headers=HTMX
    )
    assert response.status_code == 200 and "MX0-1 letter issued" in _html(response)
    assert ContactPlan.objects.get().state == PlanState.LETTER_ISSUED
