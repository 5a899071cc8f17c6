"""Intrays: create, start, complete, delete, re-assign, follow up (WRK-1, WRK-2, WRK-6).

Each move writes the intray, one history event and one audit row in one transaction.
Its free text (what needs doing, outcome, reasons) passes the privacy guard first:
no personal information (DOC-3) and, on the other party of an at-risk customer, none
of their protected details (DOC-6).
"""

from datetime import date
from typing import Any

from django.utils import timezone

from cma.audit.services import record
from cma.calendar.workdays import add_working_days
from cma.customers import access
from cma.customers.models import Case, Customer, agency_today
from cma.errors import NotFound, ValidationFailed
from cma.policy.models import IntrayType
from cma.policy.services import intray_type
from cma.privacy.checks import check_free_text
from cma.staff.models import User, role_labels

from ..errors import IntrayNotLive, IntrayRefused, IntrayTypeRestricted, NotIntrayOwner
from ..models import LIVE_STATUSES, Intray, IntrayEvent, IntrayEventKind, IntrayStatus
from ._common import (
    Owner,
    audited_refusals,
    clean_text,
    granted_by,
    require,
    resolve_owner,
    text_problem,
)

NOTE_MAX = 2000


def _type_for(type_code: str) -> IntrayType:
    try:
        return intray_type(type_code)
    except NotFound as exc:
        # An unknown code in a request is bad input (422), not a missing resource.
        raise ValidationFailed(exc.message, field="type_code", code=exc.code) from None


def _check_creator(itype: IntrayType, actor: User, by_system: bool) -> None:
    """WRK-6: some types (e.g. PS Referral (TL only)) name the roles that may create
    them; some are opened only by the system (review dates, letter responses)."""
    if itype.system_only and not by_system:
        raise IntrayTypeRestricted(
            f"a {itype.name!r} intray is opened by the system when it falls due; "
            "it cannot be created by hand",
            field="type_code",
        )
    if not by_system and not itype.may_be_created_by(actor.role):
        raise IntrayTypeRestricted(
            f"only a {role_labels(itype.created_by_roles)} may create a {itype.name!r} intray",
            field="type_code",
        )


def _unmet_conditions(
    itype: IntrayType,
    customer: Customer,
    *,
    note: str,
    case: Case | None,
    due_on: date | None,
    parent: Intray | None,
) -> list[tuple[str | None, str]]:
    """Every condition of a new intray that is not met, so one refusal names them all."""
    problems: list[tuple[str | None, str]] = []
    problem = text_problem(note, "note", max_length=NOTE_MAX)
    if problem:
        problems.append(("note", problem))
    elif "note" in itype.required_fields and not note.strip():
        problems.append(("note", f"say what needs doing: a {itype.name!r} intray needs it"))
    if "case" in itype.required_fields and case is None:
        problems.append(("case", f"choose the case: a {itype.name!r} intray is about one"))
    if case is not None and customer.pk not in (case.payer_id, case.payee_id):
        problems.append(("case", "that case does not belong to this customer"))
    if parent is not None and parent.customer_id != customer.pk:
        problems.append(("parent", "the parent intray belongs to another customer"))
    if due_on is not None and due_on < agency_today():
        problems.append(("due_on", "the due date cannot be in the past"))
    return problems


def _event(intray: Intray, kind: str, actor: User, *, frm: str = "", text: str = "") -> None:
    IntrayEvent.objects.create(
        intray=intray, kind=kind, actor=actor, from_owner=frm, to_owner=intray.owner_key, text=text
    )


def due_date_for(itype: IntrayType, owner: Owner, start: date | None = None) -> date:
    """Service level in working days of the owner's state (WRK-2, WRK-3)."""
    return add_working_days(start or agency_today(), itype.service_level_working_days, owner.state)


