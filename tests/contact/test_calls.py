"""CON-5, CON-8, CON-9, CON-11, CON-12, CON-15: what happens on a call, through the
services. The API is exercised in test_calls_api.py."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.contact import selectors_calls, services
from cma.contact.errors import (
    EndRefused,
    IdentityNotConfirmed,
    InteractionEnded,
    InvalidPhoneNumber,
    MessageRefused,
    NoSuchNotification,
    NotificationAcknowledged,
    NotYourInteraction,
    TransferRefused,
)
from cma.contact.models import Interaction, Message, Notification, Transfer
from cma.customers.models import agency_today
from cma.notes.models import Note
from cma.policy.models import BusinessArea
from cma.privacy.errors import PersonalInformationFound
from cma.staff.models import Role
from cma.work import services as work
from cma.work.models import Intray
from tests.factories import (
    AuthorisedRepresentativeFactory,
    ContactDetailFactory,
    CustomerFactory,
    RepresentativeAuthorityFactory,
    TeamFactory,
    UserFactory,
)

RIGHT = {"date-of-birth": "14/03/1985", "postcode": "2150"}


@pytest.fixture
def customer(db):
    customer = CustomerFactory(given_names="Marigold", family_name="Pettersen")
    ContactDetailFactory(customer=customer, kind="mobile", number="+61491570156")
    return customer


@pytest.fixture
def pst_officer(db):
    team = TeamFactory(
        name="Parent Support Brisbane",
        state="QLD",
        business_area=BusinessArea.objects.get(code="parent-support"),
    )
    return UserFactory(username="petra", first_name="Petra", team=team)


def _open(customer, officer, **kw):
    kw.setdefault("direction", "inbound")
    kw.setdefault("channel", "phone")
    return services.open_interaction(customer=customer, actor=officer, **kw)


def _confirm(call, officer):
    answers = {**RIGHT, "full-name": call.customer.full_name, "crn": call.customer.crn}
    services.confirm_identity(interaction=call, actor=officer, answers=answers)
    call.refresh_from_db()
    return call


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows_since(before):
    return list(
        AuditRecord.objects.filter(pk__gt=before).order_by("pk").values_list("action", "outcome")
    )


def _only_refusal(before, action):
    assert _rows_since(before) == [(action, Outcome.REFUSED)]


# --- Notes in the call's context -------------------------------------------------------


def test_a_call_note_is_written_before_confirmation_and_names_the_call(customer, officer):
    call = _open(customer, officer)
    before = _head()
    note = services.add_call_note(
        interaction=call, actor=officer, subject="Call", body="Asked about the next payment"
    )
    assert note.body.splitlines() == [
        f"Call receipt: {call.receipt}",
        "Asked about the next payment",
    ]
    assert note.function == "contact" and note.customer_id == customer.pk
    rows = AuditRecord.objects.filter(pk__gt=before)
    assert [r.action for r in rows] == ["contact.note.added"]
    assert rows[0].changes == {"note": note.pk, "receipt": call.receipt}


def test_CON_5_a_call_note_holding_a_phone_number_is_refused(customer, officer):
    call = _open(customer, officer)
    before = _head()
    with pytest.raises(PersonalInformationFound):
        services.add_call_note(
            interaction=call,
            actor=officer,
            subject="Call",
            body="Customer asked us to ring them on 0491 570 156 tomorrow",
        )
    assert Note.objects.count() == 0
    _only_refusal(before, "contact.note.added")
    assert "0491" not in str(AuditRecord.objects.last().changes)


def test_CON_9_the_call_notes_are_shown_only_once_identity_is_confirmed(customer, officer):
    call = _open(customer, officer)
    services.add_call_note(interaction=call, actor=officer, subject="Call", body="Rang in")
    other = _open(customer, UserFactory(team=officer.team))
    services.add_call_note(
        interaction=other, actor=other.officer, subject="Call", body="Another call"
    )
    before = _head()
    with pytest.raises(IdentityNotConfirmed, match="CON-9"):
        selectors_calls.call_notes(officer, call)
    _only_refusal(before, "contact.notes.viewed")
    _confirm(call, officer)
    notes = selectors_calls.call_notes(officer, call)
    assert [n.body.splitlines()[1] for n in notes] == ["Rang in"]


def test_an_ended_call_s_notes_are_history_for_whoever_may_see_the_customer(
    customer, officer, other_officer
):
    call = _open(customer, officer)
    services.add_call_note(interaction=call, actor=officer, subject="Call", body="Rang in")
    services.end_interaction(interaction=call, actor=officer, reason="completed")
    call.refresh_from_db()
    assert len(selectors_calls.call_notes(other_officer, call)) == 1


def test_only_the_officer_on_the_call_writes_in_its_context(customer, officer, other_officer):
    call = _open(customer, officer)
    with pytest.raises(NotYourInteraction):
        services.add_call_note(interaction=call, actor=other_officer, subject="S", body="B")
    assert Note.objects.count() == 0


# --- Messages (CON-8) ---------------------------------------------------------------


def _message(customer, officer, **kw):
    kw.setdefault("recipient", "customer-voicemail")
    kw.setdefault("template", "voicemail-callback")
    return services.leave_message(customer=customer, actor=officer, **kw)


def test_CON_8_a_voicemail_carries_the_officer_s_first_name_and_the_agency_number(
    customer, officer
):
    officer.first_name = "Olivia"
    officer.save(update_fields=["first_name"])
    message = _message(customer, officer)
    assert message.text.startswith("Hello, this is Olivia from Services Australia")
    assert "131 272" in message.text
    assert officer.last_name not in message.text
    assert AuditRecord.objects.last().changes["template"] == "voicemail-callback"


@pytest.mark.parametrize(
    ("recipient", "template"),
    [("customer-voicemail", "voicemail-callback"), ("third-party", "third-party-callback")],
)
def test_CON_8_a_consequence_statement_on_voicemail_or_with_a_third_party_is_refused(
    customer, officer, recipient, template
):
    before = _head()
    with pytest.raises(MessageRefused, match="CON-8") as refused:
        _message(
            customer,
            officer,
            recipient=recipient,
            template=template,
            extra_text="Otherwise LEGAL   Action may follow.",
        )
    assert "legal action" in refused.value.message
    assert Message.objects.count() == 0
    _only_refusal(before, "contact.message.left")


def test_CON_8_a_representative_may_hear_what_happens_next(customer, officer):
    rep = AuthorisedRepresentativeFactory()
    RepresentativeAuthorityFactory(representative=rep, customer=customer)
    call = _open(customer, officer, party="representative", representative_id=rep.pk)
    message = _message(
        customer,
        officer,
        interaction=call,
        recipient="representative",
        template="representative-callback",
        extra_text="Enforcement action is being considered.",
    )
    assert message.interaction_id == call.pk and "Enforcement action" in message.text


def test_CON_8_only_the_parent_support_team_messages_a_customer_under_18(officer, pst_officer):
    young = CustomerFactory(date_of_birth=agency_today().replace(year=agency_today().year - 17))
    before = _head()
    with pytest.raises(MessageRefused, match="Parent Support Team"):
        _message(young, officer)
    assert Message.objects.count() == 0
    _only_refusal(before, "contact.message.left")
    assert _message(young, pst_officer).officer == pst_officer


def test_CON_8_every_unmet_condition_is_listed_at_once(customer, officer):
    customer.date_of_birth = date(agency_today().year - 16, 1, 1)
    customer.save(update_fields=["date_of_birth"])
    call = _open(customer, officer)
    with pytest.raises(MessageRefused) as refused:
        _message(
            customer,
            officer,
            interaction=call,
            recipient="alternative-contact",
            template="voicemail-callback",
            extra_text="You must pay today",
        )
    fields = [d["field"] for d in refused.value.details]
    assert fields == ["template", "extra_text", "customer", "recipient"]


def test_CON_8_free_text_in_a_message_passes_the_privacy_guard(customer, officer):
    with pytest.raises(PersonalInformationFound):
        _message(customer, officer, extra_text="Or text 0491 570 156")
    assert Message.objects.count() == 0


# --- Transfers (CON-11) -------------------------------------------------------------


def _transfer(call, officer, **kw):
    return services.transfer_call(interaction=call, actor=officer, **kw)


def test_CON_11_an_external_transfer_goes_to_the_public_number_and_ends_the_call(customer, officer):
    call = _open(customer, officer)
    before = _head()
    transfer = _transfer(call, officer, target="external", organisation="ato", warm=True)
    call.refresh_from_db()
    assert (transfer.organisation, transfer.warm, transfer.rule) == (
        "ato",
        True,
        "external-organisations",
    )
    assert call.end_reason == "transferred" and call.ended_at is not None
    assert _rows_since(before) == [("contact.call.transferred", Outcome.OK)]


def test_CON_11_a_catalogue_public_number_finds_its_organisation(customer, officer):
    transfer = _transfer(_open(customer, officer), officer, target="external", number="13 28 61")
    assert transfer.organisation == "ato"


def test_CON_11_a_transfer_to_a_private_number_is_refused(customer, officer):
    call = _open(customer, officer)
    before = _head()
    with pytest.raises(TransferRefused) as refused:
        _transfer(call, officer, target="external", number="0491 570 156")
    assert "CON-11: transfer to a private mobile or landline is refused" in refused.value.message
    assert Transfer.objects.count() == 0
    call.refresh_from_db()
    assert call.is_open
    _only_refusal(before, "contact.call.transferred")
    assert "0491" not in str(AuditRecord.objects.last().changes)


def test_CON_11_a_malformed_number_is_invalid(customer, officer):
    call = _open(customer, officer)
    before = _head()
    with pytest.raises(InvalidPhoneNumber) as refused:
        _transfer(call, officer, target="external", number="12")
    assert refused.value.code == "invalid-phone-number" and refused.value.http_status == 422
    assert Transfer.objects.count() == 0
    _only_refusal(before, "contact.call.transferred")


def test_CON_11_an_organisation_outside_the_catalogue_is_refused(customer, officer):
    with pytest.raises(TransferRefused, match="catalogue"):
        _transfer(_open(customer, officer), officer, target="external", organisation="my-mate")


def test_CON_11_a_customer_owned_by_an_officer_is_routed_to_that_officer(
    customer, officer, other_officer
):
    work.lock_customer(customer=customer, actor=other_officer, reason="Case management")
    transfer = _transfer(_open(customer, officer), officer, target="officer")
    assert transfer.to_officer == other_officer and transfer.rule == "locked-to-owner"


def test_CON_11_another_area_than_the_guidelines_advise_is_refused_naming_the_rule(
    customer, officer, other_officer
):
    work.lock_customer(customer=customer, actor=other_officer, reason="Case management")
    call = _open(customer, officer)
    before = _head()
    with pytest.raises(TransferRefused) as refused:
        _transfer(call, officer, target="area", area_code="mainstream", issue="case-management")
    assert "locked-to-owner" in refused.value.message
    assert str(other_officer) in refused.value.message
    assert Transfer.objects.count() == 0
    _only_refusal(before, "contact.call.transferred")


def test_CON_11_a_specialised_issue_goes_to_its_area(customer, officer):
    transfer = _transfer(
        _open(customer, officer), officer, target="area", area_code="complaints", issue="complaint"
    )
    assert transfer.area.code == "complaints" and transfer.rule == "default"


def test_CON_11_a_team_of_the_advised_area_may_take_the_call(customer, officer):
    team = TeamFactory(business_area=BusinessArea.objects.get(code="complaints"))
    transfer = _transfer(
        _open(customer, officer), officer, target="team", team_id=team.pk, issue="complaint"
    )
    assert transfer.team == team


def test_CON_11_no_officer_owns_an_unlocked_customer(customer, officer):
    with pytest.raises(TransferRefused, match="no officer owns"):
        _transfer(_open(customer, officer), officer, target="officer")


def test_CON_11_fields_of_another_kind_of_transfer_are_refused(customer, officer):
    with pytest.raises(TransferRefused) as refused:
        _transfer(
            _open(customer, officer),
            officer,
            target="external",
            organisation="ato",
            issue="complaint",
        )
    assert refused.value.details[0]["field"] == "issue"


# --- Warning, hold and ending (CON-15, CON-12, CON-11) ----------------------------------


def _held_for(call, seconds):
    """As if the customer put the call on hold `seconds` ago."""
    Interaction.objects.filter(pk=call.pk).update(
        on_hold_since=timezone.now() - timedelta(seconds=seconds)
    )


def _end(call, officer, **kw):
    return services.end_interaction(interaction=call, actor=officer, **kw)


def test_CON_15_an_aggressive_end_needs_the_warning_recorded_first(customer, officer):
    call = _open(customer, officer)
    before = _head()
    with pytest.raises(EndRefused, match="CON-15: record the warning"):
        _end(call, officer, reason="aggressive")
    call.refresh_from_db()
    assert call.is_open
    _only_refusal(before, "contact.interaction.ended")
    services.record_warning(interaction=call, actor=officer, behaviour="shouting")
    ended = _end(call, officer, reason="aggressive")
    assert ended.end_reason == "aggressive" and ended.warning == "shouting"


def test_CON_15_a_warning_of_the_officer_s_own_words_passes_the_guard(customer, officer):
    call = _open(customer, officer)
    with pytest.raises(PersonalInformationFound):
        services.record_warning(interaction=call, actor=officer, behaviour="calling 0491 570 156")
    call.refresh_from_db()
    assert call.warned_at is None
    services.record_warning(interaction=call, actor=officer, behaviour="swearing at me")
    call.refresh_from_db()
    assert call.warning == "swearing at me"
    assert AuditRecord.objects.last().changes == {"behaviour": "other"}


def test_CON_15_a_customer_on_hold_is_allowed_30_seconds(customer, officer):
    call = _open(customer, officer)
    with pytest.raises(EndRefused, match="not on hold"):
        _end(call, officer, reason="hold-timeout")
    services.put_on_hold(interaction=call, actor=officer)
    _held_for(call, 12)
    before = _head()
    with pytest.raises(EndRefused, match="allowed 30 seconds") as refused:
        _end(call, officer, reason="hold-timeout")
    assert "on hold 12" in refused.value.message or "on hold 11" in refused.value.message
    _only_refusal(before, "contact.interaction.ended")
    _held_for(call, 31)
    ended = _end(call, officer, reason="hold-timeout")
    assert ended.end_reason == "hold-timeout"
    assert AuditRecord.objects.last().changes["hold_seconds"] >= 31


def test_a_call_already_on_hold_is_not_held_again(customer, officer):
    from cma.contact.errors import OnHoldAlready

    call = _open(customer, officer)
    services.put_on_hold(interaction=call, actor=officer)
    with pytest.raises(OnHoldAlready):
        services.put_on_hold(interaction=call, actor=officer)


def test_CON_15_ending_against_the_customer_s_wishes_notifies_the_team_leader(
    customer, officer, team_leader, other_officer
):
    call = _open(customer, officer)
    with pytest.raises(EndRefused, match="say why"):
        _end(call, officer, reason="against-wishes")
    assert Notification.objects.count() == 0
    _end(
        call,
        officer,
        reason="against-wishes",
        wishes_reason="Repeated the same demand for 20 minutes",
    )
    note = Notification.objects.get()
    assert note.leader == team_leader and note.interaction_id == call.pk
    assert note.kind == "call-ended-against-wishes"
    assert [n.pk for n in selectors_calls.notifications_for(team_leader)] == [note.pk]
    assert selectors_calls.notifications_for(other_officer) == []
    with pytest.raises(NoSuchNotification):
        services.acknowledge_notification(notification=note, actor=other_officer)
    services.acknowledge_notification(notification=note, actor=team_leader)
    note.refresh_from_db()
    assert note.acknowledged_at is not None
    with pytest.raises(NotificationAcknowledged):
        services.acknowledge_notification(notification=note, actor=team_leader)


def test_CON_15_without_a_named_leader_a_leader_of_the_team_is_notified(customer, officer):
    leader = UserFactory(role=Role.TEAM_LEADER, team=officer.team)
    _end(_open(customer, officer), officer, reason="against-wishes", wishes_reason="Abusive")
    assert Notification.objects.get().leader == leader


def test_CON_15_with_no_leader_to_notify_the_end_is_refused(customer, officer):
    with pytest.raises(EndRefused, match="no Team Leader"):
        _end(_open(customer, officer), officer, reason="against-wishes", wishes_reason="Abusive")


def test_CON_11_a_disconnected_call_prompts_an_immediate_call_back(customer, officer):
    call = _end(_open(customer, officer), officer, reason="disconnected")
    assert call.call_back_required
    intray = Intray.objects.get(customer=customer, type__code="call-back-now")
    assert intray.owner_user == officer and intray.due_on == agency_today()
    assert (
        AuditRecord.objects.filter(
            action="contact.interaction.ended", changes__call_back_intray=intray.pk
        ).count()
        == 1
    )
    assert not AuditRecord.objects.filter(action="work.intray.created").exists()


def test_CON_12_an_opted_in_customer_is_handed_to_the_survey(customer, officer):
    call = _end(_open(customer, officer, survey_opt_in=True), officer, reason="completed")
    assert call.survey_handed_over
    survey = Transfer.objects.get(interaction=call)
    assert (survey.target, survey.organisation, survey.rule) == (
        "survey",
        "chas",
        "survey-transfer",
    )


def test_CON_12_a_call_that_does_not_end_normally_is_not_handed_to_the_survey(customer, officer):
    call = _end(_open(customer, officer, survey_opt_in=True), officer, reason="disconnected")
    assert not call.survey_handed_over and not Transfer.objects.exists()


def test_an_ended_call_is_not_ended_again_and_transferred_is_not_a_reason_to_give(
    customer, officer
):
    call = _open(customer, officer)
    with pytest.raises(EndRefused, match="reason must be one of"):
        _end(call, officer, reason="transferred")
    _end(call, officer, reason="completed", outcome="Payment arrangement explained")
    with pytest.raises(InteractionEnded):
        _end(call, officer, reason="completed")
