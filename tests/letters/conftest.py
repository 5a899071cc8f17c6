"""Letters fixtures: addressees with full postal addresses, sample inputs for every
template, and helpers to read a PDF's text."""

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.factories import CaseFactory, CustomerFactory

# Valid inputs for every template in the catalogue.
SAMPLE_FIELDS: dict[str, dict[str, str]] = {
    "MX0-1": {"reason": "We need to check the care arrangements for your children."},
    "MX1-1": {"reason": "income-details", "request_type": "contact-request"},
    "DEC-1": {
        "decision_summary": "Your child support will be $412.50 a month from 1 December 2026.",
        "review_options": "You can ask us to review it by lodging an objection within 28 days.",
    },
    "UQ140.00": {},
    "UQ140.01": {
        "call_date": "2026-11-03",
        "agreed_actions": "1. You will send us your latest payslips.\n"
        "2. I will call you again on 17 November.",
    },
    "UQ140.02": {"exit_reason": "The matters in your plan have been resolved."},
}
EMPLOYER_FLAG = {"MX1-1": False}


@pytest.fixture
def customer(db):
    """Jamie Citizen: an Australian payer with a complete postal address."""
    return CustomerFactory(
        given_names="Jamie",
        family_name="Citizen",
        address_line="12 Example Street",
        locality="Parramatta",
        state="NSW",
        postcode="2150",
    )


@pytest.fixture
def overseas_customer(db):
    return CustomerFactory(
        given_names="Aroha",
        family_name="Overseas",
        country="NZ",
        state="",
        time_zone="Pacific/Auckland",
        address_line="4 Harbour View Road",
        locality="Auckland",
        postcode="1010",
    )


@pytest.fixture
def other_party(customer):
    """The payee in a case with `customer`."""
    case = CaseFactory(
        payer=customer,
        payee=CustomerFactory(
            role="payee",
            address_line="99 Hidden Lane",
            locality="Wollongong",
            state="NSW",
            postcode="2500",
        ),
    )
    return case.payee


def letter_kwargs(code: str, customer, actor, **overrides: Any) -> dict[str, Any]:
    kwargs = {
        "customer": customer,
        "template_code": code,
        "fields": dict(SAMPLE_FIELDS[code]),
        "actor": actor,
        "employer_notice_outstanding": EMPLOYER_FLAG.get(code),
    }
    kwargs.update(overrides)
    return kwargs


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(bytes(pdf)))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(bytes(pdf))).pages)


def flat(text: str) -> str:
    """Text with all whitespace collapsed, so line wrapping cannot hide a match."""
    return " ".join(text.split())
