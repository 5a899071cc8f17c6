"""Reads of segment 3 reviews (PS-18): through the one door for their customer."""

from cma.audit.services import record
from cma.staff.models import User

from .models import PsPlan, PsReview
from .selectors import one


def review(actor: User, pk: int, *, action: str) -> PsReview:
    """The review behind `pk` if the actor may see its customer; 404 audited otherwise."""
    found = one(PsReview, actor, pk, action=action, field="ps_review_id")
    return found


def plan_reviews(actor: User, plan_pk: int, *, action: str) -> tuple[PsPlan, list[PsReview]]:
    """A plan's reviews, newest first, in a fixed number of queries; the read audited."""
    plan = one(PsPlan, actor, plan_pk, action=action, field="ps_plan_id")
    rows = list(plan.reviews.order_by("-review_on", "-id"))
    record(
        actor=actor,
        action=action,
        obj=plan,
        customer_id=plan.customer_id,
        changes={"count": len(rows)},
    )
    return plan, rows


def viewed(actor: User, found: PsReview, action: str) -> None:
    record(actor=actor, action=action, obj=found, customer_id=found.customer_id)
