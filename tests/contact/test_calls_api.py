"""CON-5, CON-8, CON-9, CON-11, CON-12, CON-15 through the API: statuses, error codes
and messages naming the rule, and nothing written but the audited refusal."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services
from cma.contact.models import Interaction, Message, Notification, Sms, Transfer
from cma.customers.models import agency_today
from cma.notes.models import Note
from tests.factories import ContactDetailFactory, CustomerFactory

RIGHT = {"date-of-birth": "14/03/1985", "postcode": "2150"}


@pytest.fixture
def customer(db):
    customer = CustomerFactory()
    ContactDetailFactory(customer=customer, kind="mobile", number="+61491570156")
    return customer


@pytest.fixture
def call(customer, officer):
    return services.open_interaction(
        customer=customer, actor=officer, direction="inbound", channel="phone"
    )


@pytest.fixture
def api(officer_client):
    class Api:
        def post(self, path, body=None, client=officer_client):
            return client.post(f"/api/v1{path}", body or {}, content_type="application/json")

        def get(self, path, client=officer_client):
            return client.get(f"/api/v1{path}")

    return Api()


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _only_refusal(before: int) -> None:
    assert list(AuditRecord.objects.filter(pk__gt=before).values_list("outcome", flat=True)) == [
        Outcome.REFUSED
    ]


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_CON_9_notes_are_written_any_time_and_read_once_confirmed(api, call, customer, officer):
    answer = api.post(f"/interactions/{call.pk}/notes", {"subject": "Call", "body": "Rang in"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["body"].startswith(f"Call receipt: {call.receipt}")
    refused = api.get(f"/interactions/{call.pk}/notes")
    assert refused.status_code == 409 and refused.json()["code"] == "identity-not-confirmed"
    answers = {**RIGHT, "full-name": customer.full_name, "crn": customer.crn}
    services.confirm_identity(interaction=call, actor=officer, answers=answers)
    shown = api.get(f"/interactions/{call.pk}/notes")
    assert shown.status_code == 200 and len(shown.json()) == 1


def test_CON_5_a_note_with_a_phone_number_is_refused(api, call):
    before = _head()
    answer = api.post(
        f"/interactions/{call.pk}/notes",
        {"subject": "Call", "body": "Call them back on 0491 570 156"},
    )
    assert answer.status_code == 422 and answer.json()["code"] == "personal-information"
    assert Note.objects.count() == 0
    _only_refusal(before)


def test_another_officer_s_live_call_is_not_found(call, other_officer, api):
    answer = api.post(
        f"/interactions/{call.pk}/end", {"reason": "completed"}, client=_client_for(other_officer)
    )
    assert answer.status_code == 404
    call.refresh_from_db()
    assert call.is_open


def test_CON_8_a_consequence_statement_on_voicemail_is_refused(api, call):
    before = _head()
    answer = api.post(
        f"/interactions/{call.pk}/messages",
        {
            "recipient": "customer-voicemail",
            "template": "voicemail-callback",
            "extra_text": "Court action is next",
        },
    )
    body = answer.json()
    assert answer.status_code == 422 and body["code"] == "message-refused"
    assert "CON-8" in body["message"] and "'court'" in body["message"]
    assert Message.objects.count() == 0
    _only_refusal(before)


def test_CON_8_an_under_18_message_by_an_officer_outside_parent_support_is_refused(api, officer):
    young = CustomerFactory(date_of_birth=agency_today() - timedelta(days=365 * 17))
    call = services.open_interaction(
        customer=young,
        actor=officer,
        direction="outbound",
        channel="phone",
        purpose="explain-decision",
    )
    before = _head()
    answer = api.post(
        f"/interactions/{call.pk}/messages",
        {"recipient": "customer-voicemail", "template": "voicemail-callback"},
    )
    assert answer.status_code == 422 and "Parent Support Team" in answer.json()["message"]
    assert Message.objects.count() == 0
    _only_refusal(before)


def test_CON_8_a_professional_message_is_left(api, call):
    answer = api.post(
        f"/interactions/{call.pk}/messages",
        {"recipient": "customer-voicemail", "template": "voicemail-callback"},
    )
    assert answer.status_code == 201 and "131 272" in answer.json()["text"]


def test_CON_11_a_transfer_to_a_private_number_is_refused(api, call):
    before = _head()
    answer = api.post(
        f"/interactions/{call.pk}/transfers", {"target": "external", "number": "0491 570 156"}
    )
    body = answer.json()
    assert answer.status_code == 422 and body["code"] == "transfer-refused"
    assert "CON-11: transfer to a private mobile or landline is refused" in body["message"]
    assert Transfer.objects.count() == 0
    _only_refusal(before)


def test_CON_11_a_malformed_number_is_an_invalid_phone_number(api, call):
    before = _head()
    answer = api.post(f"/interactions/{call.pk}/transfers", {"target": "external", "number": "12"})
    body = answer.json()
    assert answer.status_code == 422
    assert (body["code"], body["field"]) == ("invalid-phone-number", "number")
    assert Transfer.objects.count() == 0
    _only_refusal(before)


def test_CON_11_a_warm_transfer_to_an_organisation_ends_the_call(api, call):
    answer = api.post(
        f"/interactions/{call.pk}/transfers",
        {"target": "external", "organisation": "legal-aid", "warm": True},
    )
    body = answer.json()
    assert answer.status_code == 201, body
    assert body["organisation_phone"] == "1300 888 529" and body["warm"] is True
    assert body["interaction"]["end_reason"] == "transferred"


def test_CON_15_an_aggressive_end_without_a_warning_is_refused(api, call):
    before = _head()
    answer = api.post(f"/interactions/{call.pk}/end", {"reason": "aggressive"})
    assert answer.status_code == 422 and "CON-15" in answer.json()["message"]
    assert Interaction.objects.get(pk=call.pk).is_open
    _only_refusal(before)
    assert api.post(f"/interactions/{call.pk}/warning", {"behaviour": "threats"}).status_code == 200
    ended = api.post(f"/interactions/{call.pk}/end", {"reason": "aggressive"})
    assert ended.status_code == 200 and ended.json()["end_reason"] == "aggressive"


def test_CON_15_a_hold_end_before_30_seconds_is_refused(api, call):
    assert api.post(f"/interactions/{call.pk}/hold").status_code == 200
    before = _head()
    answer = api.post(f"/interactions/{call.pk}/end", {"reason": "hold-timeout"})
    assert answer.status_code == 422 and "allowed 30 seconds" in answer.json()["message"]
    _only_refusal(before)
    Interaction.objects.filter(pk=call.pk).update(
        on_hold_since=timezone.now() - timedelta(seconds=40)
    )
    assert api.post(f"/interactions/{call.pk}/end", {"reason": "hold-timeout"}).status_code == 200


def test_CON_15_the_team_leader_sees_and_acknowledges_the_notification(
    api, call, team_leader, other_officer
):
    answer = api.post(
        f"/interactions/{call.pk}/end",
        {"reason": "against-wishes", "wishes_reason": "Kept shouting after the warning"},
    )
    assert answer.status_code == 200, answer.content
    note = Notification.objects.get()
    leader = _client_for(team_leader)
    listed = api.get("/contact/notifications", client=leader).json()
    assert [(n["id"], n["receipt"]) for n in listed] == [(note.pk, call.receipt)]
    assert api.get("/contact/notifications").json() == []
    path = f"/contact/notifications/{note.pk}/acknowledge"
    assert api.post(path, client=_client_for(other_officer)).status_code == 404
    acknowledged = api.post(path, client=leader)
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_at"]
    assert api.post(path, client=leader).status_code == 409


def test_CON_12_ending_a_call_hands_an_opted_in_customer_to_the_survey(api, customer, officer):
    call = services.open_interaction(
        customer=customer, actor=officer, direction="inbound", channel="phone", survey_opt_in=True
    )
    answer = api.post(f"/interactions/{call.pk}/end", {"reason": "completed"})
    assert answer.status_code == 200
    assert Interaction.objects.get(pk=call.pk).survey_handed_over
    assert Transfer.objects.get().target == "survey"


def test_the_catalogues_are_policy_data(api, officer):
    templates = api.get("/contact/message-templates").json()
    assert {t["recipient"] for t in templates} == {
        "customer-voicemail",
        "representative",
        "alternative-contact",
        "third-party",
    }
    assert all("{" not in t["preview"] for t in templates)
    organisations = api.get("/contact/external-organisations").json()
    assert {"code": "ato", "phone": "13 28 61"}.items() <= organisations[0].items()


def test_CON_3_an_sms_is_queued_to_the_mobile_and_sent_on_commit(
    api, customer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CMA_SMS_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/customers/{customer.pk}/sms", {"template_code": "pre-call"})
    body = answer.json()
    assert answer.status_code == 201, body
    assert body["to"] == "mobile" and "491570156" not in answer.content.decode()
    assert Sms.objects.get().status == "sent"
    refused = api.post(f"/customers/{customer.pk}/sms", {"text": "Pay now or face legal action"})
    assert refused.status_code == 422 and refused.json()["code"] == "sms-refused"


def test_SEC_1_write_doors_on_an_ended_call_meet_the_one_door_first(
    api, customer, other_officer, ps_case_manager
):
    from cma.notes import services as notes

    protected = CustomerFactory()
    notes.mark_at_risk(customer=protected, actor=ps_case_manager, reason="Family violence")
    for who in (customer, protected):
        call = services.open_interaction(
            customer=who, actor=ps_case_manager, direction="inbound", channel="phone"
        )
        services.end_interaction(interaction=call, actor=ps_case_manager, reason="completed")
        who.ended_call = call
    outsider = _client_for(other_officer)
    for path, body in (
        ("notes", {"subject": "S", "body": "B"}),
        ("end", {"reason": "completed"}),
        ("transfers", {"target": "external", "organisation": "ato"}),
    ):
        hidden = api.post(f"/interactions/{protected.ended_call.pk}/{path}", body, client=outsider)
        assert (hidden.status_code, hidden.json()["code"]) == (404, "restricted-record")
        seen = api.post(f"/interactions/{customer.ended_call.pk}/{path}", body, client=outsider)
        assert seen.status_code == 403  # open to them, but not their call
