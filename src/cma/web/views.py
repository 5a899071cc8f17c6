"""Staff pages: thin wrappers over selectors and services."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cma.customers import selectors
from cma.customers.access import RestrictedRecord
from cma.customers.models import Customer
from cma.errors import DomainError, NotFound

from . import customer_page
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


def _customer_or_response(request: HttpRequest, customer_id: int) -> Customer | HttpResponse:
    """The customer through the one door, the read audited once (its only write)."""
    try:
        return selectors.get_customer_for(request.user, customer_id)
    except RestrictedRecord as exc:
        return restricted_page(request, exc.notice)
    except NotFound:
        raise Http404("No such customer") from None
    except DomainError as exc:
        return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


@login_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """The customer page, in the order an officer needs it on a call (issue 23)."""
    customer = _customer_or_response(request, customer_id)
    if isinstance(customer, HttpResponse):
        return customer
    context = customer_page.page_context(request, customer)
    if request.htmx and request.GET.get("section") in customer_page.SECTIONS:
        return _section(request, context, request.GET["section"])
    return render(request, "web/customer_detail.html", context)


def _section(request: HttpRequest, context: dict, section: str) -> HttpResponse:
    return render(request, f"web/customer/_{section}.html", context)


@login_required
def customer_section(request: HttpRequest, customer_id: int, section: str) -> HttpResponse:
    """One section of the customer page alone, for htmx to refresh (the timeline's
    filter and older pages read only the timeline)."""
    if section not in customer_page.SECTIONS:
        raise Http404("No such section")
    customer = _customer_or_response(request, customer_id)
    if isinstance(customer, HttpResponse):
        return customer
    return _section(request, customer_page.section_context(request, customer, section), section)
