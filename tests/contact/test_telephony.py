"""SEC-1, AUD-1, CON-9, CON-12, CON-16: the telephony platform's signed events, the
screen pop and the confirmed-call grant."""

import json
import time
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cma.audit.models import AuditRecord, Outcome
from cma.contact import selectors, telephony
from cma.contact.models import EndReason, Identity, Interaction, TelephonyEvent
from cma.customers import access
from cma.customers.models import Customer
from tests.factories import ContactDetailFactory, CustomerFactory
from tests.test_door_walk import KINDS, _protect

API = "/api/v1"
URL = f"{API}/telephony/events"
NUMBER = "+61491570156"


@pytest.fixture
def customer(db):
    customer = CustomerFactory(given_names="Marigold", family_name="Pettersen")
    ContactDetailFactory(customer=customer, kind="mobile", number=NUMBER)
    return customer


def _event(kind: str, call_id: str = "call-1", **fields):
    return {"event_id": f"e-{uuid.uuid4().hex}", "kind": kind, "call_id": call_id, **fields}


def _post(client, event, *, headers=None, body=None, at=None):
    raw = body if body is not None else json.dumps(event).encode()
    signed = telephony.sign(raw, at) if headers is None else headers
    return client.post(URL, raw, content_type="application/json", headers=signed)


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _new_rows(before: int):
    return list(AuditRecord.objects.filter(pk__gt=before).order_by("pk"))


def _counts():
    return (TelephonyEvent.objects.count(), Interaction.objects.count())


def _answers(customer):
    return {
        "full-name": customer.full_name,
        "date-of-birth": "14/03/1985",
        "crn": customer.crn,
        "postcode": "2150",
    }


def _call(client, officer, call_id="call-1", caller=NUMBER, **offered):
    """Offered then answered; returns the answered response's body."""
    first = _post(client, _event("offered", call_id, caller_number=caller, **offered))
    assert first.status_code == 200, first.content
    answered = _post(client, _event("answered", call_id, officer=officer.username))
    assert answered.status_code == 200, answered.content
    return answered.json()


# --- Refusals: nothing written but the audited refusal ------------------------------


def _refused(response, before, counts, status, why):
    assert response.status_code == status, response.content
    assert response.json()["code"] == "telephony-rejected"
    assert _counts() == counts
    rows = _new_rows(before)
    assert [(r.outcome, r.reason) for r in rows] == [(Outcome.REFUSED, "telephony-rejected")]
    if why:
        assert rows[0].changes["why"] == why
    return rows[0]


def test_SEC_1_an_unsigned_event_is_refused_and_audited(client, customer, officer):
    before, counts = _head(), _counts()
    event = _event("answered", officer=officer.username, caller_number=NUMBER)
    response = _post(client, event, headers={})
    row = _refused(response, before, counts, 401, "unsigned")
    assert row.action == "contact.telephony.rejected" and NUMBER not in json.dumps(row.changes)


def test_SEC_1_a_bad_signature_or_tampered_body_is_refused(client, customer, officer):
    event = _event("offered", caller_number=NUMBER)
    raw = json.dumps(event).encode()
    headers = telephony.sign(raw)
    before, counts = _head(), _counts()
    tampered = raw.replace(b"offered", b"answered")
    _refused(
        _post(client, None, headers=headers, body=tampered), before, counts, 401, "bad-signature"
    )
    wrong_key = {
        telephony.TIMESTAMP_HEADER: headers[telephony.TIMESTAMP_HEADER],
        telephony.SIGNATURE_HEADER: telephony.signature(
            raw, headers[telephony.TIMESTAMP_HEADER], b"not-the-key"
        ),
    }
    before = _head()
    _refused(_post(client, None, headers=wrong_key, body=raw), before, counts, 401, "bad-signature")


@pytest.mark.parametrize("offset", [-301, 301])
def test_SEC_1_a_stale_or_future_event_is_refused(client, customer, offset):
    before, counts = _head(), _counts()
    response = _post(client, _event("offered", caller_number=NUMBER), at=time.time() + offset)
    _refused(response, before, counts, 401, "stale")


