"""Fixtures for the notes tests: a case whose parties have known details, and an
at-risk payee whose protected details are sentinel values."""

import pytest
from django.test import Client

from cma.customers.models import Customer
from cma.notes import services
from tests.factories import CaseFactory, CustomerFactory

from .factories import AlternativeContactFactory, ChildFactory, ContactDetailFactory

# Separating Safely sentinels: the at-risk payee's protected details.
SENTINEL_ADDRESS = "88 Quokkaridge Parade"
SENTINEL_LOCALITY = "Zebrawood Heights"
SENTINEL_POSTCODE = "2899"
SENTINEL_MOBILE = "+61491570156"
SENTINEL_ALT_PHONE = "+61755501234"
SENTINEL_EMAIL = "priya.raman.safe@example.org"
SENTINELS = [
    SENTINEL_ADDRESS,
    SENTINEL_LOCALITY,
    SENTINEL_POSTCODE,
    SENTINEL_MOBILE,
    "0491570156",
    "0491 570 156",
    "491570156",
    SENTINEL_ALT_PHONE,
    "0755501234",
    SENTINEL_EMAIL,
]


def contains_sentinel(text: str) -> list[str]:
    compact = "".join(text.split())
    return [s for s in SENTINELS if s in text or "".join(s.split()) in compact]


@pytest.fixture
def payer(db) -> Customer:
    customer = CustomerFactory(
        given_names="Jordan",
        family_name="Mackenzie",
        address_line="17 Wattle Grove",
        locality="Penrith",
        postcode="2750",
        role="payer",
    )
    ContactDetailFactory(customer=customer, kind="mobile", number="+61412555019")
    return customer


@pytest.fixture
def payee(db) -> Customer:
    customer = CustomerFactory(
        given_names="Priya Anne",
        family_name="Raman",
        address_line=SENTINEL_ADDRESS,
        locality=SENTINEL_LOCALITY,
        postcode=SENTINEL_POSTCODE,
        email=SENTINEL_EMAIL,
        role="payee",
    )
    ContactDetailFactory(customer=customer, kind="mobile", number=SENTINEL_MOBILE)
    AlternativeContactFactory(customer=customer, phone=SENTINEL_ALT_PHONE)
    return customer


@pytest.fixture
def case(payer, payee):
    case = CaseFactory(payer=payer, payee=payee)
    ChildFactory(case=case, given_names="Mia", family_name="Mackenzie")
    return case


@pytest.fixture
def at_risk_payee(case, payee, ps_case_manager):
    """The payee is marked at risk (Separating Safely) by a PS case manager."""
    services.mark_at_risk(customer=payee, actor=ps_case_manager, reason="Family violence disclosed")
    return payee


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
