"""Demo notes: notepads (one corrected, one from a macro), a Separating Safely payee
with a family violence indicator (their payer's pages withhold their details), and a
restricted-service customer with a PS stacking document and a review awaiting the
National Manager QCC's approval. Idempotent: does nothing once loaded."""

from datetime import timedelta

from django.contrib.auth import get_user_model

from cma.customers.models import Customer, agency_today
from cma.notes import services
from cma.notes.models import SafetyMarker
from cma.notes.services._common import add_months
from cma.staff.models import Team
from cma.work.models import CustomerLock
from cma.work.services import lock_customer

PARRAMATTA = "Mainstream Services Parramatta"
# Customers by their index in the demo load: 40 pays 41 (case C5000020); 42 is the
# payer of case C5000021.
SAFE_PAYER, AT_RISK_PAYEE, RESTRICTED = 40, 41, 42


def _customer(i: int) -> Customer:
    from cma.demo.core import _crn

    return Customer.objects.get(crn=_crn(i))


def _notes(officer, customer, case) -> None:
    services.add_note(
        customer=customer,
        actor=officer,
        subject="",
        body="",
        case=case,
        macro_code="contact-attempt",
        macro_fields={
            "party": "customer",
            "channel": "phone",
            "number_type": "mobile",
            "outcome": "no-answer",
            "attempt": "first",
        },
    )
    wrong = services.add_note(
        customer=customer,
        actor=officer,
        subject="Call about arrears",
        body="Payer agreed to pay $150 a fortnight from next month.",
        case=case,
        function="collection",
    )
    services.add_note(
        customer=customer,
        actor=officer,
        subject="",
        body="The agreed amount is $175 a fortnight, not $150.",
        case=case,
        corrects=wrong,
        function="collection",
    )


def load_notes() -> None:
    if SafetyMarker.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.all()}
    officer, pscm, pstl = users["officer"], users["pscm"], users["pstl"]
    payer, payee = _customer(SAFE_PAYER), _customer(AT_RISK_PAYEE)
    case = payer.cases_as_payer.first()
    _notes(officer, payer, case)

    # Separating Safely: the payee is at risk. Personalised Services routes them to the
    # Parramatta team, so its officers and leader have need-to-know given by someone who
    # has it (SEC-1) and see the warning first.
    if not CustomerLock.objects.filter(customer=payee, released_at=None).exists():
        lock_customer(
            customer=payee,
            actor=users["pscm"],
            reason="Separating Safely: managed by Mainstream Parramatta",
            owner_team=Team.objects.get(name=PARRAMATTA),
        )
    services.mark_at_risk(
        customer=payee, actor=pscm, reason="Family violence disclosed; protection order in place"
    )
    services.add_sensitive_indicator(
        customer=payee,
        actor=pscm,
        kind="family-violence",
        reason="Protection order against the other party",
        conditions="Never discuss the other party's contact with the customer",
        review_on=agency_today() + timedelta(days=60),
    )

    # Restricted service, with the PS stacking document that records it.
    restricted = _customer(RESTRICTED)
    document = services.create_stacking_document(
        customer=restricted,
        actor=pscm,
        purpose="ps",
        referral_reason="Step 3 complaint: repeated abusive calls to service officers.",
    )
    income = services.add_note(
        customer=restricted,
        actor=pscm,
        subject="Income estimate lodged",
        body="Estimate of income lodged for the current year; review pending.",
        function="income",
    )
    services.add_notepad(
        document=document,
        actor=pscm,
        subject="",
        body="",
        macro_code="ps-case-management",
        macro_fields={
            "activity": "case-review",
            "discussion": "Case history reviewed; five mandatory issues identified.",
            "actions_agreed": "Written contact only while behaviour is reviewed.",
        },
    )
    services.add_pointer(document=document, actor=pscm, note=income)
    arrangement = services.create_restricted_service(
        customer=restricted,
        actor=pstl,
        allowed_channels=["post", "email"],
        conditions="Written contact only. Calls are ended politely and the customer is "
        "reminded of the arrangement.",
        review_due_on=add_months(agency_today(), 4),
        contact_officer=pscm,
    )
    services.propose_restriction_review(
        arrangement=arrangement,
        actor=pscm,
        outcome="continue",
        recommendation="Abusive emails continue; keep written contact only.",
        next_review_due_on=add_months(agency_today(), 3),
    )
    services.add_sensitive_indicator(
        customer=restricted,
        actor=pscm,
        kind="restricted-service",
        reason="Restricted service arrangement in place",
        review_on=agency_today() + timedelta(days=80),
        max_review_months=3,
    )
