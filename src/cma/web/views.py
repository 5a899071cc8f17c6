"""Staff pages: thin wrappers over selectors and services."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cma.collection import panels as collection_panels
from cma.contact import panels as contact_panels
from cma.customers import selectors
from cma.customers.access import RestrictedRecord
from cma.errors import DomainError, NotFound
from cma.letters import panels as letters_panels
from cma.notes import panels as notes_panels
from cma.personalised import panels as personalised_panels
from cma.privacy.separating import other_party_summaries
from cma.work import panels as work_panels

from .forms import CustomerSearchForm
from .views_access import restricted_page
from .views_search import by_receipt


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"form": CustomerSearchForm()})


@login_required
@require_http_methods(["GET", "POST"])
def customer_search(request: HttpRequest) -> HttpResponse:
    """POST only carries the query, so names never land in URLs or logs."""
    form = CustomerSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            results = selectors.search_customers(request.user, form.cleaned_data["query"])
        except DomainError as exc:
            form.add_error("query", exc.message)
        if results == [] and (found := by_receipt(request, form, form.cleaned_data["query"])):
            return found
    context = {"form": form, "results": results}
    if request.htmx:
        return render(request, "web/customer_search.html#results", context)
    return render(request, "web/customer_search.html", context)


@login_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        customer = selectors.get_customer_for(request.user, customer_id)
    except RestrictedRecord as exc:
        return restricted_page(request, exc.notice)
    except NotFound:
        raise Http404("No such customer") from None
    except DomainError as exc:
        return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)
    context = selectors.customer_overview(customer)
    # The other party of each case, with an at-risk party's location withheld (DOC-6).
    summaries = other_party_summaries(customer, context["cases"])
    for case in context["cases"]:
        case.other_party_summary = summaries.get(case.pk)
    # Each later app contributes its own panel (lock and intrays, notes, letters, contact).
    for panel in (
        work_panels,
        notes_panels,
        letters_panels,
        contact_panels,
        collection_panels,
        personalised_panels,
    ):
        context.update(panel.customer_context(request, customer))
    return render(request, "web/customer_detail.html", context)
