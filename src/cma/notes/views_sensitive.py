"""Staff pages for sensitive customers: Separating Safely, sensitive issue indicators,
restricted service and the National Manager QCC's approvals queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.customers.selectors import get_customer_for
from cma.errors import DomainError
from cma.staff.models import CUSTOMER_FACING_ROLES, User

from . import selectors, services
from .forms import (
    DecisionForm,
    IndicatorForm,
    IndicatorReviewForm,
    ReasonForm,
    RestrictionForm,
    RestrictionReviewForm,
)
from .views import refused


def _officers():
    return User.objects.filter(is_active=True, role__in=CUSTOMER_FACING_ROLES).order_by(
        "last_name", "first_name"
    )


def _page(request, customer, status=200, **bound) -> HttpResponse:
    """The sensitive-customer page; `bound` replaces a blank form with a refused one."""
    user = request.user
    state = selectors.safety_of(customer)
    restrictions = selectors.restrictions(customer)
    forms = {
        "mark_form": ReasonForm(auto_id="id_mark_%s"),
        "end_form": ReasonForm(auto_id="id_end_%s"),
        "indicator_form": IndicatorForm(),
        "restriction_form": RestrictionForm(officers=_officers()),
        "restriction_review_form": RestrictionReviewForm(),
        **bound,
    }
    indicators = selectors.indicators(customer, include_removed=True)
    for indicator in indicators:
        indicator.review_form = bound.get("review_forms", {}).get(
            indicator.pk
        ) or IndicatorReviewForm(auto_id=f"id_ind{indicator.pk}_%s")
    context = {
        "customer": customer,
        "state": state,
        "indicators": indicators,
        "restrictions": restrictions,
        "can": {
            "mark": user.has_perm("notes.mark_at_risk", customer),
            "end": user.has_perm("notes.end_at_risk", customer),
            "add_indicator": user.has_perm("notes.add_indicator", customer),
            "review_indicator": user.has_perm("notes.review_indicator", customer),
            "restrict": user.has_perm("notes.manage_restriction", customer),
        },
        **forms,
    }
    return render(request, "notes/sensitive.html", context, status=status)


@login_required
@require_GET
def sensitive(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        customer = get_customer_for(request.user, customer_id, purpose="sensitive-viewed")
        selectors.require_perm(
            request.user, "notes.view_indicators", customer, "no access to this customer"
        )
    except DomainError as exc:
        return refused(request, exc)
    return _page(request, customer)


def _post(request, customer_id, form_class, form_key, call, done, purpose, **form_kwargs):
    """Shared POST flow: fetch the customer, validate the form, call the service, show
    the refusal beside the fields or go back to the page with a message."""
    try:
        # POST only: the service writes the operation's one audit row.
        customer = get_customer_for(request.user, customer_id, purpose=purpose, audit=False)
    except DomainError as exc:
        return refused(request, exc)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            call(customer, form.cleaned_data)
        except DomainError as exc:
            form.apply_refusal(exc)
        else:
            messages.success(request, done)
            return redirect("notes:sensitive", customer_id=customer.pk)
    return _page(request, customer, status=422, **{form_key: form})


@login_required
@require_POST
def mark_at_risk(request: HttpRequest, customer_id: int) -> HttpResponse:
    def call(customer, data):
        services.mark_at_risk(customer=customer, actor=request.user, reason=data["reason"])

    return _post(
        request, customer_id, ReasonForm, "mark_form", call,
        "Marked at risk: Separating Safely applies.", "safety-marking", auto_id="id_mark_%s",
    )  # fmt: skip


@login_required
@require_POST
def end_at_risk(request: HttpRequest, customer_id: int) -> HttpResponse:
    def call(customer, data):
        services.end_at_risk(customer=customer, actor=request.user, reason=data["reason"])

    return _post(
        request, customer_id, ReasonForm, "end_form", call,
        "Separating Safely ended.", "safety-ending", auto_id="id_end_%s",
    )  # fmt: skip


@login_required
@require_POST
def add_indicator(request: HttpRequest, customer_id: int) -> HttpResponse:
    def call(customer, data):
        services.add_sensitive_indicator(customer=customer, actor=request.user, **data)

    return _post(
        request, customer_id, IndicatorForm, "indicator_form", call,
        "Sensitive issue indicator added, with a review intray due on the review date.",
        "indicator-adding",
    )  # fmt: skip


@login_required
@require_POST
def review_indicator(request: HttpRequest, indicator_id: int) -> HttpResponse:
    try:
        indicator = selectors.indicator_for(
            request.user, indicator_id, "indicator-reviewing", audit=False
        )
    except DomainError as exc:
        return refused(request, exc)
    form = IndicatorReviewForm(request.POST, auto_id=f"id_ind{indicator.pk}_%s")
    if form.is_valid():
        try:
            services.review_sensitive_indicator(
                indicator=indicator, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.apply_refusal(exc)
        else:
            messages.success(request, "Indicator reviewed.")
            return redirect("notes:sensitive", customer_id=indicator.customer_id)
    return _page(request, indicator.customer, status=422, review_forms={indicator.pk: form})


@login_required
@require_POST
def create_restriction(request: HttpRequest, customer_id: int) -> HttpResponse:
    def call(customer, data):
        services.create_restricted_service(
            customer=customer,
            actor=request.user,
            allowed_channels=data["allowed_channels"],
            conditions=data["conditions"],
            review_due_on=data["review_due_on"],
            contact_officer=data.get("contact_officer"),
        )

    return _post(
        request, customer_id, RestrictionForm, "restriction_form", call,
        "Restricted service recorded, with a review intray due on the review date.",
        "restriction-creating", officers=_officers(),
    )  # fmt: skip


@login_required
@require_POST
def propose_restriction_review(request: HttpRequest, arrangement_id: int) -> HttpResponse:
    try:
        arrangement = selectors.restriction_for(
            request.user, arrangement_id, "restriction-reviewing", audit=False
        )
    except DomainError as exc:
        return refused(request, exc)
    form = RestrictionReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.propose_restriction_review(
                arrangement=arrangement,
                actor=request.user,
                outcome=data["outcome"],
                recommendation=data["recommendation"],
                next_review_due_on=data.get("next_review_due_on"),
                allowed_channels=data.get("allowed_channels") or None,
                conditions=data.get("conditions") or "",
            )
        except DomainError as exc:
            form.apply_refusal(exc)
        else:
            messages.success(request, "Review sent to the National Manager QCC for approval.")
            return redirect("notes:sensitive", customer_id=arrangement.customer_id)
    return _page(request, arrangement.customer, status=422, restriction_review_form=form)


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """The National Manager QCC's queue of restricted service reviews (DOC-7)."""
    try:
        reviews = selectors.pending_restriction_reviews(request.user)
    except DomainError as exc:
        return refused(request, exc)
    return _approvals_page(request, reviews)


def _approvals_page(request, reviews, bound=None, status=200) -> HttpResponse:
    """Each review carries its own decision form (its own ids); a refused one keeps what
    was submitted, shown with its errors."""
    for review in reviews:
        review.decision_form = (bound or {}).get(review.pk) or DecisionForm(
            auto_id=f"id_review{review.pk}_%s"
        )
    return render(request, "notes/approvals.html", {"reviews": reviews}, status=status)


@login_required
@require_POST
def decide(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = selectors.restriction_review_for(
            request.user, review_id, "restriction-deciding", audit=False
        )
    except DomainError as exc:
        return refused(request, exc)
    form = DecisionForm(request.POST, auto_id=f"id_review{review.pk}_%s")
    if form.is_valid():
        try:
            services.decide_restriction_review(
                review=review,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            form.apply_refusal(exc)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("notes:approvals")
    try:
        reviews = selectors.pending_restriction_reviews(request.user)
    except DomainError as exc:
        return refused(request, exc)
    return _approvals_page(request, reviews, {review.pk: form}, status=422)
