"""A plan's segment 3 reviews (PS-18): the review dates, the one due with the form the
case manager records it on, and for a restricted service customer (PS-19) the
arrangement's review, which the restricted service flow of the customer's page
records and the National Manager QCC approves."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cma.errors import DomainError
from cma.notes.services.restricted import active_restriction

from . import reviews_policy as policy
from . import selectors_reviews
from .forms_reviews import ReviewForm
from .models import PsPlan, PsReview
from .services import reviews as services
from .views_referrals import about_the_form, form_refusal, refused

LISTED = "personalised.reviews.listed"
RECORDED = "personalised.review.recorded"


def _page(
    request: HttpRequest,
    plan: PsPlan,
    rows: list[PsReview],
    form: ReviewForm | None = None,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    current = next((r for r in rows if r.state in ("scheduled", "due")), None)
    can_record = current is not None and plan.case_manager_id == request.user.pk
    context = {
        "plan": plan,
        "reviews": rows,
        "current": current,
        "form": (form or ReviewForm()) if can_record else None,
        "restriction": active_restriction(plan.customer),
        "window": policy.restricted_review_months(),
        "max_months": policy.review_max_months(),
        "outcomes": policy.outcomes(),
        "next_steps": policy.next_steps(),
        "notice": notice,
    }
    return render(request, "personalised/reviews.html", context, status=status)


@login_required
@require_GET
def reviews_page(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    try:
        plan, rows = selectors_reviews.plan_reviews(request.user, ps_plan_id, action=LISTED)
    except DomainError as exc:
        return refused(request, exc)
    notice = "The review is recorded." if request.GET.get("recorded") == "1" else ""
    return _page(request, plan, rows, notice=notice)


@login_required
@require_POST
def record_review(request: HttpRequest, ps_review_id: int) -> HttpResponse:
    try:
        review = selectors_reviews.review(request.user, ps_review_id, action=RECORDED)
    except DomainError as exc:
        return refused(request, exc)
    plan = review.plan
    rows = list(plan.reviews.order_by("-review_on", "-id"))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        form_refusal(request, form, RECORDED, customer_id=plan.customer_id)
        return _page(request, plan, rows, form, status=422)
    data = form.cleaned_data
    try:
        services.record_review(
            review=review,
            actor=request.user,
            outcome=data["outcome"],
            comment=data["comment"],
            next_review_on=data["next_review_on"],
            indicator_action=data["indicator_action"] or "",
            conditions=data["conditions"] or None,
        )
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        return _page(request, plan, rows, form, status=exc.http_status)
    return redirect(reverse("personalised:plan-reviews", args=[plan.pk]) + "?recorded=1")
