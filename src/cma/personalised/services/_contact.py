"""Shared pieces of the contact, letter, face-to-face and option services (PS-7..PS-11):
one transaction with one audited refusal, refusals listing every unmet condition, the
plan under its row lock behind the one door, checked free text, the PS stacking
document's notepads and plan versions."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from cma.audit.services import as_step, record_refusal
from cma.customers import access
from cma.customers.models import Customer
from cma.errors import DomainError
from cma.notes.models import StackingDocument, StackingPurpose
from cma.notes.services.restricted import check_contact_allowed
from cma.notes.services.stacking import add_notepad
from cma.privacy.checks import check_free_text
from cma.staff.models import Role, User

from ..errors import PsRefused
from ..models import PlanState, PsPlan, PsPlanVersion

F = TypeVar("F", bound=Callable[..., Any])
Problems = list[tuple[str | None, str]]

OPEN_PLAN_STATES = (PlanState.DRAFT, PlanState.APPROVED)


def _customer_id_of(kwargs: dict[str, Any]) -> int | None:
    for key in ("plan", "first_contact", "meeting", "skip", "option"):
        obj = kwargs.get(key)
        if obj is None:
            continue
        if isinstance(obj, PsPlan):
            return int(obj.customer_id)
        plan = getattr(obj, "plan", None)
        if plan is not None:
            return int(plan.customer_id)
    return None


def audited(action: str) -> Callable[[F], F]:
    """Run the service in one transaction; a refusal (DomainError) is recorded in its
    own transaction after the rollback, then re-raised (one row either way)."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            try:
                with transaction.atomic():
                    return fn(**kwargs)
            except DomainError as exc:
                record_refusal(
                    actor=kwargs.get("actor"),
                    action=action,
                    error=exc,
                    customer_id=_customer_id_of(kwargs),
                )
                raise

        return wrapper  # type: ignore[return-value]

    return decorate


def refuse(summary: str, problems: Problems) -> None:
    """Raise one refusal naming every unmet condition, if there are any."""
    if problems:
        raise PsRefused.from_problems(summary, problems)


def locked_plan(plan: PsPlan, actor: User, *, action: str) -> PsPlan:
    """Re-read the plan under its row lock, behind the one door for its customer."""
    current = (
        PsPlan.objects.select_for_update(of=("self",))
        .select_related("customer", "case_manager", "referral")
        .get(pk=plan.pk)
    )
    access.admit(actor, current.customer, action=action)
    return current


def is_case_manager(actor: User, plan: PsPlan) -> bool:
    return actor.role == Role.PS_CASE_MANAGER and plan.case_manager_id == actor.pk


def is_ps_team_leader(actor: User) -> bool:
    return actor.role == Role.PS_TEAM_LEADER


def case_manager_problems(actor: User, plan: PsPlan, what: str) -> Problems:
    """The plan's own PS case manager does this; anyone else is refused, named."""
    problems: Problems = []
    if not is_case_manager(actor, plan):
        problems.append(("actor", f"only the customer's PS case manager may {what}"))
    if plan.state not in OPEN_PLAN_STATES:
        problems.append(("plan", f"the plan is {plan.get_state_display().lower()}"))
    return problems


def team_leader_problems(actor: User, what: str) -> Problems:
    if not is_ps_team_leader(actor):
        return [("actor", f"only a PS Team Leader may {what}")]
    return []


def text_problem(value: Any, field_name: str, *, max_length: int, required: bool) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if required and not value.strip():
        return "this is required"
    if len(value) > max_length:
        return f"at most {max_length} characters"
    return None


def check_text(fields: dict[str, str], customer: Customer) -> None:
    """The privacy guard over free text (DOC-3): no personal information."""
    present = {k: v for k, v in fields.items() if v}
    if present:
        check_free_text(present, customer=customer)


def contact_check(customer: Customer, channel: str, actor: User) -> list[str]:
    """The restricted-service check before any contact (PS-7, DOC-7), as a step: its
    refusal is this operation's one audited refusal."""
    with as_step():
        return check_contact_allowed(customer=customer, channel=channel, actor=actor)


def ps_stacking_document(customer: Customer) -> StackingDocument | None:
    return StackingDocument.objects.filter(
        customer=customer, purpose=StackingPurpose.PERSONALISED_SERVICES
    ).first()


def stacking_note(customer: Customer, actor: User, subject: str, body: str) -> int | None:
    """A notepad in the customer's PS stacking document, as a step (PS-8, PS-11)."""
    document = ps_stacking_document(customer)
    if document is None:
        return None
    with as_step():
        entry = add_notepad(document=document, actor=actor, subject=subject, body=body)
    return int(entry.note_id)


def snapshot(plan: PsPlan) -> dict[str, Any]:
    return {
        "state": plan.state,
        "segment": plan.segment,
        "referral_source": plan.referral_source,
        "main_issue": plan.main_issue,
        "customer_view": plan.customer_view,
        "options_provided": plan.options_provided,
        "agreed_actions": plan.agreed_actions,
        "agreed_contact_times": plan.agreed_contact_times,
        "special_contact_details": plan.special_contact_details,
        "issues": [
            {"id": i.pk, "title": i.title, "status": i.status, "classification": i.classification}
            for i in plan.issues.all()
        ],
        "options": [{"id": o.pk, "kind": o.kind, "status": o.status} for o in plan.options.all()],
        "letter_skips": [
            {"id": s.pk, "letter": s.letter_code, "approval": s.approval}
            for s in plan.letter_skips.all()
        ],
    }


def new_version(plan: PsPlan, actor: User, change: str) -> PsPlanVersion:
    """Every change to the plan is kept as a version (PS-4)."""
    plan.version = (
        plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    plan.updated_at = timezone.now()
    plan.save(update_fields=["version", "updated_at"])
    return PsPlanVersion.objects.create(
        plan=plan, number=plan.version, snapshot=snapshot(plan), change=change[:120], author=actor
    )
