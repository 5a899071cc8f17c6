"""ready -> finalised (CMA-6 and the registered checks) -> notified (the written
advice to every affected customer, which starts the CMA-7 auto-unlock)."""

from django.utils import timezone

from cma import formats
from cma.audit.services import as_step, record
from cma.letters.services import issue_letter
from cma.staff.models import User

from .. import checks, policy
from ..errors import DecisionClosed, DecisionRefused
from ..models import Decision, State
from ._common import audited, locked


@audited("decisions.decision.finalised")
def finalise(*, decision: Decision, actor: User) -> Decision:
    """Finalise a ready decision: refused, listing per customer what is missing, unless
    every registered finalisation check holds (CMA-6 among them). The row lock makes
    a racing second finalisation wait and then find it finalised."""
    current = locked(decision, actor, action="decisions.decision.finalised")
    if current.state in (State.FINALISED, State.NOTIFIED):
        raise DecisionClosed(f"the decision is already {current.state}", field="state")
    problems: list[checks.Problem] = []
    if current.state != State.READY:
        problems.append(("state", "mark the decision ready before finalising it"))
    problems += checks.run(checks.FINALISATION_CHECKS, current)
    if problems:
        raise DecisionRefused.from_problems("the decision cannot be finalised", problems)
    current.state = State.FINALISED
    current.finalised_at = current.updated_at = timezone.now()
    current.save(update_fields=["state", "finalised_at", "updated_at"])
    record(
        actor=actor,
        action="decisions.decision.finalised",
        obj=current,
        customer_id=current.case.payer_id,
        changes={"state": current.state},
    )
    return current


def _advice_fields(decision: Decision) -> dict[str, str]:
    # What the letter prints: the kind and the day it takes effect, and the review
    # options by name (policy data). Never the reasons: they may concern the other party.
    kind = policy.kind(decision.kind).name
    options = [o.name for o in policy.review_options().values() if o.code != "none"]
    return {
        "decision_summary": f"{kind}, taking effect on {formats.day(decision.effective_on)}.",
        "review_options": "you can " + "; or ".join(o[0].lower() + o[1:] for o in options) + ".",
    }


@audited("decisions.decision.notified")
def notify(*, decision: Decision, actor: User) -> Decision:
    """Issue the written advice (the decision advice letter) to every affected
    customer; the letters app starts each one's 14-day auto-unlock (CMA-7)."""
    current = locked(decision, actor, action="decisions.decision.notified")
    if current.state == State.NOTIFIED:
        raise DecisionClosed("the decision was already notified", field="state")
    problems: list[checks.Problem] = []
    if current.state != State.FINALISED:
        problems.append(("state", "finalise the decision before notifying it"))
    problems += checks.run(checks.NOTIFICATION_CHECKS, current)
    if problems:
        raise DecisionRefused.from_problems("the decision cannot be notified", problems)
    template, fields, letters = policy.advice_letter(), _advice_fields(current), []
    for party in current.parties.select_related("customer"):
        with as_step():
            letter = issue_letter(
                customer=party.customer,
                template_code=template,
                fields=fields,
                actor=actor,
                request_key=f"decision-{current.pk}-{party.customer_id}",
            )
        party.advice_letter = letter
        party.save(update_fields=["advice_letter"])
        letters.append(letter.pk)
    current.state = State.NOTIFIED
    current.notified_at = current.updated_at = timezone.now()
    current.save(update_fields=["state", "notified_at", "updated_at"])
    record(
        actor=actor,
        action="decisions.decision.notified",
        obj=current,
        customer_id=current.case.payer_id,
        changes={"state": current.state, "template": template, "letters": letters},
    )
    return current
