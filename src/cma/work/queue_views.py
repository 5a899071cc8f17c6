"""The team queue page: a working list sorted and filtered on the server (GET
parameters), per-officer counts, and one form that re-assigns the ticked rows (or one
row) together, refusing any row changed since the page loaded."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cma.errors import DomainError, NotFound, PermissionDenied, Unmet
from cma.policy.models import IntrayType

from . import queue, selectors, services
from .forms import BulkAssignForm, add_domain_error, owner_groups

COLUMNS = (("type", "Work"), ("owner", "Owner"), ("due", "Due"), ("priority", "Priority"))


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def _headers(query: queue.QueueQuery) -> list[dict]:
    """Each sortable column: its aria-sort and the link that sorts by it (MoJ look)."""
    out = []
    for key, label in (*COLUMNS, ("created", "Created")):
        current = query.key == key
        state = ("descending" if query.descending else "ascending") if current else "none"
        params = {
            **query.as_params(),
            "sort": f"-{key}" if current and not query.descending else key,
        }
        out.append(
            {"key": key, "label": label, "aria_sort": state, "href": "?" + urlencode(params)}
        )
    return out


def _page(request: HttpRequest, query, form, status: int = 200, query_errors=()) -> HttpResponse:
    try:
        context = selectors.team_queue(request.user, query=query)
    except DomainError as exc:
        return _refused(request, exc)
    context.update(
        form=form,
        query_errors=list(query_errors),
        headers={h["key"]: h for h in _headers(query)},
        owner_groups=owner_groups(request.user),
        types=list(IntrayType.objects.filter(active=True).order_by("name").values("code", "name")),
        statuses=queue.STATUSES,
        team_key=f"team:{context['team'].pk}",
        query_string=urlencode(query.as_params()),
    )
    return render(request, "work/team_queue.html", context, status=status)


@login_required
def team_queue(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    try:
        query = queue.parse_query(request.GET)
    except Unmet as exc:
        errors = [d["message"] for d in exc.details or []]
        query = queue.QueueQuery()
    form = BulkAssignForm(actor=request.user, auto_id="bulk_%s")
    return _page(request, query, form, status=422 if errors else 200, query_errors=errors)


@login_required
@require_POST
def team_reassign(request: HttpRequest) -> HttpResponse:
    """Re-assign the ticked rows (or the row whose button was pressed) to one owner."""
    try:
        query = queue.parse_query(request.POST, prefix="q-")
    except Unmet:
        query = queue.QueueQuery()
    form = BulkAssignForm(request.POST, actor=request.user, auto_id="bulk_%s")
    if form.is_valid():
        items = form.cleaned_data["items"]
        try:
            done = services.reassign_intrays(
                actor=request.user,
                items=items,
                reason=form.cleaned_data["reason"],
                **form.owner(),
            )
        except (NotFound, PermissionDenied) as exc:
            return _refused(request, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        except forms.ValidationError as exc:
            form.add_error("owner", exc)
        else:
            ids = ", ".join(str(i.pk) for i in done)
            word = "Intray" if len(done) == 1 else "Intrays"
            messages.success(request, f"Re-assigned. {word} {ids} now with {done[0].owner}.")
            suffix = urlencode(query.as_params())
            return redirect(reverse("work:team-queue") + (f"?{suffix}" if suffix else ""))
    return _page(request, query, form, status=422)
