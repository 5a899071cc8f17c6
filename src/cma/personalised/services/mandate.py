"""The PS mandate's writes (PS-12): a decision maker requests a consultation with a PS
customer's case manager (an intray due the same working day), and the consultation is
recorded: who was consulted, when, the outstanding issues raised, the special contact
conditions, the agreed communication approach and who tells the customer.

Each is one transaction with one audit row; a refusal lists every unmet condition and
is audited after the rollback (nothing else written)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from cma.audit.services import as_step, record, refusals_recorded
from cma.customers import access
from cma.customers.models import Customer
from cma.decisions.models import Decision, State
from cma.privacy.checks import check_free_text
from cma.staff.models import User
from cma.work.models import Intray, IntrayEvent, IntrayEventKind, IntrayStatus
from cma.work.services.intrays import complete_intray, create_intray

from .. import mandate
from ..errors import PsConflict, PsPermissionDenied, PsRefused
from ..models import ActivityEntry, ConsultationState, PsConsultation

F = TypeVar("F", bound=Callable[..., Any])
Problems = list[tuple[str | None, str]]
TEXT_MAX = 2000


def _decision_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    customer, decision = kwargs.get("customer"), kwargs.get("decision")
    return {
        "customer_id": getattr(customer, "pk", None),
        "object_type": "decisions.decision" if decision is not None else "",
        "object_id": str(decision.pk) if decision is not None else "",
    }


def _audited(action: str) -> Callable[[F], F]:
    return refusals_recorded(action, _decision_of)


def _locked(decision: Decision) -> Decision:
    """The decision under its row lock, so a consultation and a finalisation queue."""
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("case", "decision_maker")
        .get(pk=decision.pk)
    )


def _common_problems(
    decision: Decision, customer: Customer
) -> tuple[Problems, mandate.Manager | None]:
    problems: Problems = []
    if customer.pk not in (decision.case.payer_id, decision.case.payee_id):
        problems.append(("customer_id", "this customer is not affected by the decision"))
        return problems, None
    if decision.state == State.NOTIFIED:
        problems.append(("state", "the decision was already notified"))
    manager = mandate.who_manages(customer)
    if manager is None:
        problems.append(
            (
                "customer_id",
                "the customer is not managed by Personalised Services: no consultation is needed",
            )
        )
    return problems, manager


def _activity(
    customer: Customer, actor: User, kind: str, manager: mandate.Manager, **data: Any
) -> None:
    ActivityEntry.objects.create(
        customer=customer,
        plan_id=manager.plan_id,
        kind=kind,
        data=data,
        by=actor,
        case_manager=manager.user,
        team_id=getattr(manager.user, "team_id", None),
    )


@_audited("personalised.consultation.requested")
def request_consultation(
    *, decision: Decision, customer: Customer, actor: User, note: str = ""
) -> PsConsultation:
    """The decision maker asks the case manager to consult: an intray for the case
    manager (or the team holding the customer), due the same working day."""
    access.admit(actor, customer, action="personalised.consultation.requested")
    current = _locked(decision)
    if current.decision_maker_id != actor.pk:
        raise PsPermissionDenied("only the decision maker may request the consultation")
    problems, manager = _common_problems(current, customer)
    existing = PsConsultation.objects.filter(decision=current, customer=customer).first()
    if existing is not None:
        problems.append(
            (
                "customer_id",
                "a consultation was already recorded for this decision"
                if existing.recorded
                else "a consultation was already requested for this decision",
            )
        )
    if not isinstance(note, str) or len(note) > TEXT_MAX:
        problems.append(("note", f"at most {TEXT_MAX} characters"))
    if manager is not None and manager.is_case_manager(actor):
        problems.append(("customer_id", "you are the customer's case manager"))
    if problems:
        raise PsRefused.from_problems("the consultation cannot be requested", problems)
    assert manager is not None
    text = (
        f"PS-12: consult with the decision maker on decision {current.pk} before it is "
        "finalised or notified."
    )
    if note.strip():
        text += "\n" + note.strip()
    with as_step():
        intray = create_intray(
            customer=customer,
            type_code=mandate.consultation_intray(),
            actor=actor,
            case=current.case,
            note=text,
            by_system=True,
            **manager.owner,
        )
    consultation = PsConsultation.objects.create(
        decision=current,
        customer=customer,
        case_manager=manager.user,
        state=ConsultationState.REQUESTED,
        requested_by=actor,
        requested_at=timezone.now(),
        intray=intray,
    )
    _activity(customer, actor, "mandate-consultation-requested", manager, decision=current.pk)
    record(
        actor=actor,
        action="personalised.consultation.requested",
        obj=consultation,
        customer_id=customer.pk,
        changes={
            "decision": current.pk,
            "intray": intray.pk,
            "owner": intray.owner_key,
            "due_on": intray.due_on.isoformat(),
        },
    )
    return consultation


def _text_problems(fields: dict[str, Any]) -> Problems:
    problems: Problems = []
    for name, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            problems.append((name, "this is required (write \u201cNone\u201d if there are none)"))
        elif len(value) > TEXT_MAX:
            problems.append((name, f"at most {TEXT_MAX} characters"))
    return problems


def _close_intray(intray: Intray | None, actor: User) -> bool:
    """The request's intray is done once the consultation is recorded: completed by
    its holder through the work service, or closed here (as done) for them when the
    decision maker records it, so no open work is left behind (PS-13)."""
    if intray is None or intray.status not in (IntrayStatus.OPEN, IntrayStatus.IN_PROGRESS):
        return False
    outcome = "PS-12 consultation recorded"
    if intray.owner_user_id == actor.pk:
        with as_step():
            complete_intray(intray=intray, actor=actor, outcome=outcome)
        return True
    intray.status = IntrayStatus.COMPLETED
    intray.outcome = outcome
    intray.closed_at = timezone.now()
    intray.save(update_fields=["status", "outcome", "closed_at"])
    IntrayEvent.objects.create(
        intray=intray,
        kind=IntrayEventKind.COMPLETED,
        actor=actor,
        from_owner="",
        to_owner=intray.owner_key,
        text=outcome,
    )
    return True


@_audited("personalised.consultation.recorded")
def record_consultation(
    *,
    decision: Decision,
    customer: Customer,
    actor: User,
    consulted_id: int | None,
    consulted_at: datetime,
    outstanding_issues: str,
    special_contact_conditions: str,
    communication_approach: str,
    who_tells: str,
) -> PsConsultation:
    """Record the consultation (by the decision maker or the person consulted)."""
    access.admit(actor, customer, action="personalised.consultation.recorded")
    current = _locked(decision)
    problems, manager = _common_problems(current, customer)
    consulted: User | None = None
    if consulted_id is not None:
        consulted = User.objects.filter(pk=consulted_id, is_active=True).first()
        if consulted is None:
            problems.append(("consulted_id", "no such officer"))
    elif manager is not None:
        consulted = manager.user
    may_record = current.decision_maker_id == actor.pk or (
        consulted is not None and consulted.pk == actor.pk
    )
    if not may_record:
        raise PsPermissionDenied(
            "only the decision maker or the person consulted may record the consultation"
        )
    existing = PsConsultation.objects.filter(decision=current, customer=customer).first()
    if existing is not None and existing.recorded:
        problems.append(("customer_id", "a consultation was already recorded for this decision"))
    if consulted is None and consulted_id is None:
        problems.append(("consulted_id", "say who was consulted"))
    elif consulted is not None and manager is not None and not manager.may_be_consulted(consulted):
        problems.append(
            ("consulted_id", "consult the customer's PS case manager or their team leader")
        )
    if not isinstance(consulted_at, datetime):
        problems.append(("consulted_at", "say when the consultation took place"))
    elif consulted_at > timezone.now():
        problems.append(("consulted_at", "the consultation cannot be in the future"))
    texts = {
        "outstanding_issues": outstanding_issues,
        "special_contact_conditions": special_contact_conditions,
        "communication_approach": communication_approach,
    }
    problems += _text_problems(texts)
    if who_tells not in mandate.who_tells_options():
        problems.append(("who_tells", "choose who tells the customer"))
    if problems:
        raise PsRefused.from_problems("the consultation cannot be recorded", problems)
    assert manager is not None and consulted is not None
    cleaned = {k: v.strip() for k, v in texts.items()}
    check_free_text(cleaned, customer=customer, case=current.case)
    consultation = existing or PsConsultation(
        decision=current, customer=customer, requested_by=None
    )
    consultation.case_manager = manager.user
    consultation.state = ConsultationState.RECORDED
    consultation.consulted = consulted
    consultation.consulted_at = consulted_at
    consultation.who_tells = who_tells
    consultation.recorded_by = actor
    consultation.recorded_at = timezone.now()
    for name, value in cleaned.items():
        setattr(consultation, name, value)
    try:
        with transaction.atomic():
            consultation.save()
    except IntegrityError:
        raise PsConflict(
            "a consultation was recorded for this decision at the same time",
            field="customer_id",
        ) from None
    closed = _close_intray(consultation.intray, actor)
    _activity(customer, actor, "mandate-consulted", manager, decision=current.pk)
    record(
        actor=actor,
        action="personalised.consultation.recorded",
        obj=consultation,
        customer_id=customer.pk,
        changes={
            "decision": current.pk,
            "consulted": consulted.pk,
            "who_tells": who_tells,
            "intray_closed": closed,
        },
    )
    return consultation
