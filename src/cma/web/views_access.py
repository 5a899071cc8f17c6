"""Pages of the one door (SEC-1): the restricted notice with break-the-glass, and the
Team Leader's review list of emergency access."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cma.customers import emergency, selectors
from cma.customers.access import Notice
from cma.errors import DomainError, NotFound
from cma.policy.services import parameter


class EmergencyAccessForm(forms.Form):
    reason = forms.ChoiceField(label="Why do you need access now?", widget=forms.RadioSelect)
    explanation = forms.CharField(
        label="Explain what you need to do",
        help_text="No names, addresses or phone numbers. Your Team Leader reviews this.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [(r["code"], r["name"]) for r in emergency.reasons()]


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("reviewed", "Reviewed: the access was justified"), ("queried", "Queried")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


def restricted_page(request: HttpRequest, notice: Notice, form=None, status: int = 404):
    context = {
        "notice": notice,
        "form": form or EmergencyAccessForm(),
        "hours": parameter("emergency-access-hours"),
    }
    return render(request, "web/restricted.html", context, status=status)


@login_required
@require_POST
def emergency_access(request: HttpRequest, customer_id: int) -> HttpResponse:
    form = EmergencyAccessForm(request.POST)
    if form.is_valid():
        try:
            emergency.break_glass(
                actor=request.user,
                customer_id=customer_id,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except NotFound as exc:
            if exc.field == "customer_id":
                raise Http404("No such customer") from None
            form.add_error(None, exc.message)
        except DomainError as exc:
            for detail in exc.details or [{"field": exc.field, "message": exc.message}]:
                name = detail.get("field")
                form.add_error(name if name in form.fields else None, detail["message"])
        else:
            messages.warning(request, "Emergency access granted; your Team Leader will review it.")
            return redirect("web:customer-detail", customer_id=customer_id)
    try:
        notice = selectors.restricted_notice(request.user, customer_id)
    except NotFound:
        raise Http404("No such customer") from None
    return restricted_page(request, notice, form, status=422)


@login_required
@require_http_methods(["GET"])
def emergency_reviews(request: HttpRequest) -> HttpResponse:
    try:
        grants = emergency.review_list(request.user)
    except DomainError as exc:
        return render(request, "web/refused.html", {"message": exc.message}, status=403)
    return render(request, "web/emergency_reviews.html", {"grants": grants, "form": ReviewForm()})


@login_required
@require_POST
def emergency_review(request: HttpRequest, grant_id: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            emergency.review(
                actor=request.user,
                grant_id=grant_id,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except NotFound:
            raise Http404("No such emergency access") from None
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Review recorded.")
    else:
        messages.error(request, "Choose an outcome; a query needs a comment.")
    return redirect("web:emergency-reviews")
