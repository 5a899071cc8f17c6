"""The decision maker's list of their decisions awaiting explanation or notification:
every affected customer's status by role, sorted on the server by the effective date
(or when recorded), oldest first unless asked otherwise."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cma.errors import DomainError

from . import selectors
from .views import refused


@login_required
@require_GET
def awaiting(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "effective")
    if sort not in selectors.SORTS:
        sort = "effective"
    descending = request.GET.get("order") == "desc"
    try:
        rows = selectors.awaiting_page(request.user, sort=sort, descending=descending)
    except DomainError as exc:
        return refused(request, exc)
    headers = []
    for key, label in (("effective", "Takes effect"), ("created", "Recorded")):
        current = key == sort
        headers.append(
            {
                "key": key,
                "label": label,
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
                # Sorted by it: the link reverses the order; else it sorts ascending.
                "order": "asc" if current and descending else ("desc" if current else "asc"),
            }
        )
    context = {"rows": rows, "headers": headers, "limit": selectors.LIST_LIMIT}
    return render(request, "decisions/awaiting.html", context)