@audited_refusals("work.intray.created")
def create_intray(
    *,
    customer: Customer,
    type_code: str,
    actor: User,
    owner_user: Any = None,
    owner_team: Any = None,
    owner_area: Any = None,
    case: Case | None = None,
    due_on: date | None = None,
    parent: Intray | None = None,
    note: str = "",
    by_system: bool = False,
) -> Intray:
    """Create follow-up work. With no owner it goes to the type's business area (e.g.
    "Add a child" to Mainstream Services), else to the actor. An explicit `due_on`
    overrides the service level (review-date intrays). `by_system`: another app opens
    it on its own schedule (a review date, a letter's response), so the type's
    creator rules (WRK-6) and `system_only` do not apply; its required fields do."""
    require(actor, "work.create_intray", None, "your role cannot create intrays")
    access.admit(actor, customer, action="work.intray.created")
    itype = _type_for(type_code)
    _check_creator(itype, actor, by_system)
    note = note if isinstance(note, str) else ""
    problems = _unmet_conditions(
        itype, customer, note=note, case=case, due_on=due_on, parent=parent
    )
    note = note.strip()
    try:
        owner = resolve_owner(owner_user, owner_team, owner_area)
    except ValidationFailed as exc:
        problems.insert(0, (exc.field or "owner", exc.message))
    if problems:
        raise IntrayRefused.from_problems("the intray cannot be created", problems)
    if owner is None:
        owner = Owner(area=itype.routes_to_area) if itype.routes_to_area else resolve_owner(actor)
    assert owner is not None
    if due_on is None:
        due_on = due_date_for(itype, owner)
    check_free_text({"note": note}, customer=customer, case=case)
    intray = Intray.objects.create(
        customer=customer,
        case=case,
        type=itype,
        priority=itype.priority,
        due_on=due_on,
        note=note,
        parent=parent,
        created_by=actor,
        granted_by=granted_by(actor, owner),
        **owner.fields(),
    )
    _event(intray, IntrayEventKind.CREATED, actor)
    record(
        actor=actor,
        action="work.intray.created",
        obj=intray,
        customer_id=customer.pk,
        changes={
            "type": itype.code,
            "owner": intray.owner_key,
            "due_on": due_on.isoformat(),
            "parent": parent.pk if parent else None,
            "case": case.pk if case else None,
        },
    )
    return intray


def _locked(intray: Intray) -> Intray:
    """Re-read the intray under its row lock; every move starts here."""
    return (
        Intray.objects.select_for_update(no_key=True, of=("self",))
        .select_related("owner_user__team", "owner_team", "owner_area", "type", "customer", "case")
        .get(pk=intray.pk)
    )


def _require_live_and_mine(intray: Intray, actor: User, verb: str) -> None:
    access.admit(actor, intray.customer, action=f"work.intray.{verb}")
    # Permission first: an outsider learns only that they may not act.
    if not actor.has_perm("work.work_intray", intray):
        raise NotIntrayOwner(
            f"only the owner, their Team Leader or a national manager may {verb} this intray"
        )
    if intray.status not in LIVE_STATUSES:
        raise IntrayNotLive(f"this intray is {intray.get_status_display().lower()}")


def _check_text(intray: Intray, **fields: str) -> None:
    """The privacy guard over an intray's free text (DOC-3, DOC-6)."""
    check_free_text(fields, customer=intray.customer, case=intray.case)


@audited_refusals("work.intray.started")
def start_intray(*, intray: Intray, actor: User) -> Intray:
    """Begin work. Team or area work is taken by the officer who starts it."""
    intray = _locked(intray)
    _require_live_and_mine(intray, actor, "start")
    if intray.status == IntrayStatus.IN_PROGRESS:
        raise IntrayNotLive("this intray is already in progress")
    frm = intray.owner_key
    intray.owner_user, intray.owner_team, intray.owner_area = actor, None, None
    intray.status = IntrayStatus.IN_PROGRESS
    intray.started_at = timezone.now()
    intray.save(update_fields=["owner_user", "owner_team", "owner_area", "status", "started_at"])
    # Work that was already theirs is started, not moved "from" them "to" them.
    _event(intray, IntrayEventKind.STARTED, actor, frm="" if frm == intray.owner_key else frm)
    record(
        actor=actor,
        action="work.intray.started",
        obj=intray,
        customer_id=intray.customer_id,
        changes={"from": frm, "to": intray.owner_key},
    )
    return intray


