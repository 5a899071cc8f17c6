"""Demo contact history: a domestic, an overseas (UK) and a Norfolk Island customer
each with a past call and its receipt number, so the call screen's read-only summary,
the receipt lookup and the contact panel have something to show. Idempotent: skipped
once any interaction exists."""

from django.contrib.auth import get_user_model

from cma.contact import services
from cma.contact.models import Interaction
from cma.customers.models import Customer
from cma.demo.collection import record_mca


def _customers() -> list[tuple[Customer, str]]:
    domestic = Customer.objects.filter(country="AU", state="NSW").order_by("crn").first()
    uk = Customer.objects.filter(country="GB").order_by("crn").first()
    norfolk = Customer.objects.filter(country="NF").order_by("crn").first()
    found = [(domestic, "inbound"), (uk, "outbound"), (norfolk, "outbound")]
    return [(c, d) for c, d in found if c is not None]


def load_contact() -> int:
    if Interaction.objects.exists():
        return 0
    officer = get_user_model().objects.filter(username="officer").first()
    if officer is None:
        return 0
    made = 0
    for customer, direction in _customers():
        call = services.open_interaction(
            customer=customer,
            actor=officer,
            direction=direction,
            channel="phone",
            number_type="mobile" if customer.country == "AU" else "international",
            purpose="check-contact-details" if direction == "outbound" else "",
        )
        services.confirm_identity(
            interaction=call,
            actor=officer,
            answers={
                "full-name": customer.full_name,
                "date-of-birth": customer.date_of_birth.isoformat(),
                "crn": customer.crn,
            },
        )
        record_mca(call, officer)  # CMA-1: before the call ends
        services.add_call_note(
            interaction=call,
            actor=officer,
            subject="Call",
            body="Confirmed contact details with the customer. No other issues raised.",
        )
        services.end_interaction(
            interaction=call, actor=officer, reason="completed", outcome="Details confirmed"
        )
        made += 1
    return made
