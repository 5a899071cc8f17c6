"""Demo collection: MCA on the demo's past calls, and one call with a payee that raised
one common and two specialised issues (resolved at first contact, routed to Specialised
Assessments and to Intensive Collection), with MCA for each case, a payee's lead and
what the payee was told, so the customer page's issues list, the call's summary and the
figures have something to show. Idempotent: skipped once any issue exists."""

from django.contrib.auth import get_user_model

from cma.collection import services
from cma.collection.models import PresentingIssue
from cma.collection.services._common import cases_of
from cma.contact import services as contact
from cma.contact.models import Interaction
from cma.customers import access
from cma.customers.models import Case

ADDRESSED = {
    "payment_ongoing": "addressed",
    "payment_arrears": "addressed",
    "care": "addressed",
    "income": "addressed",
}


def record_mca(call: Interaction, officer) -> None:
    """MCA addressed for each of the customer's cases (the other demo steps' calls)."""
    for case in cases_of(call.customer):
        services.record_mca(interaction=call, actor=officer, case_id=case.pk, outcomes=ADDRESSED)


def demo_payee(officer):
    """A domestic payee the officer may see, with one case: the collection call's
    customer (and the browser test's)."""
    for case in (
        Case.objects.select_related("payee")
        .filter(payee__country="AU", payee__state="NSW")
        .order_by("case_number")
    ):
        payee = case.payee
        if access.can_see(officer, payee) and len(cases_of(payee)) == 1:
            return payee
    return None


def load_collection() -> int:
    if PresentingIssue.objects.exists():
        return 0
    officer = get_user_model().objects.filter(username="officer").first()
    payee = demo_payee(officer) if officer else None
    if payee is None:
        return 0
    call = contact.open_interaction(
        customer=payee, actor=officer, direction="inbound", channel="phone", number_type="mobile"
    )
    contact.confirm_identity(
        interaction=call,
        actor=officer,
        answers={
            "full-name": payee.full_name,
            "date-of-birth": payee.date_of_birth.isoformat(),
            "crn": payee.crn,
        },
    )
    (case,) = cases_of(payee)
    services.record_mca(
        interaction=call,
        actor=officer,
        case_id=case.pk,
        outcomes={**ADDRESSED, "payment_arrears": "follow-up-intray-created"},
    )
    services.raise_issue(interaction=call, actor=officer, kind="payment-enquiry")
    services.raise_issue(interaction=call, actor=officer, kind="estimate", case_id=case.pk)
    services.raise_issue(interaction=call, actor=officer, kind="debt-enforcement", case_id=case.pk)
    services.record_lead(
        interaction=call,
        actor=officer,
        case_id=case.pk,
        kind="employer",
        name="Harbourside Logistics Pty Ltd",
        identifier="51824753556",
    )
    services.record_payee_update(
        interaction=call, actor=officer, case_id=case.pk, outcome="told-action-taken"
    )
    services.refer_externally(
        interaction=call,
        actor=officer,
        organisation="family-relationship-advice-line",
        consent=True,
    )
    contact.end_interaction(
        interaction=call, actor=officer, reason="completed", outcome="Three issues settled"
    )
    return 1
