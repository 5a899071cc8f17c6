"""A call from end to end in headless Chromium on the demo office (issue 18, "done
when"): `cma telephony simulate` offers a call from a demo customer's mobile and the
demo officer answers it; the officer opens it from the screen pop in the navigation,
sees only the identity check (CON-9), confirms the caller with their real answers,
writes a note (a phone number in it is marked and refused, DOC-3), starts a
contact-attempt plan and records the call as its attempt (CON-1, CON-5), asks where the
guidelines send the call and is refused a private number (CON-11), puts the caller on
hold (CON-15) and ends the call, which hands the opted-in customer to the survey
(CON-12); the call screen is then its read-only summary. A second call is transferred
to an external organisation by its public number. Every state is checked with axe-core
at 1280 and 320 CSS px, for sideways scrolling, CSP violations and console errors."""

import pytest
from django.core.management import call_command

from cma.contact.models import ContactAttempt, Interaction, Transfer
from cma.notes.models import Note
from tests.browser.test_every_page import (
    LOCKED_TO_OFFICER,
    UNLOCKED,
    assert_no_problems,
    customer,
    demo,  # noqa: F401  (the demo office fixture)
    focused_class,
    sign_in,
    visit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]


def _simulated_call(watched, who, *flags: str) -> Interaction:
    """The platform offers a call from the customer's mobile, with the reference they
    typed in the IVR (the demo's fictional numbers are shared); the officer answers."""
    mobile = who.phones.filter(kind="mobile").first().number
    call_command(
        "telephony",
        "simulate",
        "--officer",
        "officer",
        "--caller",
        mobile,
        "--ivr",
        who.crn,
        *flags,
    )
    call = Interaction.objects.get(customer=who, ended_at=None)
    assert call.attested and call.officer.username == "officer"
    return call


def _pop(watched, found, call) -> str:
    """Open the call from the screen pop ("My live call" in the navigation)."""
    page = watched.page
    visit(watched, found, "/")
    page.wait_for_selector("#live-call-link")
    assert call.receipt in page.inner_text("#live-call-link")
    with page.expect_navigation():
        page.click("#live-call-link")
    path = f"/contact/interactions/{call.pk}/"
    assert page.url == watched.base_url + path
    return path


def _confirm(watched, who) -> None:
    page = watched.page
    page.fill("#identity_q_full_name", who.full_name)
    page.fill("#identity_q_date_of_birth", who.date_of_birth.strftime("%d/%m/%Y"))
    page.fill("#identity_q_crn", who.crn)
    with page.expect_navigation():
        page.click("button:has-text('Check the answers')")
    assert "Identity confirmed for this call" in page.inner_text("main")


def _swap(watched, button: str, result: str, path: str | None = None) -> None:
    """Press a slot's button (htmx posts it); wait for `result`. With `path` the answer
    is the form again with its errors (422)."""
    if path:
        watched.expect(path, 422)
    watched.page.click(button)
    watched.page.wait_for_selector(result)


def test_CON_9_CON_12_CON_15_a_simulated_call_is_answered_noted_and_ended(watched, output_dir):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    who = customer(LOCKED_TO_OFFICER)
    call = _simulated_call(watched, who, "--survey")
    path = _pop(watched, found, call)
    main = page.inner_text("main")
    assert who.family_name not in main and who.crn not in main
    assert page.is_visible("#slot-notes") and not page.is_visible("#slot-plan")
    found += watched.check("simulated call before confirmation")

    _confirm(watched, who)
    assert who.crn in page.inner_text("main")
    assert page.is_visible("#dial-plan-heading")
    found += watched.check("simulated call confirmed")

    # A note with a phone number: refused, the number marked, the summary focused.
    page.fill("#id_note_body", "Asked us to ring 0413 222 901 tomorrow")
    _swap(watched, "button:has-text('Save the note')", "#slot-notes mark", f"{path}notes/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("call note refused")
    page.fill("#id_note_body", "Asked about the next payment; explained the assessment")
    _swap(watched, "button:has-text('Save the note')", "#slot-notes .moj-alert--success")
    assert "explained the assessment" in page.inner_text("#slot-notes")
    assert Note.objects.filter(customer=who, body__contains=call.receipt).count() == 1
    found += watched.check("call note saved")

    # A contact-attempt plan for a purpose, and this call recorded as its attempt.
    page.select_option("#id_plan_purpose", "explain-decision")
    _swap(watched, "button:has-text('Start the plan')", "#plan-next-step")
    assert "every available number" in page.inner_text("#plan-next-step")
    found += watched.check("contact-attempt plan started")
    page.check("#id_attempt_outcome_0")  # contact made
    page.check("#id_attempt_number_type_0")  # mobile
    page.fill("#id_attempt_non_preferred_reason", "The customer called us")
    _swap(watched, "button:has-text('Record the attempt')", "#slot-plan >> text=Attempt recorded")
    assert "Contact made" in page.inner_text("#plan-next-step")
    found += watched.check("plan attempt recorded")

    # Where would the guidelines send a case-management question? The officer owns them.
    page.select_option("#id_transfer_issue", "case-management")
    _swap(watched, "button:has-text('Show where the guidelines send it')", "#transfer-advice")
    assert "rule" in page.inner_text("#transfer-advice")
    found += watched.check("transfer advice")
    # A private number the caller asks for is refused beside the field.
    page.check("#id_transfer_target_2")  # external
    page.fill("#id_transfer_number", "0413 222 901")
    _swap(
        watched,
        "button:has-text('Transfer the call')",
        "#id_transfer_number_error",
        f"{path}transfer/",
    )
    assert "private mobile or landline" in page.inner_text("#id_transfer_number_error")
    found += watched.check("transfer to a private number refused")

    # On hold: the 30-second rule; then the call ends and the survey takes over.
    _swap(watched, "button:has-text('The customer put the call on hold')", "#hold-state")
    assert "30 seconds" in page.inner_text("#hold-state")
    found += watched.check("caller on hold")
    page.check("#id_end_reason_0")  # completed
    page.fill("#id_end_outcome", "Explained the assessment")
    # CMA-1: no Minimum Collection Activity on this call, so the reason is recorded.
    page.fill("#id_end_override_reason", "The caller had to go before we covered it")
    with page.expect_navigation():
        page.click("button:has-text('End the call')")
    assert page.url == watched.base_url + path
    main = page.inner_text("main")
    assert "Call ended" in main and "Customers Having a Say" in main
    assert "Notes written on this call" in main and page.locator("main form").count() == 0
    found += watched.check("call ended: the summary")
    page.screenshot(path=str(output_dir / "call-ended-summary.png"), full_page=True)
    call.refresh_from_db()
    assert call.survey_handed_over and call.end_reason == "completed"
    assert ContactAttempt.objects.get(interaction=call).outcome == "contact-made"
    assert_no_problems(found)


def test_CON_11_a_simulated_call_is_transferred_to_an_organisation_s_public_number(watched):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    who = customer(UNLOCKED)
    call = _simulated_call(watched, who)
    _pop(watched, found, call)
    _confirm(watched, who)
    page.check("#id_transfer_target_2")  # external
    page.check("#id_transfer_organisation_0")  # the first of the catalogue
    page.check("#id_transfer_warm_0")
    with page.expect_navigation():
        page.click("button:has-text('Transfer the call')")
    main = page.inner_text("main")
    assert "Call ended" in main and "warm transfer" in main and "Stay on the line" in main
    found += watched.check("call transferred: the summary")
    transfer = Transfer.objects.get(interaction=call)
    assert transfer.target == "external" and transfer.warm
    assert_no_problems(found)
