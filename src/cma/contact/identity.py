"""Comparing what a caller says with the record (CON-9). The officer types the
caller's answers; only which questions matched is kept, never the answers."""

import re
from datetime import date, datetime

import phonenumbers

from cma.customers.models import Customer

from .models import Interaction, Party

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'-]", " ", text.casefold()).split())


def _day(text: str) -> date | None:
    cleaned = " ".join(text.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def _numbers(customer: Customer) -> set[str]:
    return {p.number for p in customer.phones.all()}


def _phone_matches(text: str, customer: Customer) -> bool:
    try:
        number = phonenumbers.parse(text, "AU")
    except phonenumbers.NumberParseException:
        return False
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return formatted in _numbers(customer)


def matches(field: str, answer: str, interaction: Interaction) -> bool:
    """Does the caller's answer to the question about `field` match the record?"""
    customer = interaction.customer
    answer = (answer or "").strip()
    if not answer:
        return False
    if field == "full_name":
        expected = (
            interaction.representative.name
            if interaction.party == Party.REPRESENTATIVE and interaction.representative
            else customer.full_name
        )
        return _words(answer) == _words(expected)
    if field == "date_of_birth":
        return _day(answer) == customer.date_of_birth
    if field == "crn":
        return re.sub(r"\s", "", answer).upper() == customer.crn.upper()
    if field == "postcode":
        return bool(customer.postcode) and answer.replace(" ", "") == customer.postcode
    if field == "phone":
        return _phone_matches(answer, customer)
    return False
