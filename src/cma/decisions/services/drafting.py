"""Recording a decision and getting it ready: draft -> ready."""

from datetime import date

from django.utils import timezone

from cma.audit.services import record
from cma.customers import access
from cma.customers.models import Case
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from .. import policy
from ..checks import Problem
from ..errors import DecisionClosed, DecisionRefused
from ..models import CLOSED, AffectedParty, Decision, State
from ._common import audited, locked


def _check_content(kind: str | None, reasons: str | None, case: Case) -> None:
    problems: list[Problem] = []
    if kind is not None and kind not in policy.kinds():
        problems.append(("kind", f"unknown decision kind {kind!r}"))
    if reasons is not None and not reasons.strip():
        problems.append(("reasons", "document the reasons for the decision"))
    if problems:
        raise DecisionRefused.from_problems("the decision cannot be recorded", problems)
    if reasons:
        # DOC-3: reasons say why, never a party's numbers or contact details.
        check_free_text({"reasons": reasons}, customer=case.payer, case=case)


@audited("decisions.decision.created")
def create_decision(
    *, case: Case, actor: User, kind: str, reasons: str, effective_on: date
) -> Decision:
    """A draft decision on `case` by `actor` (its decision maker). Every party of the
    case (payer and payee) is affected by it (CMA-6)."""
    for customer in (case.payer, case.payee):
        access.admit(actor, customer, action="decisions.decision.created")
    _check_content(kind, reasons, case)
    decision = Decision.objects.create(
        kind=kind, case=case, decision_maker=actor, reasons=reasons, effective_on=effective_on
    )
    parties = [case.payer_id, case.payee_id]
    AffectedParty.objects.bulk_create(
        [AffectedParty(decision=decision, customer_id=pk) for pk in parties]
    )
    record(
        actor=actor,
        action="decisions.decision.created",
        obj=decision,
        customer_id=case.payer_id,
        changes={"kind": kind, "case": case.pk, "parties": parties},
    )
    return decision


@audited("decisions.decision.updated")
def update_decision(
    *,
    decision: Decision,
    actor: User,
    kind: str | None = None,
    reasons: str | None = None,
    effective_on: date | None = None,
) -> Decision:
    """Change a decision that is not finalised yet (refused once it is)."""
    current = locked(decision, actor, action="decisions.decision.updated")
    problems: list[Problem] = []
    if current.state in CLOSED:
        problems.append(("state", f"the decision is {current.state}; it can no longer be edited"))
    if kind is not None and kind not in policy.kinds():
        problems.append(("kind", f"unknown decision kind {kind!r}"))
    if reasons is not None and not reasons.strip():
        problems.append(("reasons", "document the reasons for the decision"))
    if problems:
        raise DecisionRefused.from_problems("the decision cannot be changed", problems)
    _check_content(None, reasons, current.case)
    changed = []
    for name, value in (("kind", kind), ("reasons", reasons), ("effective_on", effective_on)):
        if value is not None and getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    current.updated_at = timezone.now()
    current.save(update_fields=[*changed, "updated_at"])
    record(
        actor=actor,
        action="decisions.decision.updated",
        obj=current,
        customer_id=current.case.payer_id,
        changes={"fields": changed},
    )
    return current


@audited("decisions.decision.ready")
def mark_ready(*, decision: Decision, actor: User) -> Decision:
    """draft -> ready: the decision is made and may be finalised once explained."""
    current = locked(decision, actor, action="decisions.decision.ready")
    if current.state in CLOSED:
        raise DecisionClosed(f"the decision is already {current.state}", field="state")
    if current.state != State.DRAFT:
        raise DecisionRefused.from_problems(
            "the decision cannot be marked ready", [("state", "it is already ready")]
        )
    current.state = State.READY
    current.ready_at = current.updated_at = timezone.now()
    current.save(update_fields=["state", "ready_at", "updated_at"])
    record(
        actor=actor,
        action="decisions.decision.ready",
        obj=current,
        customer_id=current.case.payer_id,
        changes={"state": current.state},
    )
    return current
