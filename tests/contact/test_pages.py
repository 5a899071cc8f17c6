"""The contact staff pages: the customer page's Contact panel (CON-13, CON-14, CON-7),
the call screen and its identity gate (CON-9, CON-10, CON-16), the receipt lookup and
the live-call poll. Bad input gives a readable message and writes nothing but the
audited refusal."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

import cma.urls  # noqa: F401  (the API's schemas are built before any clock is frozen)
from cma.audit.models import AuditRecord, Outcome
from cma.contact import services
from cma.contact.models import Identity, IdentityCheck, Interaction
from cma.customers.models import agency_today
from cma.notes import services as notes
from cma.notes.models import Note
from cma.web.models import StaffSession as Session
from cma.work.models import Intray
from tests.factories import (
    AlternativeContactFactory,
    CaseFactory,
    ContactDetailFactory,
    CustomerFactory,
    RepresentativeAuthorityFactory,
)

pytestmark = pytest.mark.django_db

PURPOSE = "Explain a decision"


@pytest.fixture
def customer(db):
    customer = CustomerFactory(
        given_names="Marigold",
        family_name="Pettersen",
        crn="612345678K",
        address_line="7 Quenda Crescent",
        interpreter_language="Arabic",
    )
    ContactDetailFactory(customer=customer, kind="mobile", number="+61491570156")
    CaseFactory(payer=customer, case_number="C7777001")
    return customer


SENTINELS = ("Marigold", "Pettersen", "612345678K", "7 Quenda Crescent", "C7777001", PURPOSE)
# The factory's date of birth is 14 Mar 1985.
RIGHT = {
    "q_full_name": "marigold  pettersen",
    "q_date_of_birth": "14/03/1985",
    "q_crn": "612345678k",
}


def _open(customer, officer, **kw):
    kw.setdefault("direction", "inbound")
    kw.setdefault("channel", "phone")
    return services.open_interaction(customer=customer, actor=officer, **kw)


def _call(client, call):
    return client.get(reverse("contact:call", args=[call.pk]))


def _html(response) -> str:
    return response.content.decode()


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows_since(before: int) -> list[tuple[str, str]]:
    return list(
        AuditRecord.objects.filter(pk__gt=before).order_by("pk").values_list("action", "outcome")
    )


# --- the customer page's Contact panel ----------------------------------------------


def test_CON_14_CON_13_the_customer_page_shows_contact_needs_before_any_contact(client, officer):
    norfolk = CustomerFactory(
        country="NF",
        state="",
        time_zone="Pacific/Norfolk",
        postcode="2899",
        is_remote=True,
        relay_need="tty",
        interpreter_language="Samoan",
    )
    # 10:00 on Norfolk Island (UTC+12 in December): within callable hours.
    with freeze_time("2026-12-01T22:00:00Z"):
        client.force_login(officer)  # a session of the frozen clock's time
        html = _html(client.get(reverse("web:customer-detail", args=[norfolk.pk])))
    panel = html[html.index('id="contact-heading"') :]
    assert "Needed: Samoan" in panel
    assert "Uses the TTY" in panel
    assert "Remote: special contact considerations apply" in panel
    assert "10:00 am, 2 Dec 2026 (Pacific/Norfolk)" in panel
    assert "Yes: within 08:00 to 20:00 their time" in panel
    # The recorded need decides the channel offered first (CON-1, CON-14).
    assert re.search(r'value="tty" checked', panel)


def test_CON_13_outside_callable_hours_says_so(client, officer, customer):
    with freeze_time("2026-12-01T13:00:00Z"):  # midnight in Sydney
        client.force_login(officer)
        html = _html(client.get(reverse("web:customer-detail", args=[customer.pk])))
    assert "No: outside 08:00 to 20:00 their time" in html


def test_CON_7_only_current_representatives_and_alternative_contacts_are_offered(
    officer_client, customer
):
    RepresentativeAuthorityFactory(customer=customer, representative__name="Jordan Advocate")
    RepresentativeAuthorityFactory(
        customer=customer,
        representative__name="Former Advocate",
        ends_on=agency_today() - timedelta(days=1),
    )
    AlternativeContactFactory(customer=customer, name="Current Neighbour")
    gone = AlternativeContactFactory(
        customer=customer, name="Lapsed Sibling", ends_on=agency_today() - timedelta(days=1)
    )
    html = _html(officer_client.get(reverse("web:customer-detail", args=[customer.pk])))
    form = html[html.index('action="/contact/customers/') :]
    form = form[: form.index("</form>")]
    assert "Jordan Advocate" in form and "Current Neighbour" in form
    assert "Former Advocate" not in form and "Lapsed Sibling" not in form
    # Posting the ended one anyway is refused beside the field; nothing is written.
    response = officer_client.post(
        reverse("contact:start", args=[customer.pk]),
        {"direction": "outbound", "channel": "phone", "who": f"alternative-contact:{gone.pk}"},
    )
    assert response.status_code == 422
    assert "Choose who the contact is with from the list" in _html(response)
    assert not Interaction.objects.exists()


def test_CON_16_starting_a_call_opens_the_call_screen_with_its_receipt(
    officer_client, officer, customer
):
    rep = RepresentativeAuthorityFactory(customer=customer).representative
    response = officer_client.post(
        reverse("contact:start", args=[customer.pk]),
        {
            "direction": "outbound",
            "channel": "phone",
            "who": f"representative:{rep.pk}",
            "number_type": "mobile",
            "purpose": "explain-decision",
        },
    )
    call = Interaction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contact:call", args=[call.pk])
    assert (call.party, call.representative_id, call.number_type) == (
        "representative",
        rep.pk,
        "mobile",
    )
    html = _html(_call(officer_client, call))
    assert f'<p class="cma-receipt" id="call-receipt">{call.receipt}</p>' in html
    assert "Give this to the customer" in html
    assert 'data-call-timer data-started="' in html
    # The customer page lists it with its receipt, and says a call is live.
    page = _html(officer_client.get(reverse("web:customer-detail", args=[customer.pk])))
    assert call.receipt in page and "You are on a live call" in page
    assert "Start a call or record contact" not in page


def test_bad_start_input_shows_a_readable_message_and_writes_nothing(officer_client, customer):
    before = _head()
    response = officer_client.post(
        reverse("contact:start", args=[customer.pk]),
        {"direction": "outbound", "channel": "phone", "who": "customer"},
    )
    html = _html(response)
    assert response.status_code == 422
    assert "govuk-error-summary" in html
    assert re.search(
        r'id="contact_purpose_error".*An outbound contact needs its purpose', html, re.S
    )
    assert not Interaction.objects.exists()
    assert _rows_since(before) == [("contact.interaction.opened", Outcome.REFUSED)]
    # A choice the form does not offer never reaches the service.
    response = officer_client.post(
        reverse("contact:start", args=[customer.pk]), {"direction": "sideways", "who": "customer"}
    )
    assert response.status_code == 422
    assert "Choose how the contact happens" in _html(response)
    assert not Interaction.objects.exists()


def test_a_second_live_call_is_refused_with_the_rule(officer_client, officer, customer):
    first = _open(customer, officer)
    response = officer_client.post(
        reverse("contact:start", args=[CustomerFactory().pk]),
        {"direction": "inbound", "channel": "phone", "who": "customer"},
    )
    html = _html(response)
    assert response.status_code == 422
    assert "There is already an open interaction on this line" in html
    assert reverse("contact:call", args=[first.pk]) in html
    assert Interaction.objects.count() == 1


# --- the call screen: the identity gate ------------------------------------------------


def test_CON_9_nothing_about_the_customer_or_purpose_before_confirmation(
    officer_client, officer, customer
):
    call = _open(customer, officer, direction="outbound", purpose="explain-decision")
    html = _html(_call(officer_client, call))
    assert [s for s in SENTINELS if s in html] == []
    assert "Confirm the caller's identity" in html and "Before you talk" in html
    assert "Needed: Arabic" in html  # the contact needs are shown (CON-14)
    assert 'id="slot-plan"' not in html and 'id="dial-plan-heading"' not in html
    # A note may be written (it discloses nothing); the call's notes wait (CON-9).
    assert 'id="slot-notes"' in html and "shown once the caller's identity is confirmed" in html

    response = officer_client.post(reverse("contact:identity", args=[call.pk]), RIGHT)
    assert response.status_code == 302
    html = _html(_call(officer_client, call))
    assert "Identity confirmed for this call" in html
    # The case number is shown once confirmed: by the collection section's MCA per case.
    assert [s for s in SENTINELS if s not in html] == ["7 Quenda Crescent"]
    assert '<dd class="govuk-summary-list__value">1</dd>' in html  # the cases count
    for slot in ("notes", "plan", "messages", "transfer", "end"):
        assert f'id="slot-{slot}"' in html
    assert "Confirm the caller's identity" not in html


def test_CON_9_an_attested_call_shows_only_the_check_until_confirmed(
    client, officer, ps_case_manager, customer
):
    notes.mark_at_risk(customer=customer, actor=ps_case_manager, reason="Family violence")
    call = _open(customer, officer, attested=True, line="platform-call-1")
    client.force_login(officer)
    html = _html(_call(client, call))
    assert [s for s in SENTINELS if s in html] == []
    assert "cma-safety-banner" not in html  # nothing of the record, not even its warnings
    client.post(reverse("contact:identity", args=[call.pk]), RIGHT)
    html = _html(_call(client, call))
    # Confirmed: the call grants need-to-know for its length (the second way in).
    assert "Marigold Pettersen" in html and "612345678K" in html
    assert "cma-safety-banner" in html  # and, through the door now, its warnings


def test_CON_9_a_failed_check_says_what_matched_and_keeps_the_gate(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    response = officer_client.post(
        reverse("contact:identity", args=[call.pk]),
        {"q_full_name": "Marigold Pettersen", "q_date_of_birth": "15/03/1985"},
        follow=True,
    )
    html = _html(response)
    assert "Identity not confirmed. Matched: full name. Did not match: date of birth." in html
    assert "At least 3 answers must match, including date of birth." in html
    assert "15/03/1985" not in html  # the answers are never kept or shown again
    assert [s for s in SENTINELS if s in html.replace("Matched: full name", "")] == []
    assert IdentityCheck.objects.get().result == Identity.FAILED


def test_CON_9_no_answers_is_a_readable_refusal_and_writes_nothing(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    before = _head()
    response = officer_client.post(reverse("contact:identity", args=[call.pk]), {"q_crn": "  "})
    html = _html(response)
    assert response.status_code == 422
    assert re.search(
        r'id="identity_q_full_name_error".*Give the caller&#x27;s answer to at least one question',
        html,
        re.S,
    )
    assert not IdentityCheck.objects.exists()
    assert _rows_since(before) == [("contact.identity.checked", Outcome.REFUSED)]
    call.refresh_from_db()
    assert call.identity == Identity.UNCONFIRMED


def test_CON_7_an_alternative_contact_gets_no_identity_check(officer_client, officer, customer):
    contact = AlternativeContactFactory(customer=customer)
    call = _open(customer, officer, party="alternative-contact", alternative_contact_id=contact.pk)
    html = _html(_call(officer_client, call))
    assert "No identity check for alternative contact" in html
    assert "Confirm the caller's identity" not in html
    assert [s for s in SENTINELS if s in html] == []


def test_CON_10_a_disputed_identity_refers_to_sgt(officer_client, officer, customer):
    call = _open(customer, officer)
    response = officer_client.post(
        reverse("contact:dispute", args=[call.pk]),
        {"disputed": "not-the-customer", "details": "Says the payer lives elsewhere"},
        follow=True,
    )
    html = _html(response)
    assert "Potential identity mismatch recorded" in html
    assert Intray.objects.filter(customer=customer, type__code="sgt-referral").exists()
    call.refresh_from_db()
    assert call.identity == Identity.DISPUTED
    assert "Confirm the caller's identity" not in html
    assert [s for s in SENTINELS if s in html] == []


def test_CON_10_personal_information_in_the_dispute_is_marked_and_nothing_written(
    officer_client, officer, customer
):
    call = _open(customer, officer)
    response = officer_client.post(
        reverse("contact:dispute", args=[call.pk]),
        {"disputed": "not-a-parent", "details": "Call them back on 0413 222 901"},
    )
    html = _html(response)
    assert response.status_code == 422
    assert "<mark" in html and 'id="id_dispute_details_error"' in html
    assert '<details class="govuk-details" open>' in html
    assert not Note.objects.exists() and not Intray.objects.exists()
    call.refresh_from_db()
    assert call.identity == Identity.UNCONFIRMED


def test_an_ended_call_is_read_only_history_for_anyone_with_need(
    client, officer, other_officer, customer
):
    call = _open(customer, officer)
    client.force_login(other_officer)
    # Live, it is its officer's alone.
    assert _call(client, call).status_code == 404
    Interaction.objects.filter(pk=call.pk).update(
        ended_at=call.started_at + timedelta(minutes=4, seconds=7), end_reason="completed"
    )
    response = _call(client, call)
    html = _html(response)
    assert response.status_code == 200
    assert "Call ended" in html and "4:07" in html and "Marigold Pettersen" in html
    assert "<form" not in html[html.index("<main") :]
    assert "data-call-timer" not in html


def test_the_call_screen_reads_a_bounded_number_of_queries(
    officer_client, officer, customer, django_assert_max_num_queries
):
    call = _open(customer, officer, direction="outbound", purpose="explain-decision")
    with django_assert_max_num_queries(50) as before:
        _call(officer_client, call)
    officer_client.post(reverse("contact:identity", args=[call.pk]), RIGHT)
    for _ in range(5):  # more cases and notes: the same number of queries
        CaseFactory(payee=customer)
        notes.add_note(customer=customer, actor=officer, subject="Call", body="Discussed care")
    # 50 for contact, and the collection sections (MCA and issues) read 8 more.
    with django_assert_max_num_queries(58) as after:
        _call(officer_client, call)
    CaseFactory(payer=customer)
    with django_assert_max_num_queries(len(after.captured_queries)):
        _call(officer_client, call)
    assert len(before.captured_queries) <= len(after.captured_queries)


# --- receipts and the live call ---------------------------------------------------------


def test_CON_16_a_receipt_finds_the_call_however_it_is_typed(officer_client, officer, customer):
    call = _open(customer, officer)
    typed = call.receipt.lower().replace("-", " ")
    response = officer_client.post(reverse("contact:receipts"), {"receipt": typed})
    html = _html(response)
    assert response.status_code == 200
    assert f"Call {call.receipt}" in html and "Marigold Pettersen" in html
    assert reverse("contact:call", args=[call.pk]) in html
    # Over htmx: the result region only.
    response = officer_client.post(
        reverse("contact:receipts"), {"receipt": "ZZZZ-ZZZZ"}, headers={"HX-Request": "true"}
    )
    html = _html(response)
    assert response.status_code == 422
    assert html.lstrip().startswith('<section id="receipt-result"')
    assert "No call has that receipt number" in html


def test_SEC_1_a_receipt_of_a_restricted_customer_shows_the_restricted_notice(
    client, officer, ps_case_manager, customer
):
    notes.mark_at_risk(customer=customer, actor=ps_case_manager, reason="Family violence")
    call = _open(customer, ps_case_manager)
    client.force_login(officer)
    before = _head()
    response = client.post(reverse("contact:receipts"), {"receipt": call.receipt})
    assert response.status_code == 404
    assert [s for s in SENTINELS if s in _html(response)] == []
    assert _rows_since(before) == [("contact.receipt.looked_up", Outcome.REFUSED)]


def test_the_live_call_poll_pops_the_call_and_then_answers_204(officer_client, officer, customer):
    url = reverse("contact:live")
    assert officer_client.get(url, {"showing": "0"}).status_code == 204
    call = _open(customer, officer, attested=True, line="platform-call-2")
    response = officer_client.get(url, {"showing": "0"})
    html = _html(response)
    assert response.status_code == 200
    assert f"My live call <strong>{call.receipt}</strong>" in html
    assert f"showing={call.pk}" in html
    assert "Marigold" not in html  # the receipt only: the caller is not yet confirmed
    assert officer_client.get(url, {"showing": str(call.pk)}).status_code == 204
    assert not AuditRecord.objects.filter(action__startswith="contact.live").exists()


def test_SES_1_the_live_call_poll_does_not_extend_the_session(officer_client, customer):
    officer_client.get("/")
    key = officer_client.cookies["sessionid"].value
    expiry = Session.objects.get(session_key=key).expire_date
    with freeze_time(expiry - timedelta(minutes=10)):
        response = officer_client.get(reverse("contact:live"), {"showing": "0"})
    assert response.status_code == 204
    assert "sessionid" not in response.cookies
    assert Session.objects.get(session_key=key).expire_date == expiry


def test_the_poll_stops_for_someone_signed_out(client):
    assert client.get(reverse("contact:live")).status_code == 286


def test_the_navigation_offers_receipts_and_the_live_call_to_officers_only(
    officer_client, client, administrator
):
    html = _html(officer_client.get("/"))
    assert 'href="/contact/receipts/"' in html and 'id="live-call-poll"' in html
    client.force_login(administrator)
    html = _html(client.get("/"))
    assert "/contact/receipts/" not in html and "live-call-poll" not in html


def test_VAL_1_odd_ids_and_characters_never_break_the_pages(officer_client, customer):
    assert officer_client.get(f"/contact/interactions/{2**70}/").status_code == 404
    response = officer_client.post(reverse("contact:receipts"), {"receipt": "4KQ7\x00M2XD"})
    assert response.status_code == 422
    response = officer_client.post(
        reverse("contact:start", args=[customer.pk]),
        {"direction": "inbound", "channel": "phone", "who": "customer\x00"},
    )
    assert response.status_code == 422
    assert not Interaction.objects.exists()
