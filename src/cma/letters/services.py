"""Preview and issue letters. The one place a letter is written: pages, the API and
the CLI all call `issue_letter`.

Order of work in `issue_letter`: check everything (refusing with every problem at
once, audited), render the PDF *outside* the transaction (it takes a fraction of a
second and would otherwise hold the database write lock), then in one short
transaction write the letter, its response-check intray, the CMA-7 decision-advice
hook and the audit record. Any failure there leaves nothing behind.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cma import formats
from cma.audit.services import as_step, record, record_refusal
from cma.calendar.workdays import add_working_days
from cma.customers.models import Customer
from cma.customers.timezones import STATE_TIMEZONES
from cma.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from cma.policy.models import LetterTemplate
from cma.policy.services import letter_template, parameter
from cma.staff.models import User

from . import checks, rendering
from .catalogue import (
    field_specs,
    letters_policy_version,
    render_body_text,
)
from .errors import LetterRefused
from .models import Letter, Signatory

_REF_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no look-alikes (0/O, 1/I/L, U/V)
PREVIEW_REFERENCE = "PREVIEW"


@dataclass
class Draft:
    """A letter ready to render: everything it prints is in `data`."""

    template: LetterTemplate
    customer: Customer
    fields: dict[str, str]
    letter_date: date
    reply_by: date | None
    response_due_on: date | None
    data: dict[str, Any] = field(default_factory=dict)

    def html(self, *, preview: bool = False) -> str:
        return rendering.document_html(self.data, preview=preview)


def office_state(actor: User) -> str:
    """The issuing officer's team's state sets the working days (WRK-3)."""
    team = getattr(actor, "team", None)
    return team.state if team is not None else settings.CMA_DEFAULT_STATE


def new_reference(letter_date: date) -> str:
    suffix = "".join(secrets.choice(_REF_ALPHABET) for _ in range(5))
    return f"CS-{letter_date:%y%m%d}-{suffix}"


def response_dates(
    template: LetterTemplate, fields: dict[str, str], letter_date: date, state: str
) -> tuple[date | None, date | None]:
    """(reply-by date printed on the letter, response due date for the check).

    The customer is given the standard response time (per request type for MX1-1);
    the due date adds inbound mail handling time so a reply posted on the last day
    has arrived before anyone checks for it (CON-4)."""
    if template.response_days_parameter:
        table = parameter(template.response_days_parameter)
        days = table.get(fields.get("request_type", "")) if isinstance(table, dict) else None
        if days is None:
            raise ValidationFailed(
                f"policy parameter {template.response_days_parameter!r} has no response time "
                "for this request type; run `cma policy load`",
                field="request_type",
                code="policy-missing",
            )
    elif template.response_working_days:
        days = template.response_working_days
    else:
        return None, None
    mail_days = int(parameter("inbound-mail-handling-working-days"))
    reply_by = add_working_days(letter_date, int(days), state)
    return reply_by, add_working_days(reply_by, mail_days, state)


def _body_context(
    template: LetterTemplate, fields: dict[str, str], standard: dict[str, str]
) -> dict[str, str]:
    values: dict[str, str] = {}
    for spec in field_specs(template):
        value = fields[spec.name]
        if spec.kind == "choice":
            value = spec.choices[value]
        elif spec.kind == "date":
            value = formats.day(date.fromisoformat(value))
        values[spec.name] = value
    # Standard names win, so a field can never change the reference or the date.
    return {**values, **standard}


def _signature(template: LetterTemplate, actor: User) -> list[str]:
    if template.signatory == Signatory.PS_CASE_MANAGER:
        return [actor.display_name, "Your Personalised Services case manager"]
    return [rendering.letterhead()["agency"]]


def prepare_letter(
    *,
    customer: Customer,
    template_code: str,
    fields: dict[str, Any],
    actor: User,
    employer_notice_outstanding: bool | None = None,
    reference: str | None = None,
) -> Draft:
    """Check and assemble a letter; raise LetterRefused listing every problem.

    Only the customer's name, reference number and postal address go into a letter:
    nothing else about the customer (in particular no sensitive indicator, DOC-5)
    ever reaches the template context."""
    if not actor.has_perm("letters.issue_letter"):
        raise PermissionDenied("your role cannot write letters to customers")
    template = letter_template(template_code)
    cleaned, problems = checks.clean_fields(template, fields)
    problems += checks.preconditions(
        template,
        customer=customer,
        actor=actor,
        employer_notice_outstanding=employer_notice_outstanding,
    )
    if problems:
        raise LetterRefused.from_problems(f"{template.code} cannot be issued", problems)
    state = office_state(actor)
    letter_date = timezone.localdate(timezone=ZoneInfo(STATE_TIMEZONES.get(state, "UTC")))
    reply_by, due_on = response_dates(template, cleaned, letter_date, state)
    reference = reference or new_reference(letter_date)
    standard = {
        "customer_name": customer.full_name,
        "reference": reference,
        "date": formats.day(letter_date),
        "officer_name": actor.display_name,
        "response_due": formats.day(reply_by),
    }
    body_text = render_body_text(template, _body_context(template, cleaned, standard))
    problems = checks.separating_safely(customer, body_text, cleaned)
    if problems:
        raise LetterRefused.from_problems(f"{template.code} cannot be issued", problems)
    data = {
        "template": template.code,
        "title": template.title,
        "policy_version": letters_policy_version(),
        "letterhead": rendering.letterhead(),
        "address_lines": rendering.address_lines(customer),
        "customer_name": customer.full_name,
        "crn": customer.crn,
        "reference": reference,
        "date": standard["date"],
        "letter_date": letter_date.isoformat(),
        "office_state": state,
        "body_text": body_text,
        "response_due": standard["response_due"],
        "signature": _signature(template, actor),
    }
    return Draft(template, customer, cleaned, letter_date, reply_by, due_on, data)


def preview_letter(**kwargs: Any) -> Draft:
    """A draft marked as a preview; nothing is stored. Same arguments as
    `prepare_letter`; the reference is only given at issue."""
    actor, customer = kwargs["actor"], kwargs["customer"]
    try:
        draft = prepare_letter(**kwargs, reference=PREVIEW_REFERENCE)
    except DomainError as exc:
        _audit_refusal(actor, "letters.letter.previewed", exc, customer, kwargs)
        raise
    record(
        actor=actor,
        action="letters.letter.previewed",
        customer_id=customer.pk,
        object_type="policy.lettertemplate",
        object_id=draft.template.code,
    )
    return draft


def _audit_refusal(
    actor: User, action: str, exc: DomainError, customer: Customer, kwargs: dict[str, Any]
) -> None:
    # Codes only: refusal details never carry the officer's text or customer values.
    codes = sorted({d.get("code") or "" for d in exc.details} - {""})
    record_refusal(
        actor=actor,
        action=action,
        error=exc,
        customer_id=customer.pk,
        object_type="policy.lettertemplate",
        object_id=str(kwargs.get("template_code", ""))[:64],
        changes={"problems": codes} if codes else None,
    )


def issue_letter(
    *,
    customer: Customer,
    template_code: str,
    fields: dict[str, Any],
    actor: User,
    employer_notice_outstanding: bool | None = None,
    request_key: str | None = None,
) -> Letter:
    """Issue a letter: immutable PDF + data + SHA-256, a response-check intray when
    it asks for a reply, and the CMA-7 auto-unlock when it is written advice of a
    decision. All of it or none of it. With a `request_key` already used for this
    customer and template, return that letter instead of issuing another."""
    kwargs: dict[str, Any] = {
        "customer": customer,
        "template_code": template_code,
        "fields": fields,
        "actor": actor,
        "employer_notice_outstanding": employer_notice_outstanding,
    }
    try:
        earlier = _already_issued(request_key, customer, template_code)
        if earlier is not None:
            return earlier
        draft = prepare_letter(**kwargs)
        rendered = rendering.render_pdf(draft.html())
        return _store(draft, rendered, actor, request_key)
    except DomainError as exc:
        # After the rollback, so the refusal's audit row survives it.
        _audit_refusal(actor, "letters.letter.issued", exc, customer, kwargs)
        raise
    except IntegrityError:
        # A concurrent double submit with the same key won the race.
        earlier = _already_issued(request_key, customer, template_code)
        if earlier is None:
            raise
        return earlier


def _already_issued(
    request_key: str | None, customer: Customer, template_code: str
) -> Letter | None:
    if not request_key:
        return None
    earlier = Letter.objects.without_pdf().filter(request_key=request_key).first()
    if earlier is None:
        return None
    if earlier.customer_id != customer.pk or earlier.template_code != template_code:
        raise Conflict(
            "this request key was already used for a different letter",
            field="request_key",
            code="request-key-reused",
        )
    return earlier


def _store(
    draft: Draft, rendered: rendering.Rendered, actor: User, request_key: str | None
) -> Letter:
    from cma.work.services import create_intray, record_decision_advice_issued

    template, customer, data = draft.template, draft.customer, draft.data
    with transaction.atomic():
        intray = None
        if draft.response_due_on:
            owner = {"owner_team": actor.team} if actor.team_id else {"owner_user": actor}
            with as_step():
                intray = create_intray(
                    customer=customer,
                    type_code="letter-response-check",
                    actor=actor,
                    due_on=draft.response_due_on,
                    note=f"Check for a reply to letter {data['reference']} ({template.code}).",
                    by_system=True,
                    **owner,
                )
        letter = Letter.objects.create(
            reference=data["reference"],
            customer=customer,
            template=template,
            template_code=template.code,
            title=template.title,
            policy_version=data["policy_version"],
            fields=draft.fields,
            data=data,
            pdf=rendered.pdf,
            sha256=hashlib.sha256(rendered.pdf).hexdigest(),
            page_count=rendered.page_count,
            signatory=template.signatory,
            issued_by=actor,
            letter_date=draft.letter_date,
            reply_by=draft.reply_by,
            response_due_on=draft.response_due_on,
            response_intray=intray,
            request_key=request_key or None,
        )
        lock = None
        if template.is_decision_advice:
            with as_step():
                lock = record_decision_advice_issued(
                    customer=customer, issued_at=letter.issued_at, actor=actor
                )
        record(
            actor=actor,
            action="letters.letter.issued",
            obj=letter,
            customer_id=customer.pk,
            changes={
                "template": template.code,
                "reference": letter.reference,
                "sha256": letter.sha256,
                "pages": letter.page_count,
                "response_due_on": str(letter.response_due_on or ""),
                "response_intray": intray.pk if intray else None,
                # The CMA-7 lock always has an expiry.
                "lock_expires_at": cast(datetime, lock.expires_at).isoformat() if lock else None,
            },
        )
    return letter
