"""A case whose payee is at risk (Separating Safely) and whose payer is the other
party. The payee's protected details are sentinels no other fixture uses."""

from datetime import date

import pytest
from django.test import Client

from cma.customers.models import AlternativeContact, ContactDetail, Customer
from cma.notes import services as notes
from tests.factories import CaseFactory, CustomerFactory

STREET = "Quokkaridge Parade"
ADDRESS = f"88 {STREET}"
LOCALITY = "Katoomba"
POSTCODE = "2780"
MOBILE = "+61491570156"
ALT_PHONE = "+61755501234"


@pytest.fixture
def payer(db) -> Customer:
    """Jordan: the other party, whose record the officer writes on."""
    customer = CustomerFactory(
        given_names="Jordan",
        family_name="Mackenzie",
        address_line="17 Wattle Grove",
        locality="Penrith",
        postcode="2750",
        role="payer",
    )
    ContactDetail.objects.create(customer=customer, kind="mobile", number="+61412555019")
    return customer


@pytest.fixture
def payee(db) -> Customer:
    customer = CustomerFactory(
        given_names="Priya",
        family_name="Raman",
        address_line=ADDRESS,
        locality=LOCALITY,
        postcode=POSTCODE,
        role="payee",
    )
    ContactDetail.objects.create(customer=customer, kind="mobile", number=MOBILE)
    AlternativeContact.objects.create(
        customer=customer,
        name="Robyn Hale",
        role="sister",
        phone=ALT_PHONE,
        ends_on=date(2030, 1, 1),
    )
    return customer


@pytest.fixture
def case(payer, payee):
    return CaseFactory(payer=payer, payee=payee)


@pytest.fixture
def at_risk(case, payee, ps_case_manager):
    """The payee is marked at risk: the payer's record may carry none of her details."""
    notes.mark_at_risk(customer=payee, actor=ps_case_manager, reason="Family violence disclosed")
    return payee


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
