"""Demo decisions: one ready to finalise (both parties had it explained on a call) and
one blocked (the payee has not), so the decision page's checklist has both to show.
Idempotent: skipped once any decision exists."""

from django.contrib.auth import get_user_model

from cma.contact import services as contact
from cma.customers import access
from cma.customers.models import Case, agency_today
from cma.decisions import services
from cma.decisions.models import Decision
from cma.demo.collection import record_mca


def _cases(officer, wanted: int) -> list[Case]:
    found = []
    for case in Case.objects.select_related("payer", "payee").filter(
        payer__country="AU", payee__country="AU"
    ):
        if access.can_see(officer, case.payer) and access.can_see(officer, case.payee):
            found.append(case)
        if len(found) == wanted:
            break
    return found


def _explain(decision: Decision, customer, officer) -> None:
    call = contact.open_interaction(
        customer=customer,
        actor=officer,
        direction="outbound",
        channel="phone",
        number_type="mobile",
        purpose="explain-decision",
    )
    contact.confirm_identity(
        interaction=call,
        actor=officer,
        answers={
            "full-name": customer.full_name,
            "date-of-birth": customer.date_of_birth.isoformat(),
            "crn": customer.crn,
        },
    )
    services.record_explanation(
        decision=decision, interaction=call, customer=customer, actor=officer
    )
    record_mca(call, officer)  # CMA-1: before the call ends
    contact.add_call_note(
        interaction=call,
        actor=officer,
        subject="Decision explained",
        body="Explained the decision and the review options. No other issues raised.",
    )
    contact.end_interaction(
        interaction=call, actor=officer, reason="completed", outcome="Decision explained"
    )


def load_decisions() -> int:
    if Decision.objects.exists():
        return 0
    officer = get_user_model().objects.filter(username="officer").first()
    if officer is None:
        return 0
    cases = _cases(officer, 2)
    made = 0
    for n, case in enumerate(cases):
        decision = services.create_decision(
            case=case,
            actor=officer,
            kind="change-of-assessment" if n == 0 else "care",
            reasons="The care arrangements changed after the review of the parenting plan.",
            effective_on=agency_today(),
        )
        services.mark_ready(decision=decision, actor=officer)
        _explain(decision, case.payer, officer)
        if n == 0:
            # Ready to finalise; the second stays blocked on its payee.
            _explain(decision, case.payee, officer)
        made += 1
    return made
