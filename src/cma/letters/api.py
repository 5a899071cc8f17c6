"""Letter endpoints: catalogue, list, preview (JSON or PDF), issue, read, download."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Status

from cma.audit.services import record
from cma.customers import access
from cma.customers.selectors import get_customer_for
from cma.errors import PermissionDenied
from cma.schemas import ERRORS, PathId

from . import rendering, selectors, services
from .catalogue import active_templates, field_specs, requests_response
from .models import Letter
from .schemas import LetterIn, LetterOut, LetterPreviewOut, LetterTemplateOut

router = Router(tags=["letters"])
# The PDF body of a 200 (the handlers return an HttpResponse, so ninja has no schema for
# it). Keyed by the int status, as ninja keys its own responses: a "200" string key is a
# second "200" in the JSON, which Swagger UI's YAML parser refuses ("duplicated mapping
# key") and so renders no docs at all.
_PDF = {
    200: {
        "description": "The letter as a PDF",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def letter_out(letter: Letter) -> dict:
    return {
        "id": letter.pk,
        "reference": letter.reference,
        "customer_id": letter.customer_id,
        "template": letter.template_code,
        "title": letter.title,
        "letter_date": letter.letter_date,
        "issued_at": letter.issued_at,
        "issued_by": letter.issued_by.display_name,
        "signatory": letter.signatory,
        "page_count": letter.page_count,
        "sha256": letter.sha256,
        "reply_by": letter.reply_by,
        "response_due_on": letter.response_due_on,
        "response_intray_id": letter.response_intray_id,
        "download_url": reverse("api:download_letter", kwargs={"letter_id": letter.pk}),
    }


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _letter_args(request: HttpRequest, payload: LetterIn) -> dict:
    return {
        # The preview or issue writes the operation's one audit row.
        "customer": access.enter(
            request.user, payload.customer_id, action="customers.customer.letter-writing"
        ),
        "template_code": payload.template,
        "fields": payload.fields,
        "actor": request.user,
        "employer_notice_outstanding": payload.employer_notice_outstanding,
    }


@router.get("/letters/templates", response={200: list[LetterTemplateOut], **ERRORS})
def list_templates(request: HttpRequest):
    if not request.user.has_perm("letters.issue_letter"):
        raise PermissionDenied("your role cannot write letters to customers")
    record(actor=request.user, action="letters.catalogue.viewed")
    return [
        {
            "code": t.code,
            "title": t.title,
            "audience": t.audience,
            "signatory": t.signatory,
            "requests_response": requests_response(t),
            "is_decision_advice": t.is_decision_advice,
            "preconditions": t.preconditions,
            "fields": [vars(s) for s in field_specs(t)],
        }
        for t in active_templates()
    ]


@router.get("/customers/{customer_id}/letters", response={200: list[LetterOut], **ERRORS})
def list_letters(request: HttpRequest, customer_id: PathId):
    customer = get_customer_for(request.user, customer_id)
    return [letter_out(x) for x in selectors.letters_for_customer(request.user, customer)]


@router.post("/letters/preview", response={200: LetterPreviewOut, **ERRORS})
def preview_letter(request: HttpRequest, payload: LetterIn):
    draft = services.preview_letter(**_letter_args(request, payload))
    return {
        "template": draft.template.code,
        "title": draft.template.title,
        "address_lines": draft.data["address_lines"],
        "letter_date": draft.letter_date,
        "body_text": draft.data["body_text"],
        "reply_by": draft.reply_by,
        "response_due_on": draft.response_due_on,
        "signature": draft.data["signature"],
    }


@router.post(
    "/letters/preview.pdf", response={200: None, **ERRORS}, openapi_extra={"responses": _PDF}
)
def preview_letter_pdf(request: HttpRequest, payload: LetterIn):
    draft = services.preview_letter(**_letter_args(request, payload))
    rendered = rendering.render_pdf(draft.html(preview=True))
    return pdf_response(rendered.pdf, f"preview-{draft.template.code}.pdf", inline=True)


@router.post("/letters", response={201: LetterOut, **ERRORS})
def issue_letter(request: HttpRequest, payload: LetterIn):
    letter = services.issue_letter(
        **_letter_args(request, payload), request_key=payload.request_key
    )
    return Status(201, letter_out(letter))


@router.get("/letters/{letter_id}", response={200: LetterOut, **ERRORS})
def read_letter(request: HttpRequest, letter_id: PathId):
    return letter_out(selectors.get_letter_for(request.user, letter_id))


@router.get(
    "/letters/{letter_id}/pdf",
    response={200: None, **ERRORS},
    openapi_extra={"responses": _PDF},
    url_name="download_letter",
)
def download_letter(request: HttpRequest, letter_id: PathId):
    letter = selectors.download_letter(request.user, letter_id)
    return pdf_response(letter.pdf, letter.filename)
