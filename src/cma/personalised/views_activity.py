"""The PS Activity page (PS-20): a period, then each figure as a table with an
accessible bar chart (inline SVG laid out on the server, the table beside it), per
case manager or per team, and the same tables as a CSV export (formula-safe cells,
audited once). PS case managers see themselves, PS Team Leaders their team, the
National Manager QCC everyone. Counts only, no customer data."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cma.audit.services import record_refusal
from cma.customers.models import agency_today
from cma.errors import DomainError
from cma.inputs import day_validators
from cma.reporting.exports import csv_response

from . import reviews_policy as policy
from . import selectors_activity
from .activity_tables import csv_rows, tables
from .errors import PsRefused
from .forms_core import PsForm
from .selectors_activity import Activity

DATE = forms.DateInput(attrs={"type": "date"})
VIEWED = "personalised.activity.viewed"
EXPORTED = "personalised.activity.exported"


class ActivityForm(PsForm):
    period = forms.ChoiceField(label="Period", required=False)
    start = forms.DateField(
        label="From (for your own period)", required=False, validators=day_validators(), widget=DATE
    )
    end = forms.DateField(
        label="To (for your own period)", required=False, validators=day_validators(), widget=DATE
    )
    by = forms.ChoiceField(
        label="Show the figures",
        choices=[("manager", "Per case manager"), ("team", "Per team")],
        required=False,
        error_messages={"invalid_choice": "Choose per case manager or per team"},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        periods = policy.activity_periods()
        self.fields["period"].choices = [("", "My own period (from and to below)")] + [
            (code, option.name) for code, option in periods.items()
        ]
        self.fields["period"].error_messages["invalid_choice"] = (
            f"Unknown period: choose one of {', '.join(periods)}"
        )


def _require_role(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in selectors_activity.ROLES:
        raise PermissionDenied("PS-20: only PS staff and the National Manager see PS Activity")


def _figures(request: HttpRequest, action: str) -> tuple[ActivityForm, Activity | None, str, int]:
    data = request.GET if request.GET else None
    form = ActivityForm(data, initial={"period": "last-30-days", "by": "manager"})
    if data is not None and not form.is_valid():
        problems = [(f if f != "__all__" else None, str(e[0])) for f, e in form.errors.items()]
        record_refusal(
            actor=request.user,
            action=action,
            error=PsRefused.from_problems("check the period", problems),
        )
        return form, None, "manager", 422
    cleaned = form.cleaned_data if data is not None else {}
    period = cleaned.get("period", "last-30-days") if data is not None else "last-30-days"
    by = cleaned.get("by") or "manager"
    try:
        found = selectors_activity.activity_for(
            request.user,
            period=period,
            start=cleaned.get("start"),
            end=cleaned.get("end"),
            action=action,
        )
    except DomainError as exc:
        form.apply_refusal(exc)
        return form, None, by, exc.http_status
    return form, found, by, 200


@login_required
@require_GET
def activity_page(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    form, found, by, status = _figures(request, VIEWED)
    context = {
        "form": form,
        "figures": found,
        "by": by,
        "tables": tables(found, by) if found is not None else [],
        "export_query": request.GET.urlencode(),
        "default_end": agency_today(),
        "default_start": agency_today() - timedelta(days=29),
    }
    return render(request, "personalised/activity.html", context, status=status)


@login_required
@require_GET
def activity_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The same tables as CSV through the shared writer (formula-safe cells, RFC 4180),
    one audit row: the export."""
    _require_role(request)
    form, found, by, status = _figures(request, EXPORTED)
    if found is None:
        return render(
            request,
            "personalised/activity.html",
            {"form": form, "figures": None, "tables": [], "by": by},
            status=status,
        )
    header, *rows = csv_rows(found, by)
    return csv_response("ps-activity", [str(h) for h in header], rows)