def test_SEC_1_a_replayed_event_is_refused(client, customer, officer):
    event = _event("offered", caller_number=NUMBER)
    raw = json.dumps(event).encode()
    headers = telephony.sign(raw)
    assert _post(client, None, headers=headers, body=raw).status_code == 200
    before, counts = _head(), _counts()
    row = _refused(_post(client, None, headers=headers, body=raw), before, counts, 403, None)
    assert row.action == "contact.telephony.offered"


def test_VAL_1_a_malformed_caller_number_is_refused_with_its_field(client, customer):
    before, counts = _head(), _counts()
    response = _post(client, _event("offered", caller_number="12"))
    assert response.status_code == 422 and response.json()["field"] == "caller_number"
    assert _counts() == counts
    assert [r.outcome for r in _new_rows(before)] == [Outcome.REFUSED]


def test_VAL_1_an_unknown_officer_is_refused(client, customer):
    before, counts = _head(), _counts()
    response = _post(client, _event("answered", caller_number=NUMBER, officer="nobody"))
    assert response.status_code == 422 and response.json()["field"] == "officer"
    assert _counts() == counts and len(_new_rows(before)) == 1


FIELDS = (
    "event_id",
    "kind",
    "call_id",
    "caller_number",
    "ivr_reference",
    "survey_opt_in",
    "officer",
    "extra",
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=90),
    st.sampled_from(["offered", "answered", "transferred", "ended", NUMBER, "olivia", "12"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8))
def test_VAL_1_any_signed_body_gets_a_declared_answer_never_a_server_error(
    client, customer, officer, body
):
    before = _head()
    response = _post(client, body)
    assert response.status_code in (200, 400, 403, 409, 422), response.content
    if response.status_code != 200:
        assert response.json()["code"]
        assert len(_new_rows(before)) <= 1  # the refusal at most, nothing else


def test_a_signed_body_that_is_not_json_is_a_400(client, db):
    response = _post(client, None, body=b"not json")
    assert response.status_code == 400


# --- The call's life: offered, answered, transferred, ended -------------------------


def test_AUD_1_CON_16_offered_answered_ended_one_row_per_event(client, customer, officer):
    before = _head()
    offered = _post(
        client,
        _event("offered", caller_number="0491 570 156", ivr_reference="", survey_opt_in=True),
    )
    assert offered.json()["identified"] is True and offered.json()["interaction_id"] is None
    assert len(_new_rows(before)) == 1
    event = TelephonyEvent.objects.get(kind="offered")
    assert event.customer == customer and event.details["number_type"] == "mobile"
    assert NUMBER not in json.dumps(event.details) and "491570156" not in json.dumps(event.details)

    before = _head()
    answered = _post(client, _event("answered", officer=officer.username)).json()
    assert [r.action for r in _new_rows(before)] == ["contact.telephony.answered"]
    call = Interaction.objects.get(pk=answered["interaction_id"])
    assert (call.officer, call.customer, call.line) == (officer, customer, "call-1")
    assert call.attested and call.survey_opt_in and call.direction == "inbound"
    assert call.number_type == "mobile" and call.identity == Identity.UNCONFIRMED
    assert answered["receipt"] == call.receipt

    before = _head()
    ended = _post(client, _event("ended"))
    assert ended.status_code == 200
    assert [r.action for r in _new_rows(before)] == ["contact.telephony.ended"]
    call.refresh_from_db()
    assert call.ended_at is not None and call.end_reason == EndReason.PLATFORM


def test_the_screen_pop_shows_the_officers_call_and_nothing_about_the_customer(
    client, customer, officer
):
    client.force_login(officer)
    assert client.get(f"{API}/contact/live").json()["interaction"] is None
    answered = _call(client, officer)
    pop = client.get(f"{API}/contact/live")
    assert pop.status_code == 200
    body = pop.json()
    assert body["interaction"]["id"] == answered["interaction_id"]
    assert body["interaction"]["receipt"] == answered["receipt"]
    text = pop.content.decode()
    for secret in (customer.given_names, customer.family_name, customer.crn, "491570156"):
        assert secret not in text


