"""Staff pages: choose a template, fill it in, preview, issue; download issued letters.

Preview comes before issue: the Issue button is only on the preview, which carries
the previewed values (and a request key against double submits) as hidden fields.
"""

import logging
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cma import formats
from cma.audit.services import record
from cma.customers.selectors import get_customer_for
from cma.errors import DomainError, NotFound, PermissionDenied
from cma.policy.models import LetterTemplate

from . import rendering, selectors, services
from .api import pdf_response
from .catalogue import active_templates, field_specs
from .errors import LetterRefused
from .forms import LetterForm

logger = logging.getLogger(__name__)
_KEY_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def _template_or_none(code: str) -> LetterTemplate | None:
    return next((t for t in active_templates() if t.code == code), None)


def _page(request: HttpRequest, customer, template, form, status: int = 200, **extra):
    context = {
        "customer": customer,
        "templates": active_templates(),
        "template": template,
        "form": form,
        **extra,
    }
    if request.htmx:
        # htmx swaps only 2xx answers; the refusal is in the partial itself.
        return render(request, "letters/new.html#letter-work", context)
    return render(request, "letters/new.html", context, status=status)


@login_required
@require_GET
def new_letter(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        customer = get_customer_for(request.user, customer_id)
        if not request.user.has_perm("letters.issue_letter"):
            raise PermissionDenied("your role cannot write letters to customers")
    except DomainError as exc:
        return _refused(request, exc)
    template = _template_or_none(request.GET.get("template", ""))
    form = LetterForm(template) if template else None
    return _page(request, customer, template, form)


def _bound(request: HttpRequest, customer_id: int):
    # The preview or issue writes the operation's one audit row.
    customer = get_customer_for(request.user, customer_id, audit=False)
    template = _template_or_none(request.POST.get("template", ""))
    if template is None:
        raise LetterRefused("choose a letter template", field="template", code="unknown-template")
    return customer, template, LetterForm(template, request.POST)


def _service_args(customer, template, form, request) -> dict:
    return {
        "customer": customer,
        "template_code": template.code,
        "fields": form.letter_fields(),
        "actor": request.user,
        "employer_notice_outstanding": form.employer_notice_outstanding(),
    }


def _draft(request: HttpRequest, customer_id: int):
    """Bind the form and draft the letter: (customer, template, form, draft), or an
    error page to return as it is (refusal, or the form with its messages)."""
    try:
        customer, template, form = _bound(request, customer_id)
    except DomainError as exc:
        return _refused(request, exc)
    if not form.is_valid():
        return _page(request, customer, template, form, status=422)
    try:
        draft = services.preview_letter(**_service_args(customer, template, form, request))
    except DomainError as exc:
        form.apply_refusal(exc.details or [{"field": exc.field, "message": exc.message}])
        return _page(request, customer, template, form, status=422)
    return customer, template, form, draft


@login_required
@require_POST
def preview(request: HttpRequest, customer_id: int) -> HttpResponse:
    drafted = _draft(request, customer_id)
    if isinstance(drafted, HttpResponse):
        return drafted
    customer, template, form, draft = drafted
    return _page(
        request,
        customer,
        template,
        form,
        draft=draft,
        logo_url=static("letters/logo.svg"),
        request_key=secrets.token_urlsafe(18),
    )


@login_required
@require_POST
def preview_pdf(request: HttpRequest, customer_id: int) -> HttpResponse:
    drafted = _draft(request, customer_id)
    if isinstance(drafted, HttpResponse):
        return drafted
    _, template, _, draft = drafted
    rendered = rendering.render_pdf(draft.html(preview=True))
    return pdf_response(rendered.pdf, f"preview-{template.code}.pdf", inline=True)


@login_required
@require_POST
def issue(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        customer, template, form = _bound(request, customer_id)
    except DomainError as exc:
        return _refused(request, exc)
    key = request.POST.get("request_key", "")
    if not (16 <= len(key) <= 64 and set(key) <= _KEY_CHARS):
        key = ""
    if not form.is_valid():
        return _page(request, customer, template, form, status=422, issuing=True)
    try:
        letter = services.issue_letter(
            **_service_args(customer, template, form, request), request_key=key or None
        )
    except DomainError as exc:
        form.apply_refusal(exc.details or [{"field": exc.field, "message": exc.message}])
        return _page(request, customer, template, form, status=422, issuing=True)
    due = (
        f" Reply due with us {formats.day(letter.response_due_on)}."
        if letter.response_due_on
        else ""
    )
    messages.success(request, f"Letter {letter.reference} ({letter.template_code}) issued.{due}")
    target = reverse("web:customer-detail", kwargs={"customer_id": customer.pk})
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@login_required
@require_GET
def download(request: HttpRequest, letter_id: int) -> HttpResponse:
    try:
        letter = selectors.download_letter(request.user, letter_id)
    except DomainError as exc:
        return _refused(request, exc)
    return pdf_response(letter.pdf, letter.filename)


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("letters.issue_letter"):
        return render(
            request,
            "web/refused.html",
            {"message": "your role cannot write letters to customers"},
            status=403,
        )
    rows = [(t, field_specs(t)) for t in active_templates()]
    record(actor=request.user, action="letters.catalogue.viewed")
    return render(request, "letters/catalogue.html", {"rows": rows})
