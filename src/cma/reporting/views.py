"""The auditor's pages: the trail search with its chain positions, the CSV export of a
search, and a check of the whole chain (issue 23 item 7; AUD-1, FILE-1, FILE-2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.audit.services import record, verify
from cma.errors import DomainError

from . import trail
from .exports import csv_response
from .forms import TrailForm


def _allowed(request: HttpRequest) -> None:
    if not request.user.has_perm("audit.view_audit"):
        raise PermissionDenied("only auditors and administrators search the audit trail")


def _filter(form: TrailForm) -> trail.TrailFilter:
    data = form.cleaned_data
    return trail.TrailFilter(
        customer=data["customer"].strip(),
        actor=data["actor"].strip(),
        action=data["action"].strip(),
        start=data["start"],
        end=data["end"],
    )


def _show_error(form: TrailForm, exc: DomainError) -> None:
    for detail in exc.details or [{"field": exc.field, "message": exc.message}]:
        field = detail["field"] if detail["field"] in form.fields else None
        form.add_error(field, detail["message"])


@login_required
@require_GET
def trail_page(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = TrailForm(request.GET)
    found, status = None, 200
    if form.is_valid():
        try:
            found = trail.search_trail(
                request.user, _filter(form), before=form.cleaned_data["before"]
            )
        except DomainError as exc:
            _show_error(form, exc)
            status = 422
    else:
        status = 422
    query = request.GET.copy()
    query.pop("before", None)
    context = {"form": form, "page": found, "query": query.urlencode()}
    return render(request, "reporting/trail.html", context, status=status)


@login_required
@require_GET
def trail_export(request: HttpRequest) -> HttpResponseBase:
    _allowed(request)
    form = TrailForm(request.GET)
    if form.is_valid():
        try:
            rows = trail.export_trail(request.user, _filter(form))
        except DomainError as exc:
            _show_error(form, exc)
        else:
            return csv_response("audit-trail", trail.EXPORT_HEADER, rows)
    context = {"form": form, "page": None, "query": ""}
    return render(request, "reporting/trail.html", context, status=422)


@login_required
@require_POST
def chain_check(request: HttpRequest) -> HttpResponse:
    """Seal what is pending and walk the whole chain (as `cma audit verify` does)."""
    _allowed(request)
    result = verify()
    record(
        actor=request.user,
        action="audit.chain.verified",
        changes={"intact": result.ok, "checked": result.checked, "bad_seq": result.bad_seq},
    )
    if result.ok:
        noun = "record" if result.checked == 1 else "records"
        messages.success(request, f"The chain verifies: {result.checked} {noun} intact.")
    else:
        messages.error(
            request,
            f"The chain is broken at record {result.bad_seq}: {result.problem}. "
            "Report it to the security team now.",
        )
    return redirect("reporting:trail")
