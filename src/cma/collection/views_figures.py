"""The collection figures page (CMA-1, CMA-2, CMA-3, REP-1) for Team Leaders (their
team) and the National Manager (everyone): a period, then MCA completion by officer,
team and business area, issues resolved at first contact against routed, and payee
leads with their outcomes. No customer data."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cma.customers.models import agency_today
from cma.errors import DomainError
from cma.inputs import day_validators

from . import figures, policy
from .figures import LEADERS
from .models import PayeeUpdateOutcome

DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", validators=day_validators(), widget=DATE)
    end = forms.DateField(label="To", validators=day_validators(), widget=DATE)


@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) not in LEADERS:
        raise PermissionDenied("only Team Leaders and the National Manager see these figures")
    today = agency_today()
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    form = PeriodForm(data, initial={"start": today - timedelta(days=30), "end": today})
    found = None
    status = 200
    if data is None or form.is_valid():
        start = form.cleaned_data["start"] if data else today - timedelta(days=30)
        end = form.cleaned_data["end"] if data else today
        try:
            found = figures.figures_for(request.user, start=start, end=end)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 422
    else:
        status = 422
    update_rows = []
    if found is not None:
        kinds = {k.code: k.name for k in policy.lead_kinds().values()}
        for lead in found.leads:
            lead["name"] = kinds.get(lead["kind"], lead["kind"])
        update_rows = [
            (label, found.payee_updates.get(code, 0)) for code, label in PayeeUpdateOutcome.choices
        ]
    context = {"form": form, "figures": found, "update_rows": update_rows}
    return render(request, "collection/figures.html", context, status=status)