@audited_refusals("work.intray.completed")
def complete_intray(*, intray: Intray, actor: User, outcome: str) -> Intray:
    intray = _locked(intray)
    _require_live_and_mine(intray, actor, "complete")
    outcome = clean_text(outcome, "outcome", required=True, max_length=2000)
    _check_text(intray, outcome=outcome)
    intray.status = IntrayStatus.COMPLETED
    intray.outcome = outcome
    intray.closed_at = timezone.now()
    intray.save(update_fields=["status", "outcome", "closed_at"])
    _event(intray, IntrayEventKind.COMPLETED, actor, text=outcome)
    record(
        actor=actor,
        action="work.intray.completed",
        obj=intray,
        customer_id=intray.customer_id,
        changes={"status": IntrayStatus.COMPLETED},
    )
    return intray


@audited_refusals("work.intray.deleted")
def delete_intray(*, intray: Intray, actor: User, reason: str) -> Intray:
    """Deleting keeps the row (status deleted, with the mandatory reason)."""
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    intray = _locked(intray)
    _require_live_and_mine(intray, actor, "delete")
    _check_text(intray, reason=reason)
    intray.status = IntrayStatus.DELETED
    intray.deleted_reason = reason
    intray.closed_at = timezone.now()
    intray.save(update_fields=["status", "deleted_reason", "closed_at"])
    _event(intray, IntrayEventKind.DELETED, actor, text=reason)
    record(
        actor=actor,
        action="work.intray.deleted",
        obj=intray,
        customer_id=intray.customer_id,
        reason="deleted with reason",
        changes={"status": IntrayStatus.DELETED},
    )
    return intray


@audited_refusals("work.intray.assigned")
def assign_intray(
    *,
    intray: Intray,
    actor: User,
    owner_user: Any = None,
    owner_team: Any = None,
    owner_area: Any = None,
    due_on: date | None = None,
    reason: str = "",
) -> Intray:
    """Re-assign live work. The due date stays (it was promised) unless `due_on` is
    given; a new due date may be escalated again if missed (WRK-5)."""
    owner = resolve_owner(owner_user, owner_team, owner_area)
    if owner is None:
        raise ValidationFailed("choose who the intray goes to", field="owner")
    reason = clean_text(reason, "reason", required=False, max_length=300)
    intray = _locked(intray)
    _require_live_and_mine(intray, actor, "re-assign")
    _check_text(intray, reason=reason)
    frm = intray.owner_key
    if frm == owner.key and due_on is None:
        raise ValidationFailed("the intray already has that owner", field="owner")
    fields = ["owner_user", "owner_team", "owner_area", "granted_by", "status"]
    intray.owner_user, intray.owner_team, intray.owner_area = owner.user, owner.team, owner.area
    intray.granted_by = granted_by(actor, owner, intray)
    if owner.user is None or owner.user.pk != actor.pk:
        # The new owner has not started it; it goes back into their queue.
        intray.status = IntrayStatus.OPEN
    if due_on is not None:
        if due_on < agency_today():
            raise ValidationFailed("the due date cannot be in the past", field="due_on")
        intray.due_on, intray.escalated_at = due_on, None
        fields += ["due_on", "escalated_at"]
    intray.save(update_fields=fields)
    _event(intray, IntrayEventKind.ASSIGNED, actor, frm=frm, text=reason)
    record(
        actor=actor,
        action="work.intray.assigned",
        obj=intray,
        customer_id=intray.customer_id,
        changes={"from": frm, "to": intray.owner_key, "due_on": intray.due_on.isoformat()},
    )
    return intray


def create_follow_up(*, parent: Intray, type_code: str, actor: User, **kwargs: Any) -> Intray:
    """A follow-up intray on the same customer and (unless another of the customer's
    cases is given) the same case, linked to its parent."""
    if parent.status == IntrayStatus.DELETED:
        raise IntrayNotLive("a deleted intray cannot have follow-ups")
    case = kwargs.pop("case", None) or parent.case
    return create_intray(
        customer=parent.customer,
        case=case,
        parent=parent,
        type_code=type_code,
        actor=actor,
        **kwargs,
    )
