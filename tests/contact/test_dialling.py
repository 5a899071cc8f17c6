"""CON-13, CON-14, AUD-1: dialling customers from Australia, Norfolk Island numbers,
local time and callable hours, and recording phone numbers."""

from datetime import UTC, datetime

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.contact import dialling, services
from cma.contact.errors import InvalidPhoneNumber
from cma.customers.models import ContactDetail
from cma.errors import ValidationFailed
from cma.notes.models import Note
from tests.factories import ContactDetailFactory, CustomerFactory

API = "/api/v1"


@pytest.fixture
def uk_customer(db):
    return CustomerFactory(country="GB", state="", postcode="", time_zone="")


@pytest.fixture
def norfolk_customer(db):
    return CustomerFactory(country="NF", state="", postcode="2899", time_zone="")


def _rows_after(pk: int):
    return list(AuditRecord.objects.filter(pk__gt=pk).order_by("pk"))


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_CON_13_a_UK_mobile_is_dialled_from_Australia_with_the_international_prefix(
    uk_customer, officer
):
    """Seed 001 Table 11: UK 07654 123 123 from Australia is 0011 44 7654 123123."""
    detail = services.record_phone_number(
        customer=uk_customer, actor=officer, kind="international", number="+44 7654 123 123"
    )
    assert detail.number == "+447654123123"  # stored in E.164
    dial = dialling.dial_for(detail)
    assert dial.dial_digits == "0011447654123123"  # the seed's digits
    assert dial.dial == "0011 44 76 5412 3123"  # grouped by the UK numbering plan
    assert dial.international and dial.region == "GB" and not dial.norfolk_island
    # The same number as a UK resident says it, read in the UK's plan.
    parsed = dialling.parse_number("07654 123 123", region="GB")
    assert dialling.e164(parsed) == "+447654123123"


def test_CON_13_an_australian_mobile_is_dialled_as_a_national_number(officer):
    customer = CustomerFactory()
    detail = services.record_phone_number(
        customer=customer, actor=officer, kind="mobile", number="0491 570 156", preferred=True
    )
    dial = dialling.dial_for(detail)
    assert detail.number == "+61491570156"
    assert (dial.dial, dial.line_type, dial.international) == ("0491 570 156", "mobile", False)


def test_CON_13_a_norfolk_island_number_sets_remote_and_special_contact_and_a_contact_note(
    norfolk_customer, officer
):
    """Seed 001 Table 10: Special Contact and Remote indicators; a document with
    subject "Contact Note" and text "Island/Country telephony Code +6723"."""
    assert not norfolk_customer.is_remote
    before = _head()
    detail = services.record_phone_number(
        customer=norfolk_customer, actor=officer, kind="international", number="+672 3 22222"
    )
    norfolk_customer.refresh_from_db()
    assert norfolk_customer.is_remote
    note = Note.objects.get(customer=norfolk_customer)
    assert (note.subject, note.body) == ("Contact Note", "Island/Country telephony Code +6723")
    rows = _rows_after(before)
    assert [r.action for r in rows] == ["contact.phone.recorded"]  # AUD-1: one row
    assert rows[0].changes["norfolk_island"] and rows[0].changes["note"] == note.pk
    assert "22222" not in str(rows[0].changes) + rows[0].reason
    plan = dialling.dial_plan(norfolk_customer)
    assert plan.norfolk_island and plan.remote and plan.special_contact
    assert plan.dials[0].dial == "0011 672 3 22222"
    assert plan.needs["zone"] == "Pacific/Norfolk"
    assert dialling.dial_for(detail).norfolk_island
    # A second Norfolk Island number needs no second note.
    services.record_phone_number(
        customer=norfolk_customer, actor=officer, kind="international", number="+672 3 12345"
    )
    assert Note.objects.filter(customer=norfolk_customer).count() == 1


def test_CON_13_a_norfolk_island_number_marks_a_customer_recorded_in_australia(officer):
    customer = CustomerFactory(state="NSW")
    services.record_phone_number(
        customer=customer, actor=officer, kind="international", number="+672322222"
    )
    customer.refresh_from_db()
    assert customer.is_remote and dialling.dial_plan(customer).norfolk_island


