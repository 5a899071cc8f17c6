"""Shared pieces of the Personalised Services services: one transaction with one
audited refusal, refusals listing every unmet condition, checked free text, the PS
stacking document's notepads and the activity record."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils import timezone

from cma.audit.services import as_step, refusals_recorded
from cma.customers.models import Case, Customer
from cma.notes.models import StackingDocument, StackingPurpose
from cma.notes.services.stacking import add_notepad
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from ..errors import PsRefused
from ..models import ActivityEntry, PsPlan, Referral

F = TypeVar("F", bound=Callable[..., Any])
Problems = list[tuple[str | None, str]]


def _customer_id_of(kwargs: dict[str, Any]) -> int | None:
    for key in (
        "customer",
        "referral",
        "plan",
        "issue",
        "decision",
        "reallocation",
        "first_contact",
        "meeting",
        "skip",
        "option",
    ):
        obj = kwargs.get(key)
        if obj is None:
            continue
        if isinstance(obj, Customer):
            return int(obj.pk)
        for attr in ("customer_id", "primary_customer_id"):
            value = getattr(obj, attr, None)
            if value is not None:
                return int(value)
        plan = getattr(obj, "plan", None)
        if plan is not None:
            return int(plan.customer_id)
    return None


def audited(action: str) -> Callable[[F], F]:
    """One transaction; a refusal recorded once, after the rollback (AUD-1)."""
    return refusals_recorded(action, lambda kw: {"customer_id": _customer_id_of(kw)})


def refuse(summary: str, problems: Problems) -> None:
    """Raise one refusal naming every unmet condition, if there are any."""
    if problems:
        raise PsRefused.from_problems(summary, problems)


def text_problem(value: Any, field_name: str, *, max_length: int, required: bool) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if required and not value.strip():
        return "this is required"
    if len(value) > max_length:
        return f"at most {max_length} characters"
    return None


def check_text(fields: dict[str, str], customer: Customer, case: Case | None = None) -> None:
    """The privacy guard over free text (DOC-3): no personal information."""
    present = {k: v for k, v in fields.items() if v}
    if present:
        check_free_text(present, customer=customer, case=case)


def now() -> Any:
    return timezone.now()


def ps_stacking_document(customer: Customer) -> StackingDocument | None:
    return StackingDocument.objects.filter(
        customer=customer, purpose=StackingPurpose.PERSONALISED_SERVICES
    ).first()


def stacking_note(customer: Customer, actor: User, subject: str, body: str) -> int | None:
    """Add a notepad to the customer's PS stacking document, as a step of the caller's
    operation (every PS step is recorded there, PS-3, PS-11). None if there is none."""
    document = ps_stacking_document(customer)
    if document is None:
        return None
    with as_step():
        entry = add_notepad(document=document, actor=actor, subject=subject, body=body)
    return int(entry.note_id)


def activity(
    *,
    customer: Customer | int,
    kind: str,
    actor: User,
    plan: PsPlan | None = None,
    referral: Referral | None = None,
    case_manager: User | None = None,
    **data: Any,
) -> ActivityEntry:
    """One line of the customer's PS activity record (PS-2 step 3, PS-6, PS-20)."""
    customer_id = customer if isinstance(customer, int) else customer.pk
    manager = case_manager or (plan.case_manager if plan is not None else None)
    return ActivityEntry.objects.create(
        customer_id=customer_id,
        plan=plan,
        referral=referral,
        kind=kind,
        data=data,
        by=actor,
        case_manager=manager,
        team_id=getattr(manager, "team_id", None),
    )
