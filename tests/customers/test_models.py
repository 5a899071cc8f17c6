"""The core customer model: derived checks and database constraints."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from cma.customers.models import AlternativeContact, Customer, age_on
from tests.factories import AccountSummaryFactory, CaseFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("now_utc", "under_18"),
    [
        ("2026-11-23 12:59:59", True),  # 23:59:59 on 23 Nov in Canberra (AEDT, UTC+11)
        ("2026-11-23 13:00:00", False),  # midnight in Canberra: the 18th birthday
        ("2027-01-01 00:00:00", False),
        ("2025-06-01 00:00:00", True),
    ],
)
def test_is_under_18_turns_at_midnight_agency_time(now_utc, under_18):
    customer = CustomerFactory.build(date_of_birth=date(2008, 11, 24))
    with freeze_time(now_utc):
        assert customer.is_under_18 is under_18


def test_is_under_18_for_a_leap_day_birthday():
    customer = CustomerFactory.build(date_of_birth=date(2008, 2, 29))
    with freeze_time("2026-02-28 12:00:00"):  # 28 Feb, Canberra: still 17
        assert customer.is_under_18
    with freeze_time("2026-02-28 13:30:00"):  # 1 Mar in Canberra: 18
        assert not customer.is_under_18


def test_age_on():
    assert age_on(date(2000, 5, 10), date(2018, 5, 9)) == 17
    assert age_on(date(2000, 5, 10), date(2018, 5, 10)) == 18


@freeze_time("2026-11-23 02:00:00")
def test_CON_7_alternative_contact_is_current_until_its_end_date():
    customer = CustomerFactory()
    ends_today = AlternativeContact(
        customer=customer, name="A", role="parent", ends_on=date(2026, 11, 23)
    )
    ended = AlternativeContact(
        customer=customer, name="B", role="parent", ends_on=date(2026, 11, 22)
    )
    assert ends_today.is_current
    assert not ended.is_current


def test_time_zone_defaults_from_state_and_overseas_flag():
    assert CustomerFactory.build(state="WA").zone == "Australia/Perth"
    overseas = CustomerFactory.build(state="", country="NZ", time_zone="Pacific/Auckland")
    assert overseas.zone == "Pacific/Auckland" and overseas.is_overseas


def test_australian_customer_needs_a_state_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory(state="", country="AU")
    CustomerFactory(state="", country="NZ")
    assert Customer.objects.count() == 1


def test_case_parties_must_differ():
    customer = CustomerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(payer=customer, payee=customer)


def test_arrears_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountSummaryFactory(arrears=-1)


def test_crn_is_unique():
    CustomerFactory(crn="123456789A")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory(crn="123456789A")


def test_factories_build_valid_rows():
    from tests.factories import (
        AlternativeContactFactory,
        ChildFactory,
        ContactDetailFactory,
        RepresentativeAuthorityFactory,
    )

    for obj in (
        ChildFactory(),
        AlternativeContactFactory(),
        ContactDetailFactory(),
        RepresentativeAuthorityFactory(),
    ):
        obj.full_clean()
    assert AlternativeContactFactory().is_current
