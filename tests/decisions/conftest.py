"""A case with a payer and a payee, and calls with each whose identity is confirmed."""

from datetime import date

import pytest

from cma.contact import services as contact
from cma.decisions import services
from tests.factories import CaseFactory, ContactDetailFactory, CustomerFactory


@pytest.fixture
def case(db):
    payer = CustomerFactory(
        role="payer",
        given_names="Perpetua",
        family_name="Quillfeather",
        address_line="7 Sentinel Parade",
        locality="Payerville",
    )
    payee = CustomerFactory(
        role="payee",
        given_names="Ottoline",
        family_name="Brackenridge",
        address_line="9 Otherside Crescent",
        locality="Payeeton",
    )
    ContactDetailFactory(customer=payer, kind="mobile", number="+61491570111")
    ContactDetailFactory(customer=payee, kind="mobile", number="+61491570199")
    return CaseFactory(payer=payer, payee=payee)


@pytest.fixture
def decision(case, officer):
    return services.create_decision(
        case=case,
        actor=officer,
        kind="change-of-assessment",
        reasons="The care arrangements changed after the review.",
        effective_on=date(2026, 12, 14),
    )


def confirmed_call(customer, officer, line="d1"):
    call = contact.open_interaction(
        customer=customer,
        actor=officer,
        direction="outbound",
        channel="phone",
        line=line,
        purpose="explain-decision",
    )
    contact.confirm_identity(
        interaction=call,
        actor=officer,
        answers={
            "full-name": customer.full_name,
            "date-of-birth": "14/03/1985",
            "crn": customer.crn,
            "postcode": customer.postcode,
        },
    )
    call.refresh_from_db()
    assert call.confirmed
    return call


def end_call(call, officer):
    # CMA-1's end check is collection's concern (tests/collection); here it is waived.
    contact.end_interaction(
        interaction=call, actor=officer, reason="completed", override_reason="Decision test call"
    )