def test_an_unidentified_caller_gets_no_interaction_and_the_pop_says_search(
    client, customer, officer
):
    client.force_login(officer)
    answered = _call(client, officer, caller="+61491570999")  # nobody's number
    assert answered["identified"] is False and answered["interaction_id"] is None
    pop = client.get(f"{API}/contact/live").json()
    assert pop["interaction"] is None and pop["call_id"] == "call-1"
    assert pop["message"] == "caller not identified; search for the customer"
    _post(client, _event("ended"))
    assert client.get(f"{API}/contact/live").json()["message"] == ""


def test_a_shared_number_is_told_apart_by_the_ivr_reference(client, customer, officer):
    partner = CustomerFactory()
    ContactDetailFactory(customer=partner, kind="home", number=NUMBER)
    assert _call(client, officer, call_id="c-a")["identified"] is False
    _post(client, _event("ended", "c-a"))
    answered = _call(client, officer, call_id="c-b", ivr_reference=partner.crn)
    assert Interaction.objects.get(pk=answered["interaction_id"]).customer == partner


def test_a_transfer_ends_one_interaction_and_opens_the_next_unconfirmed(
    client, customer, officer, other_officer
):
    first = _call(client, officer)
    response = _post(client, _event("transferred", officer=other_officer.username))
    assert response.status_code == 200, response.content
    old = Interaction.objects.get(pk=first["interaction_id"])
    assert old.end_reason == EndReason.TRANSFERRED and old.ended_at is not None
    new = Interaction.objects.get(pk=response.json()["interaction_id"])
    assert (new.officer, new.customer, new.line, new.attested) == (
        other_officer,
        customer,
        "call-1",
        True,
    )
    assert new.identity == Identity.UNCONFIRMED  # CON-9: confirmed again for this officer


# --- The grant: a confirmed attested call (SEC-1) -----------------------------------


def _fresh(customer) -> Customer:
    return Customer.objects.get(pk=customer.pk)  # no cached door decisions


@pytest.mark.parametrize("kind", KINDS)
def test_SEC_1_a_confirmed_attested_call_grants_need_to_know_while_it_lasts(
    client, officer, ps_case_manager, kind
):
    customer = CustomerFactory()
    ContactDetailFactory(customer=customer, kind="mobile", number=NUMBER)
    _protect(kind, customer, ps_case_manager)
    client.force_login(officer)
    assert client.get(f"{API}/customers/{customer.pk}").status_code == 404
    assert not access.can_see(officer, _fresh(customer))

    answered = _call(client, officer)
    call_id = answered["interaction_id"]
    # The identity check of an attested call is the officer's before confirmation...
    assert selectors.interaction_for(officer, call_id).pk == call_id
    view = client.get(f"{API}/interactions/{call_id}")
    assert view.status_code == 200 and view.json()["customer"] is None
    # ...but the customer's record is not.
    assert client.get(f"{API}/customers/{customer.pk}").status_code == 404

    check = client.post(
        f"{API}/interactions/{call_id}/identity",
        {"answers": _answers(customer)},
        content_type="application/json",
    )
    assert check.status_code == 200 and check.json()["result"] == Identity.CONFIRMED
    confirm_row = AuditRecord.objects.filter(action="contact.identity.checked").last()
    assert confirm_row.changes["grant"] == "confirmed-call"
    assert access.can_see(officer, _fresh(customer))
    assert access.decide(officer, _fresh(customer)).because == "confirmed-call"
    assert client.get(f"{API}/customers/{customer.pk}").status_code == 200

    _post(client, _event("ended"))
    assert not access.can_see(officer, _fresh(customer))
    assert client.get(f"{API}/customers/{customer.pk}").status_code == 404


def test_SEC_1_an_interaction_opened_by_hand_grants_nothing_even_confirmed(
    officer, ps_case_manager
):
    customer = CustomerFactory()
    _protect("at-risk", customer, ps_case_manager)
    # As if opened at the desk before the customer was protected, and confirmed.
    Interaction.objects.create(
        receipt="2345-6789",
        customer=customer,
        officer=officer,
        direction="inbound",
        channel="phone",
        line=f"desk:{officer.pk}",
        attested=False,
        identity=Identity.CONFIRMED,
    )
    assert not access.can_see(officer, _fresh(customer))


