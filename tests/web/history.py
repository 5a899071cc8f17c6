"""A customer's history for the customer page's query-count test and its benchmark
(bench/customer_page.py): one of everything the timeline shows, made through the
services, then the notes, intrays and letters copied in bulk up to the numbers asked."""

import copy
from datetime import timedelta

from django.utils import timezone

from cma.contact import services as contact
from cma.contact.models import ContactAttempt
from cma.customers.models import AccountSummary, Case, Customer, agency_today
from cma.decisions.models import AffectedParty, Decision
from cma.letters import services as letters
from cma.letters.models import Letter
from cma.notes import services as notes
from cma.notes.models import Note
from cma.staff.models import User
from cma.work import services as work
from cma.work.models import Intray

DECISION_LETTER = {
    "decision_summary": "Your child support will be $412.50 a month from 1 December 2026.",
    "review_options": "You can ask us to review it by lodging an objection within 28 days.",
}


def _copies(obj, n: int, **vary) -> list:
    """n unsaved copies of `obj`, each a little older; `vary` maps field -> f(i)."""
    rows = []
    for i in range(n):
        row = copy.copy(obj)
        row.pk = None
        row.id = None
        row._state = copy.copy(obj._state)
        row._state.adding = True
        for name, value in vary.items():
            setattr(row, name, value(i))
        rows.append(row)
    return rows


def add_history(
    customer: Customer,
    officer: User,
    other: Customer,
    *,
    notes_n: int = 1,
    intrays_n: int = 1,
    letters_n: int = 1,
    tied: bool = False,
) -> None:
    """`tied`: every copy at one instant (the timeline's keyset must break the ties)."""
    case = Case.objects.create(
        case_number=f"C{customer.pk:09d}", payer=customer, payee=other, started_on=agency_today()
    )
    AccountSummary.objects.create(
        case=case, ongoing_liability="412.50", arrears="1200.00", payment_arrangement="none"
    )
    note = notes.add_note(customer=customer, actor=officer, subject="Call", body="Discussed care")
    intray = work.create_intray(customer=customer, type_code="general-follow-up", actor=officer)
    letter = letters.issue_letter(
        customer=customer, template_code="DEC-1", fields=dict(DECISION_LETTER), actor=officer
    )
    call = contact.open_interaction(
        customer=customer, actor=officer, direction="inbound", channel="phone"
    )
    contact.end_interaction(interaction=call, actor=officer, reason="completed")
    ContactAttempt.objects.create(
        customer=customer, officer=officer, channel="phone", outcome="no-answer"
    )
    work.lock_customer(customer=customer, actor=officer, reason="Working the case")
    decision = Decision.objects.create(
        kind="assessment",
        case=case,
        decision_maker=officer,
        reasons="Income reassessed.",
        effective_on=agency_today(),
    )
    AffectedParty.objects.create(decision=decision, customer=customer)
    now = timezone.now()

    def older(i: int):
        return now if tied else now - timedelta(minutes=i + 1)

    Note.objects.bulk_create(_copies(note, notes_n - 1, created_at=older))
    Intray.objects.bulk_create(_copies(intray, intrays_n - 1, created_at=older))
    Letter.objects.bulk_create(
        _copies(
            letter,
            letters_n - 1,
            issued_at=older,
            reference=lambda i: f"H{customer.pk}-{i}",
            request_key=lambda i: None,
        )
    )
