"""Demo reactive management (PS-18): one PS customer in segment 3, approved by the PS
Team Leader, whose review is due today with its "PS segment 3 review" intray raised
by the sweep for the case manager. Idempotent: skipped once a review is scheduled or
due."""

from django.contrib.auth import get_user_model

from cma.customers.models import agency_today
from cma.notes.models import SensitiveIndicator
from cma.notes.services._common import add_months
from cma.personalised import services
from cma.personalised.models import PsPlan, PsReview, Referral, ReviewState

from .personalised import _customers, _steps


def load_ps_review() -> int:
    if PsReview.objects.filter(state__in=[ReviewState.SCHEDULED, ReviewState.DUE]).exists():
        return 0
    users = get_user_model().objects
    leader, pscm, pstl = (users.filter(username=n).first() for n in ("teamleader", "pscm", "pstl"))
    if leader is None or pscm is None or pstl is None:
        return 0
    taken = set(Referral.objects.values_list("primary_customer_id", flat=True))
    found = [c for c in _customers(leader, len(taken) + 1) if c.pk not in taken]
    if not found:
        return 0
    customer = found[0]
    referral = services.create_referral(
        customer=customer,
        actor=leader,
        kind="ps-referral-tl-only",
        source="ombudsman",
        reason="Repeated escalations about the assessment; ongoing reactive management.",
    )
    _steps(referral, pscm, upto="record-segment-source-reason", segment=3)
    plan = PsPlan.objects.get(customer=customer, state="draft")
    today = agency_today()
    decision = services.decide_segment(
        plan=plan, actor=pscm, segment=3, review_on=add_months(today, 3)
    )
    services.approve_segment(decision=decision, actor=pstl, approve=True)
    review = PsReview.objects.get(plan=plan, state=ReviewState.SCHEDULED)
    # Three months have passed in the demo: the review falls due today.
    PsReview.objects.filter(pk=review.pk).update(review_on=today)
    SensitiveIndicator.objects.filter(customer=customer, removed_at=None).update(review_on=today)
    services.raise_due_reviews(today=today)
    return 1
