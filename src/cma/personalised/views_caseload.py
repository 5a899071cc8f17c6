"""A PS case manager's "my PS customers" page (PS-4, PS-7): plan status, due dates
with overdue plans highlighted and the next agreed contact, sorted on the server."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cma.errors import DomainError

from . import selectors_pages as pages
from .views_contact import refused

COLUMNS = [
    ("customer", "Customer"),
    ("status", "Plan status"),
    ("segment", "Segment"),
    ("due", "Plan due"),
    ("next", "Next contact"),
]


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "due")
    sort = sort if sort in pages.CASELOAD_SORTS else "due"
    try:
        rows = pages.caseload(request.user, sort=sort)
    except DomainError as exc:
        return refused(request, exc)
    columns = [
        {
            "key": key,
            "label": label,
            "sorted": sort.lstrip("-") == key,
            "href": f"?sort={'-due' if key == 'due' and sort == 'due' else key}",
            "aria": ("descending" if sort == "-due" else "ascending")
            if sort.lstrip("-") == key
            else "none",
        }
        for key, label in COLUMNS
    ]
    return render(
        request, "personalised/caseload.html", {"rows": rows, "columns": columns, "sort": sort}
    )