@pytest.mark.parametrize(
    "at, callable_now, local",
    [
        # 9 am in London in December (GMT) is 8 pm in Sydney.
        (datetime(2026, 12, 1, 9, 0, tzinfo=UTC), True, "09:00"),
        # 10:30 pm in London: outside reasonable local hours.
        (datetime(2026, 12, 1, 22, 30, tzinfo=UTC), False, "22:30"),
        # 8:30 am British Summer Time.
        (datetime(2026, 7, 1, 7, 30, tzinfo=UTC), True, "08:30"),
    ],
)
def test_CON_13_local_time_and_callable_hours_for_a_UK_customer(
    uk_customer, at, callable_now, local
):
    plan = dialling.dial_plan(uk_customer, at)
    assert plan.needs["zone"] == "Europe/London"
    assert plan.needs["local_time"].strftime("%H:%M") == local
    assert plan.needs["callable_now"] is callable_now
    assert plan.needs["call_hours"] == "08:00 to 20:00"
    if callable_now:
        assert plan.callable_from is None
    else:  # the next 8 am in London
        assert plan.callable_from == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_CON_14_interpreter_and_relay_needs_come_with_the_dial_plan(officer):
    customer = CustomerFactory(interpreter_language="Vietnamese", relay_need="tty")
    needs = dialling.dial_plan(customer).needs
    assert (needs["interpreter_language"], needs["relay_need"]) == ("Vietnamese", "tty")


@pytest.mark.parametrize("number", ["12", "not a number", "+44 12", "0491 570", "+999 123456"])
def test_VAL_1_a_malformed_or_impossible_number_is_refused_and_nothing_written(officer, number):
    customer = CustomerFactory()
    before = _head()
    with pytest.raises(InvalidPhoneNumber) as refused:
        services.record_phone_number(customer=customer, actor=officer, kind="mobile", number=number)
    assert refused.value.field == "number" and refused.value.http_status == 422
    assert not ContactDetail.objects.filter(customer=customer).exists()
    rows = _rows_after(before)
    assert [(r.action, r.outcome) for r in rows] == [("contact.phone.recorded", Outcome.REFUSED)]


def test_the_kind_must_match_where_the_number_is(officer, uk_customer):
    with pytest.raises(ValidationFailed) as refused:
        services.record_phone_number(
            customer=uk_customer, actor=officer, kind="mobile", number="+44 7654 123123"
        )
    assert refused.value.field == "kind"
    with pytest.raises(ValidationFailed):
        services.record_phone_number(
            customer=uk_customer, actor=officer, kind="international", number="0491 570 156"
        )


def test_recording_a_kind_again_replaces_it_and_preferred_moves(officer):
    customer = CustomerFactory()
    home = ContactDetailFactory(customer=customer, kind="home", number="+61299998888")
    mobile = ContactDetailFactory(customer=customer, kind="mobile", is_preferred=True)
    again = services.record_phone_number(
        customer=customer, actor=officer, kind="home", number="(02) 9876 5432", preferred=True
    )
    assert again.pk == home.pk and again.number == "+61298765432"
    mobile.refresh_from_db()
    assert again.is_preferred and not mobile.is_preferred
    row = AuditRecord.objects.filter(action="contact.phone.recorded").last()
    assert row.changes["replaced"] is True and "98765432" not in str(row.changes)


def test_AUD_1_the_api_records_reads_and_removes_numbers(officer_client, officer):
    customer = CustomerFactory(country="GB", state="", postcode="")
    before = _head()
    response = officer_client.post(
        f"{API}/customers/{customer.pk}/phone-numbers",
        {"kind": "international", "number": "+44 7654 123123"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dial_digits"] == "0011447654123123" and body["region"] == "GB"
    assert len(_rows_after(before)) == 1
    before = _head()
    plan = officer_client.get(f"{API}/customers/{customer.pk}/dial-plan").json()
    assert plan["dials"][0]["contact_detail_id"] == body["contact_detail_id"]
    assert plan["needs"]["zone"] == "Europe/London" and plan["norfolk_island"] is False
    assert [r.action for r in _rows_after(before)] == ["contact.dial_plan.viewed"]
    before = _head()
    detail_id = body["contact_detail_id"]
    removed = officer_client.post(f"{API}/customers/{customer.pk}/phone-numbers/{detail_id}/remove")
    assert removed.status_code == 200 and removed.json()["removed"] is True
    assert [r.action for r in _rows_after(before)] == ["contact.phone.removed"]
    assert not ContactDetail.objects.filter(pk=detail_id).exists()
    # Another customer's number is not found through this customer.
    other = ContactDetailFactory()
    response = officer_client.post(f"{API}/customers/{customer.pk}/phone-numbers/{other.pk}/remove")
    assert response.status_code == 404 and ContactDetail.objects.filter(pk=other.pk).exists()


def test_VAL_1_the_api_names_the_field_of_a_bad_number(officer_client):
    customer = CustomerFactory()
    response = officer_client.post(
        f"{API}/customers/{customer.pk}/phone-numbers",
        {"kind": "mobile", "number": "0491 57"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "number"
    assert response.json()["code"] == "invalid-phone-number"
