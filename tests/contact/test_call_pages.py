"""The call screen's working parts as pages (issue 18 item 10): a note in the call
(DOC-3, CON-9), messages and SMS (CON-8), transfers (CON-11), the warning, hold and
ending (CON-15, CON-12), the dial plan (CON-13, CON-14) and the Team Leader's
notifications (CON-15). Each form succeeds, or shows the refusal beside its field and
writes nothing but the audited refusal; over htmx the answer is the slot alone."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

import cma.urls  # noqa: F401  (the API's schemas are built before any clock is frozen)
from cma.audit.models import AuditRecord, Outcome
from cma.contact import services
from cma.contact.models import Interaction, Message, Notification, Sms, Transfer
from cma.notes.models import Note
from cma.policy.models import BusinessArea
from cma.staff.models import Role
from cma.work import services as work
from cma.work.models import Intray
from tests.factories import (
    CaseFactory,
    ContactDetailFactory,
    CustomerFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def customer(db):
    customer = CustomerFactory(given_names="Marigold", family_name="Pettersen", crn="612345678K")
    ContactDetailFactory(customer=customer, kind="mobile", number="+61491570156")
    return customer


def _open(customer, officer, confirm=True, **kw):
    kw.setdefault("direction", "inbound")
    kw.setdefault("channel", "phone")
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
    """The page as read: entities decoded (the apostrophes are escaped)."""
    return unescape(response.content.decode())


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows_since(before: int) -> list[tuple[str, str]]:
    return list(
        AuditRecord.objects.filter(pk__gt=before).order_by("pk").values_list("action", "outcome")
    )


def _error(html: str, field_id: str) -> str:
    """The error message shown beside the field `field_id`."""
    found = re.search(rf'id="{field_id}_error">(.*?)</p>', html, re.S)
    assert found, f"no error beside {field_id}"
    return re.sub(r"<[^>]+>", "", found.group(1)).replace("Error:", "", 1).strip()


# --- Notes --------------------------------------------------------------------------


def test_DOC_1_a_note_in_the_call_is_saved_and_listed_in_its_slot(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    before = _head()
    response = officer_client.post(
        _url("call-note", call),
        {"subject": "Phone call", "body": "Asked about the next payment"},
        headers=HTMX,
    )
    html = _html(response)
    assert response.status_code == 200
    assert html.lstrip().startswith("<section") and 'id="slot-notes"' in html
    assert "Note saved on the customer's notepad." in html
    assert f"Call receipt: {call.receipt}<br>Asked about the next payment" in html
    note = Note.objects.get()
    assert note.body.startswith(f"Call receipt: {call.receipt}\n")
    assert _rows_since(before) == [("contact.note.added", Outcome.OK)]
    # Without htmx: back to the call screen, at the slot, which lists it.
    response = officer_client.post(
        _url("call-note", call), {"subject": "Phone call", "body": "Agreed to send the form"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contact:call", args=[call.pk]) + "#slot-notes"
    html = _html(officer_client.get(response["Location"]))
    assert "Note saved on the customer's notepad." in html and "Agreed to send the form" in html


def test_DOC_3_CON_5_a_phone_number_in_a_call_note_is_marked_and_nothing_written(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    before = _head()
    response = officer_client.post(
        _url("call-note", call),
        {"subject": "Phone call", "body": "Ring them back on 0413 222 901 tomorrow"},
        headers=HTMX,
    )
    html = _html(response)
    assert response.status_code == 422
    assert "<mark" in html and "0413 222 901</mark>" in html
    assert "0413 222 901" in _error(html, "id_note_body")
    assert not Note.objects.exists()
    assert _rows_since(before) == [("contact.note.added", Outcome.REFUSED)]
    # Without htmx: the whole call screen, the form with its errors, 422.
    response = officer_client.post(
        _url("call-note", call), {"subject": "Phone call", "body": "Ring 0413 222 901"}
    )
    assert response.status_code == 422
    assert "Call in progress" in _html(response) and "<mark" in _html(response)
    assert not Note.objects.exists()


def test_CON_9_a_note_may_be_written_before_confirmation_but_the_list_waits(
    officer_client, officer, customer
):
    call = _open(customer, officer, confirm=False)
    html = _html(
        officer_client.post(
            _url("call-note", call),
            {"subject": "Call", "body": "Caller gave no details"},
            headers=HTMX,
        )
    )
    assert "Note saved" in html
    assert "shown once the caller's identity is confirmed" in html
    assert "Caller gave no details" not in html  # the note is case information
    assert Note.objects.count() == 1


# --- Messages and SMS -------------------------------------------------------------


def test_CON_8_a_voicemail_is_recorded_from_its_template(officer_client, officer, customer):
    call = _open(customer, officer, confirm=False, direction="outbound", purpose="explain-decision")
    page = _html(officer_client.get(_url("call", call)))
    # The templates are offered as the caller would hear them, the voicemail first.
    assert (
        f"Hello, this is {officer.first_name} from Services Australia. Please call us on 131 272"
        in page
    )
    assert re.search(r'value="customer-voicemail" checked', page)
    response = officer_client.post(
        _url("message", call),
        {"recipient": "customer-voicemail", "template": "voicemail-callback"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Message recorded for the customer's voicemail." in _html(response)
    message = Message.objects.get()
    assert (message.interaction_id, message.template) == (call.pk, "voicemail-callback")


def test_CON_8_a_consequence_statement_on_voicemail_is_refused_beside_the_text(
    officer_client, officer, customer
):
    call = _open(customer, officer, confirm=False)
    before = _head()
    response = officer_client.post(
        _url("message", call),
        {
            "recipient": "customer-voicemail",
            "template": "voicemail-callback",
            "extra_text": "Otherwise we will take enforcement action",
        },
        headers=HTMX,
    )
    html = _html(response)
    assert response.status_code == 422
    assert "never leave a consequence statement on voicemail" in _error(
        html, "id_message_extra_text"
    )
    assert not Message.objects.exists()
    assert _rows_since(before) == [("contact.message.left", Outcome.REFUSED)]


def test_CON_8_a_template_for_another_recipient_and_an_under_18_customer_are_both_named(
    officer_client, officer
):
    young = CustomerFactory(date_of_birth=timezone.localdate() - timedelta(days=16 * 365))
    call = _open(young, officer, confirm=False)
    response = officer_client.post(
        _url("message", call),
        {"recipient": "third-party", "template": "voicemail-callback"},
        headers=HTMX,
    )
    html = _html(response)
    assert response.status_code == 422
    assert "is for customer-voicemail, not third-party" in _error(html, "id_message_template")
    assert "only the Parent Support Team may leave a message" in html
    assert not Message.objects.exists()


def test_CON_3_a_pre_call_sms_is_queued_to_the_mobile_on_record(officer_client, officer, customer):
    call = _open(customer, officer, confirm=False, direction="outbound", purpose="explain-decision")
    response = officer_client.post(_url("sms", call), {"template_code": "pre-call"}, headers=HTMX)
    assert response.status_code == 200
    assert "SMS sent to the customer's mobile on record." in _html(response)
    sms = Sms.objects.get()
    assert sms.template == "pre-call" and sms.to.customer_id == customer.pk


def test_an_sms_to_a_customer_without_a_mobile_is_refused_and_nothing_written(
    officer_client, officer
):
    call = _open(CustomerFactory(), officer, confirm=False)
    before = _head()
    response = officer_client.post(_url("sms", call), {"template_code": "pre-call"}, headers=HTMX)
    assert response.status_code == 422
    assert "The customer has no mobile number on record" in _html(response)
    assert not Sms.objects.exists()
    assert _rows_since(before) == [("contact.sms.queued", Outcome.REFUSED)]


def test_an_sms_on_a_call_that_has_ended_sends_the_officer_to_its_summary(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    services.end_interaction(interaction=call, actor=officer, reason="completed")
    response = officer_client.post(_url("sms", call), {"template_code": "pre-call"}, follow=True)
    assert "has ended" in _html(response) and "Call ended" in _html(response)
    assert not Sms.objects.exists()


# --- Transfers --------------------------------------------------------------------


def test_CON_11_the_advice_names_the_owning_officer_and_the_rule(
    officer_client, officer, other_officer, customer
):
    work.lock_customer(customer=customer, actor=other_officer, reason="Case management")
    call = _open(customer, officer)
    before = _head()
    response = officer_client.post(
        _url("transfer-advice", call), {"issue": "case-management", "target": "area"}, headers=HTMX
    )
    html = _html(response)
    assert response.status_code == 200
    assert f"The guidelines send this call to {other_officer.display_name}" in html
    assert "rule locked-to-owner" in html
    assert re.search(r'value="area" checked', html)  # what was chosen stays chosen
    assert _rows_since(before) == [("contact.transfer.advised", Outcome.OK)]
    assert not Transfer.objects.exists()
    # To the area instead: refused naming where the guidelines send it.
    response = officer_client.post(
        _url("transfer", call), {"target": "area", "issue": "case-management"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "rule locked-to-owner" in _error(_html(response), "id_transfer_issue")
    # To the owning officer: done, and the call screen is its summary.
    response = officer_client.post(
        _url("transfer", call), {"target": "officer", "issue": "case-management", "warm": "warm"}
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.to_officer, transfer.warm) == (other_officer, True)
    html = _html(officer_client.get(response["Location"]))
    assert "Call ended" in html and "(warm transfer)" in html


def test_CON_11_a_specialised_issue_is_transferred_to_its_area(officer_client, officer, customer):
    call = _open(customer, officer)
    response = officer_client.post(
        _url("transfer", call), {"target": "area", "issue": "complaint"}, headers=HTMX
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("contact:call", args=[call.pk])
    assert Transfer.objects.get().area == BusinessArea.objects.get(code="complaints")


def test_CON_11_an_external_transfer_uses_the_public_number(officer_client, officer, customer):
    call = _open(customer, officer)
    page = _html(officer_client.get(_url("call", call)))
    assert "Australian Taxation Office, public number 13 28 61" in page
    response = officer_client.post(
        _url("transfer", call), {"target": "external", "organisation": "ato"}, follow=True
    )
    html = _html(response)
    assert "Transferred to Australian Taxation Office" in html
    assert "Stay on the line until it connects to 13 28 61" in html
    assert Transfer.objects.get().organisation == "ato"


def test_CON_11_a_free_typed_private_number_is_refused_and_the_call_stays_live(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    before = _head()
    response = officer_client.post(
        _url("transfer", call), {"target": "external", "number": "0413 222 901"}, headers=HTMX
    )
    html = _html(response)
    assert response.status_code == 422
    assert _error(html, "id_transfer_number") == (
        "CON-11: transfer to a private mobile or landline is refused"
    )
    assert not Transfer.objects.exists()
    assert Interaction.objects.get().is_open
    assert _rows_since(before) == [("contact.call.transferred", Outcome.REFUSED)]
    assert "0413" not in str(AuditRecord.objects.last().changes)
    # A catalogue organisation's public number, typed, is that organisation.
    officer_client.post(_url("transfer", call), {"target": "external", "number": "132861"})
    assert Transfer.objects.get().organisation == "ato"


def test_CON_11_nothing_chosen_says_so(officer_client, officer, customer):
    call = _open(customer, officer)
    response = officer_client.post(_url("transfer", call), {}, headers=HTMX)
    assert _error(_html(response), "id_transfer_target") == "Choose where to transfer the call"
    response = officer_client.post(_url("transfer-advice", call), {"issue": ""}, headers=HTMX)
    assert response.status_code == 422
    assert _error(_html(response), "id_transfer_issue") == "Choose the caller's issue"


def test_CON_9_the_advice_waits_for_identity_on_an_attested_call(client, officer, customer):
    call = _open(customer, officer, confirm=False, attested=True, line="platform-1")
    client.force_login(officer)
    before = _head()
    response = client.post(
        _url("transfer-advice", call), {"issue": "general-enquiry"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "confirm the caller's identity" in _html(response).lower()
    assert _rows_since(before) == [("contact.transfer.advised", Outcome.REFUSED)]


# --- Warning, hold and ending ------------------------------------------------------


def test_CON_15_an_aggressive_end_needs_the_warning_first(officer_client, officer, customer):
    call = _open(customer, officer)
    before = _head()
    response = officer_client.post(_url("end", call), {"reason": "aggressive"}, headers=HTMX)
    assert response.status_code == 422
    assert "record the warning given before ending" in _error(_html(response), "id_end_reason")
    assert Interaction.objects.get().is_open
    assert _rows_since(before) == [("contact.interaction.ended", Outcome.REFUSED)]

    response = officer_client.post(_url("warning", call), {"behaviour": "shouting"}, headers=HTMX)
    html = _html(response)
    assert response.status_code == 200 and 'id="slot-end"' in html
    assert "because you are shouting" in html and "Warning recorded at" in html
    response = officer_client.post(_url("end", call), {"reason": "aggressive"}, follow=True)
    html = _html(response)
    assert "Call ended after the warning" in html
    assert "Warning given" in html and "shouting" in html


def test_CON_15_a_customer_on_hold_is_allowed_30_seconds(officer_client, officer, customer):
    call = _open(customer, officer)
    with freeze_time("2026-12-01T01:00:00Z"):
        officer_client.force_login(officer)
        response = officer_client.post(_url("hold", call), headers=HTMX)
        html = _html(response)
        assert "Allow the customer 30 seconds" in html
        assert "On hold since 12:00:00 pm." in html and "from 12:00:30 pm" in html
    with freeze_time("2026-12-01T01:00:20Z"):
        response = officer_client.post(_url("end", call), {"reason": "hold-timeout"}, headers=HTMX)
        assert "allowed 30 seconds; they have been on hold 20" in _error(
            _html(response), "id_end_reason"
        )
        # Held already: said above the form, nothing written.
        response = officer_client.post(_url("hold", call), headers=HTMX)
        assert response.status_code == 422 and "already on hold" in _html(response)
    with freeze_time("2026-12-01T01:00:31Z"):
        response = officer_client.post(_url("end", call), {"reason": "hold-timeout"}, follow=True)
    assert "did not come back from hold" in _html(response)
    assert Interaction.objects.get().end_reason == "hold-timeout"


def test_CON_15_against_the_customer_s_wishes_needs_the_reason_and_tells_the_leader(
    officer_client, officer, team_leader, customer
):
    call = _open(customer, officer)
    response = officer_client.post(_url("end", call), {"reason": "against-wishes"}, headers=HTMX)
    assert "say why the call is ended against" in _error(_html(response), "id_end_wishes_reason")
    assert not Notification.objects.exists() and Interaction.objects.get().is_open
    response = officer_client.post(
        _url("end", call),
        {"reason": "against-wishes", "wishes_reason": "Caller kept repeating the same demand"},
        follow=True,
    )
    assert "Your Team Leader has been notified" in _html(response)
    assert Notification.objects.get().leader == team_leader


def test_CON_12_an_opted_in_customer_is_handed_to_the_survey(officer_client, officer, customer):
    call = _open(customer, officer, survey_opt_in=True)
    page = _html(officer_client.get(_url("call", call)))
    assert "ending the call as completed hands them to Customers Having a Say" in page
    response = officer_client.post(
        _url("end", call),
        {"reason": "completed", "outcome": "Explained the assessment"},
        follow=True,
    )
    html = _html(response)
    assert "handed to the post-call survey (Customers Having a Say)" in html
    assert "Handed over to the survey" in html and "Explained the assessment" in html
    assert "<form" not in html[html.index("<main") :]  # the read-only summary


def test_CON_11_a_disconnected_call_says_call_back_now_with_the_intray(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    officer_client.post(_url("call-note", call), {"subject": "Call", "body": "Was explaining"})
    response = officer_client.post(_url("end", call), {"reason": "disconnected"}, follow=True)
    html = _html(response)
    intray = Intray.objects.get(customer=customer, type__code="call-back-now")
    assert "Call disconnected: call the customer back now." in html
    assert reverse("work:intray", args=[intray.pk]) in html
    assert "Notes written on this call" in html and "Was explaining" in html


def test_VAL_1_personal_information_in_the_outcome_is_marked(officer_client, officer, customer):
    call = _open(customer, officer)
    response = officer_client.post(
        _url("end", call),
        {"reason": "completed", "outcome": "Emailed jo@example.com"},
        headers=HTMX,
    )
    assert response.status_code == 422 and "<mark" in _html(response)
    assert Interaction.objects.get().is_open


def test_SEC_1_only_the_officer_on_the_call_takes_its_steps(
    client, officer, other_officer, customer
):
    call = _open(customer, officer)
    client.force_login(other_officer)
    for name, data in [("call-note", {"body": "x"}), ("end", {"reason": "completed"}), ("sms", {})]:
        before = _head()
        assert client.post(_url(name, call), data).status_code == 404
        assert [o for _a, o in _rows_since(before)] == [Outcome.REFUSED]
    assert Interaction.objects.get().is_open and not Note.objects.exists()


# --- The dial plan ------------------------------------------------------------------


def test_CON_13_the_dial_plan_shows_dial_strings_once_identity_is_confirmed(
    officer_client, officer
):
    overseas = CustomerFactory(country="GB", state="", time_zone="Europe/London", postcode="")
    ContactDetailFactory(customer=overseas, kind="international", number="+447654123123")
    call = _open(overseas, officer, confirm=False)
    html = _html(officer_client.get(_url("call", call)))
    assert "0011 44 76 5412 3123" not in html and 'id="dial-plan-heading"' not in html
    answers = {"full-name": overseas.full_name, "date-of-birth": "14/03/1985", "crn": overseas.crn}
    services.confirm_identity(interaction=call, actor=officer, answers=answers)
    with freeze_time("2026-12-01T02:00:00Z"):  # 2 am in London
        officer_client.force_login(officer)
        html = _html(officer_client.get(_url("call", call)))
    assert "0011 44 76 5412 3123" in html and "International (GB)" in html
    assert "No: next from 8:00 am, 1 Dec 2026 their time (7:00 pm, 1 Dec 2026 here)" in html


def test_CON_13_the_customer_page_shows_norfolk_island_indicators_and_dial_strings(
    officer_client, officer
):
    norfolk = CustomerFactory(country="NF", state="", time_zone="Pacific/Norfolk", postcode="2899")
    ContactDetailFactory(customer=norfolk, kind="international", number="+672322222")
    with freeze_time("2026-12-01T22:00:00Z"):  # 10 am on Norfolk Island
        officer_client.force_login(officer)  # a session of the frozen clock's time
        html = _html(officer_client.get(reverse("web:customer-detail", args=[norfolk.pk])))
    panel = html[html.index('id="contact-heading"') :]
    assert "0011 672 3 22222" in panel
    assert "Norfolk Island: special contact and remote" in panel
    assert "Special contact</strong>" in panel and "Remote</strong>" in panel
    assert "Yes: it is 10:00 am, 2 Dec 2026 their time" in panel


# --- Team Leader notifications -----------------------------------------------------


def _against_wishes(customer, officer):
    call = _open(customer, officer)
    services.end_interaction(
        interaction=call, actor=officer, reason="against-wishes", wishes_reason="Would not stop"
    )
    return Notification.objects.get(interaction=call)


def test_CON_15_the_leader_sees_and_acknowledges_the_notification(
    client, officer, team_leader, customer
):
    note = _against_wishes(customer, officer)
    client.force_login(team_leader)
    html = _html(client.get("/"))
    assert "Notifications (1 open)" in html
    before = _head()
    response = client.get(reverse("contact:notifications"))
    html = _html(response)
    assert note.interaction.receipt in html and "Would not stop" in html
    assert officer.display_name in html and "Marigold" not in html
    assert _rows_since(before) == [("contact.notifications.viewed", Outcome.OK)]
    response = client.post(reverse("contact:acknowledge", args=[note.pk]), headers=HTMX)
    html = _html(response)
    assert html.lstrip().startswith(f'<tr class="govuk-table__row" id="notification-{note.pk}"')
    assert "Acknowledged" in html
    note.refresh_from_db()
    assert note.acknowledged_at is not None
    assert "Notifications (1 open)" not in _html(client.get("/"))
    # Twice: said in the row, nothing written but the refusal.
    before = _head()
    response = client.post(reverse("contact:acknowledge", args=[note.pk]), headers=HTMX)
    assert response.status_code == 422 and "already acknowledged" in _html(response)
    assert _rows_since(before) == [("contact.notification.acknowledged", Outcome.REFUSED)]


def test_CON_15_only_the_leader_meant_reads_or_acknowledges_it(
    client, officer, team_leader, customer
):
    note = _against_wishes(customer, officer)
    client.force_login(officer)
    assert client.get(reverse("contact:notifications")).status_code == 403
    assert "Notifications" not in _html(client.get("/"))
    other_leader = UserFactory(role=Role.TEAM_LEADER, team=TeamFactory())
    client.force_login(other_leader)
    assert "Would not stop" not in _html(client.get(reverse("contact:notifications")))
    assert client.post(reverse("contact:acknowledge", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.acknowledged_at is None


# --- Bounded ------------------------------------------------------------------------


def test_the_live_call_screen_reads_a_bounded_number_of_queries(
    officer_client, officer, customer, django_assert_max_num_queries
):
    call = _open(customer, officer, survey_opt_in=True)
    CaseFactory(payer=customer)
    officer_client.post(_url("call-note", call), {"subject": "Call", "body": "First"})
    officer_client.post(_url("hold", call))
    officer_client.get(_url("call", call))  # shows (and so clears) the flash messages
    # 50 for contact, and the collection sections (MCA and issues) read 8 more.
    with django_assert_max_num_queries(58) as first:
        officer_client.get(_url("call", call))
    queries = len(first.captured_queries)  # each request resets the connection's log
    for n in range(4):  # more notes on the call, numbers, cases: the same queries
        officer_client.post(_url("call-note", call), {"subject": "Call", "body": f"Note {n}"})
        ContactDetailFactory(customer=customer, kind="home", number=f"+6129876543{n}")
        CaseFactory(payer=customer)
    officer_client.get(_url("call", call))
    with django_assert_max_num_queries(queries):
        html = _html(officer_client.get(_url("call", call)))
    assert "Note 3" in html and html.count("cma-dial") == 5


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("call-note", {"subject": "Call\x00", "body": "a\x00b"}),
        ("message", {"recipient": "third-party\x00", "template": "third-party-callback"}),
        ("message", {"recipient": "third-party", "template": "x", "extra_text": "\x00"}),
        ("sms", {"template_code": "pre-call\x00"}),
        ("transfer-advice", {"issue": "general-enquiry\x00"}),
        ("transfer", {"target": "external", "number": "13 28 61\x00"}),
        ("transfer", {"target": "area", "issue": "x" * 500}),
        ("warning", {"behaviour": "shouting\x00"}),
        ("end", {"reason": "completed", "outcome": "\x00" * 300}),
    ],
)
def test_VAL_1_odd_input_in_every_call_form_is_a_4xx_and_writes_nothing(
    officer_client, officer, customer, name, data
):
    call = _open(customer, officer)
    notes, before = Note.objects.count(), _head()
    response = officer_client.post(_url(name, call), data, headers=HTMX)
    assert 400 <= response.status_code < 500
    assert Note.objects.count() == notes
    assert not (Message.objects.exists() or Sms.objects.exists() or Transfer.objects.exists())
    assert Interaction.objects.get().is_open and Interaction.objects.get().warned_at is None
    assert [o for _a, o in _rows_since(before)] in ([], [Outcome.REFUSED])
