"""Finding a call again: by the receipt number a customer quotes (CON-16), and the
officer's own live call in the navigation (the screen pop)."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from cma.errors import DomainError, NotFound

from . import selectors
from .forms import ReceiptForm, show_refusal
from .views import refused

# htmx: 286 stops polling; 204 leaves the page as it is.
STOP_POLLING = 286


@login_required
@require_http_methods(["GET", "POST"])
def receipts(request: HttpRequest) -> HttpResponse:
    """POST only carries the receipt, so it never lands in URLs or logs."""
    form = ReceiptForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            found = selectors.by_receipt(request.user, form.cleaned_data["receipt"])
        except NotFound as exc:
            if exc.field != "receipt":  # the customer is restricted: the notice
                return refused(request, exc)
            show_refusal(form, exc)
        except DomainError as exc:
            return refused(request, exc)
    context = {"form": form, "found": found}
    status = 422 if form.errors else 200
    if request.htmx:
        return render(request, "contact/receipts.html#result", context, status=status)
    return render(request, "contact/receipts.html", context, status=status)


def leaves_session_idle(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """SES-1: a poll is not activity. SessionMiddleware saves the session, and so
    extends the idle timeout, on every request (SESSION_SAVE_EVERY_REQUEST); a request
    without `request.session` it leaves alone. The user was read before this runs."""

    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if hasattr(request, "session"):
            del request.session
        return response

    return wrapper


@require_GET
@leaves_session_idle
def live(request: HttpRequest) -> HttpResponse:
    """The "My live call" link, polled every 5 s by the navigation (no audit: the
    officer's own call, showing only its receipt). `showing`: the interaction the
    page shows now; unchanged is 204, so nothing is swapped and focus stays put."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    if not request.user.has_perm("contact.open_interaction"):
        return HttpResponse(status=STOP_POLLING)
    found = selectors.open_interaction_of(request.user)
    showing = request.GET.get("showing", "")
    if showing == str(found.pk if found else 0):
        return HttpResponse(status=204)
    current = request.headers.get("HX-Current-URL", "")
    on_it = bool(found) and current.split("?")[0].endswith(f"/contact/interactions/{found.pk}/")
    return render(request, "contact/_live.html", {"live": found, "on_it": on_it})
