"""The customer search's last resort (issue 23 item 8): a query that finds no customer
but reads as a call receipt number (CON-16) opens the customer of that call, through
the one door (a restricted customer shows the restricted notice)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from cma import formats
from cma.contact import selectors as contact_selectors
from cma.contact.receipts import normalise
from cma.customers.access import RestrictedRecord
from cma.errors import NotFound

from .forms import CustomerSearchForm
from .views_access import restricted_page


def by_receipt(request: HttpRequest, form: CustomerSearchForm, query: str) -> HttpResponse | None:
    """The customer page of the call with this receipt; None (and the form told why)
    when the query is not a receipt or no call has it."""
    if normalise(query) is None:
        return None
    try:
        call = contact_selectors.by_receipt(request.user, query)
    except RestrictedRecord as exc:
        return restricted_page(request, exc.notice)
    except NotFound:
        form.add_error("query", "No customer, case or call receipt matches.")
        return None
    started = formats.day(call.started_at) + ", " + formats.time_of_day(call.started_at)
    messages.info(request, f"Call receipt {call.receipt}: the call of {started}.")
    page = reverse("web:customer-detail", args=[call.customer_id])
    # Over htmx a redirect would be swapped into the results: the browser goes instead.
    return HttpResponseClientRedirect(page) if request.htmx else redirect(page)