def test_SEC_1_another_officers_confirmed_call_grants_nothing(
    client, officer, other_officer, ps_case_manager
):
    customer = CustomerFactory()
    ContactDetailFactory(customer=customer, kind="mobile", number=NUMBER)
    _protect("sensitive", customer, ps_case_manager)
    answered = _call(client, officer)
    Interaction.objects.filter(pk=answered["interaction_id"]).update(identity=Identity.CONFIRMED)
    assert access.can_see(officer, _fresh(customer))
    assert not access.can_see(other_officer, _fresh(customer))


# --- The command -------------------------------------------------------------------


def _simulate(*args):
    out = StringIO()
    call_command("telephony", "simulate", *args, stdout=out)
    return out.getvalue().splitlines()


def test_cma_telephony_simulate_drives_offered_answered_ended(customer, officer):
    before = _head()
    lines = _simulate("--officer", "olivia", "--caller", NUMBER, "--survey", "--end-after")
    assert [line.split()[0] for line in lines] == ["offered", "answered", "ended"]
    assert customer.given_names not in "\n".join(lines)
    call = Interaction.objects.get(customer=customer)
    assert call.attested and call.survey_opt_in and call.end_reason == EndReason.PLATFORM
    assert call.receipt in lines[1]
    assert [r.action for r in _new_rows(before)] == [
        "contact.telephony.offered",
        "contact.telephony.answered",
        "contact.telephony.ended",
    ]


def test_cma_telephony_simulate_transfers(customer, officer, other_officer):
    lines = _simulate("--officer", "olivia", "--caller", NUMBER, "--transfer-to", "oscar")
    assert lines[-1].startswith("transferred")
    assert Interaction.objects.get(customer=customer, ended_at=None).officer == other_officer


@pytest.mark.parametrize(
    "args, words",
    [
        (["--officer", "nobody", "--caller", NUMBER], "officer"),
        (["--officer", "olivia", "--caller", "12"], "caller_number"),
        (["--officer", "olivia", "--caller", "1" * 40], "caller_number"),
    ],
)
def test_cma_telephony_simulate_refuses_bad_input_in_one_line(customer, officer, args, words):
    with pytest.raises(CommandError) as refused:
        _simulate(*args)
    assert words in str(refused.value) and "\n" not in str(refused.value)


def test_cma_telephony_simulate_with_no_key_configured_is_refused(settings, customer, officer):
    settings.CMA_TELEPHONY_SECRET = ""
    with pytest.raises(CommandError, match="no key"):
        _simulate("--officer", "olivia", "--caller", NUMBER)
    assert not TelephonyEvent.objects.exists()


def test_cma_telephony_sign_prints_headers_that_verify(tmp_path, db):
    body = tmp_path / "event.json"
    body.write_bytes(b'{"event_id": "x", "kind": "ended", "call_id": "c"}')
    out = StringIO()
    call_command("telephony", "sign", str(body), stdout=out)
    headers = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    telephony.verify(
        body=body.read_bytes(),
        timestamp=headers[telephony.TIMESTAMP_HEADER],
        signature_header=headers[telephony.SIGNATURE_HEADER],
    )


def test_CON_12_a_call_the_officer_ends_on_the_platform_hands_an_opted_in_caller_to_the_survey(
    db, officer
):
    from cma.contact.models import Interaction, TransferTarget
    from cma.contact.services import open_interaction
    from cma.contact.services.telephony import end_on_line
    from tests.factories import CustomerFactory

    customer = CustomerFactory()
    call = open_interaction(
        customer=customer,
        actor=officer,
        direction="inbound",
        channel="phone",
        line="call-survey-1",
        attested=True,
        survey_opt_in=True,
    )
    end_on_line("call-survey-1", "platform")
    call = Interaction.objects.get(pk=call.pk)
    assert call.survey_handed_over
    assert call.transfers.get().target == TransferTarget.SURVEY
