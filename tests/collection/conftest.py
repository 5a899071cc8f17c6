"""A payee with two cases (one as payee, one as payer), their accounts, and confirmed
calls with them."""

from datetime import date

import pytest

from cma.audit.models import AuditRecord
from cma.contact import services as contact
from tests.factories import (
    AccountSummaryFactory,
    CaseFactory,
    ContactDetailFactory,
    CustomerFactory,
)


@pytest.fixture
def customer(db):
    person = CustomerFactory(
        role="payee",
        given_names="Ottoline",
        family_name="Brackenridge",
        address_line="9 Otherside Crescent",
        locality="Payeeton",
    )
    ContactDetailFactory(customer=person, kind="mobile", number="+61491570199")
    return person


@pytest.fixture
def payee_case(customer):
    payer = CustomerFactory(role="payer", given_names="Perpetua", family_name="Quillfeather")
    case = CaseFactory(payer=payer, payee=customer, case_number="C9100001")
    AccountSummaryFactory(
        case=case, arrears=2500, ongoing_liability=610, last_payment_date=date(2026, 10, 3)
    )
    return case


@pytest.fixture
def payer_case(customer):
    """The customer pays on a second case (with another payee)."""
    other = CustomerFactory(role="payee", given_names="Wilhelmina", family_name="Thornbury")
    case = CaseFactory(payer=customer, payee=other, case_number="C9100002")
    AccountSummaryFactory(case=case, arrears=0, ongoing_liability=120, dpo_recorded=True)
    return case


@pytest.fixture
def cases(payee_case, payer_case):
    return [payee_case, payer_case]


def confirmed_call(customer, officer, line="c1"):
    call = contact.open_interaction(
        customer=customer, actor=officer, direction="inbound", channel="phone", line=line
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


@pytest.fixture
def call(customer, officer, cases):
    return confirmed_call(customer, officer)


ALL_ADDRESSED = {
    "payment_ongoing": "addressed",
    "payment_arrears": "addressed",
    "care": "addressed",
    "income": "addressed",
}


def head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def rows_since(before: int) -> list[tuple[str, str]]:
    return list(
        AuditRecord.objects.filter(pk__gt=before).order_by("pk").values_list("action", "outcome")
    )
