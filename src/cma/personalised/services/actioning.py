"""Actioning a referral (PS-2): a guided checklist, each step recorded with who did
it and when, in the policy's order. The referral is actioned when every step that
applies is done, and counts as actioned on time only if that is by its due date.

Steps that change other records use those apps' services as steps of this one
operation (one audit row): `work.services.lock_customer`/`transfer_lock` and
`assign_intray`, `notes.services.stacking.create_stacking_document`/`add_notepad`.
"""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from cma.audit.services import as_step, record
from cma.contact.models import Interaction
from cma.customers import access
from cma.customers.models import Customer, agency_today
from cma.notes.models import StackingPurpose
from cma.notes.services.stacking import add_notepad, create_stacking_document
from cma.staff.models import Role, User
from cma.work.models import CustomerLock, IntrayStatus
from cma.work.services import assign_intray, lock_customer, transfer_lock

from .. import policy
from ..models import ActioningStep, PlanState, PsPlan, Referral, ReferralState
from ._common import (
    Problems,
    activity,
    audited,
    check_text,
    ps_stacking_document,
    refuse,
    text_problem,
)
from .plans import create_plan_for, save_version

LOCK_REASON = "Personalised Services case management"


def applicable_steps(referral: Referral) -> list[policy.Step]:
    """The checklist for this referral: steps `when: associated` only when an
    associated customer is to be managed too."""
    associated = referral.associated_contact_required and referral.associated_customer_id
    return [s for s in policy.actioning_steps() if s.when != "associated" or associated]


def open_plan(customer: Customer | int) -> PsPlan | None:
    customer_id = customer if isinstance(customer, int) else customer.pk
    return (
        PsPlan.objects.filter(customer_id=customer_id)
        .exclude(state=PlanState.CLOSED)
        .select_related("case_manager")
        .first()
    )


# Each handler checks its own inputs (adding to `problems`), then does the work once
# every problem of the step is known; it returns what the step produced.
Runner = Callable[[], dict[str, Any]]
Handler = Callable[[Referral, User, dict[str, Any], Problems], Runner]


def _lock(customer: Customer, actor: User) -> dict[str, Any]:
    current = CustomerLock.objects.filter(customer=customer, released_at=None).first()
    with as_step():
        if current is None:
            lock = lock_customer(customer=customer, actor=actor, reason=LOCK_REASON)
        elif current.owner_user_id == actor.pk:
            lock = current
        else:
            lock = transfer_lock(
                customer=customer, actor=actor, reason=LOCK_REASON, owner_user=actor
            )
    return {"lock": lock.pk}


def _lock_primary(
    referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
) -> Runner:
    def run() -> dict[str, Any]:
        found = _lock(referral.primary_customer, actor)
        intray = referral.intray
        live = (IntrayStatus.OPEN, IntrayStatus.IN_PROGRESS)
        if intray is not None and intray.status in live and intray.owner_user_id != actor.pk:
            with as_step():
                assign_intray(intray=intray, actor=actor, owner_user=actor, reason=LOCK_REASON)
        referral.case_manager = actor
        referral.save(update_fields=["case_manager"])
        return found

    return run


def _lock_associated(
    referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
) -> Runner:
    associated = referral.associated_customer
    if associated is None:
        problems.append((None, "this referral has no associated customer"))

    def run() -> dict[str, Any]:
        assert associated is not None
        access.admit(actor, associated, action="personalised.referral.step")
        return _lock(associated, actor)

    return run


def _review_history(
    referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
) -> Runner:
    items = policy.case_history_items()
    crg = bool(policy.referral_types().get(referral.kind, {}).get("crg_record"))
    reviewed = inputs.get("reviewed") or []
    for code in reviewed:
        if code not in items:
            problems.append(("reviewed", f"unknown case history item {code!r}"))
    for code, item in items.items():
        if item.extra.get("crg_only") and not crg:
            continue
        if code not in reviewed:
            problems.append(("reviewed", f"PS-2: review the {item.name}"))
    return lambda: {"reviewed": sorted(set(reviewed))}


def _create_plan(
    referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
) -> Runner:
    def run() -> dict[str, Any]:
        plan = open_plan(referral.primary_customer_id)
        if plan is not None:
            # Reallocated from another case manager: update the existing plan (seed 003).
            if plan.case_manager_id != actor.pk:
                plan.case_manager = actor
                plan.save(update_fields=["case_manager"])
                save_version(plan, actor, "case manager changed on reallocation")
            return {"plan": plan.pk, "existing": True}
        plan = create_plan_for(referral.primary_customer, actor, referral)
        return {"plan": plan.pk}

    return run


def _create_stacking(
    referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
) -> Runner:
    def run() -> dict[str, Any]:
        document = ps_stacking_document(referral.primary_customer)
        existing = document is not None
        if document is None:
            with as_step():
                document = create_stacking_document(
                    customer=referral.primary_customer,
                    actor=actor,
                    purpose=StackingPurpose.PERSONALISED_SERVICES,
                    referral_reason=referral.reason,
                    case=referral.case,
                )
        plan = open_plan(referral.primary_customer_id)
        if plan is not None and plan.stacking_document_id is None:
            plan.stacking_document = document
            plan.stacking_created_on = timezone.localtime(document.created_at).date()
            plan.stacking_location = (
                plan.stacking_location
                or (f"Communication: {document.heading} stacking document")[:200]
            )
            plan.save(
                update_fields=["stacking_document", "stacking_created_on", "stacking_location"]
            )
            save_version(plan, actor, "PS stacking document recorded")
        return {"stacking_document": document.pk, "existing": existing}

    return run


def _case_review(
    referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
) -> Runner:
    text = inputs.get("text", "")
    problem = text_problem(text, "text", max_length=4000, required=True)
    if problem:
        problems.append(("text", f"write the PS Case Review: {problem}"))

    def run() -> dict[str, Any]:
        document = ps_stacking_document(referral.primary_customer)
        assert document is not None  # the stacking step comes first
        with as_step():
            entry = add_notepad(document=document, actor=actor, subject="PS Case Review", body=text)
        return {"note": entry.note_id}

    return run


def _contact(customer_attr: str) -> Handler:
    def handler(
        referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
    ) -> Runner:
        customer_id = getattr(referral, customer_attr)
        interaction_id = inputs.get("interaction_id")
        if interaction_id is not None:
            found = Interaction.objects.filter(pk=interaction_id, customer_id=customer_id).exists()
            if not found:
                problems.append(("interaction_id", "no such interaction with this customer"))
        return lambda: {"interaction": interaction_id}

    return handler


def _record_segment(
    referral: Referral, actor: User, inputs: dict[str, Any], problems: Problems
) -> Runner:
    main_reason = inputs.get("main_reason") or ""
    if main_reason not in policy.main_reasons():
        problems.append(
            ("main_reason", f"choose the main reason ({', '.join(policy.main_reasons())})")
        )
    plan = open_plan(referral.primary_customer_id)
    if plan is None:
        problems.append((None, "create the plan first"))
    elif plan.segment is None:
        problems.append(("segment", "PS-6: decide the customer's segment in the plan first"))

    def run() -> dict[str, Any]:
        assert plan is not None
        referral.main_reason = main_reason
        referral.save(update_fields=["main_reason"])
        changed = []
        if not plan.referral_source:
            plan.referral_source = referral.source
            changed.append("referral_source")
        if not plan.main_issue:
            plan.main_issue = policy.main_reasons()[main_reason].name
            changed.append("main_issue")
        if changed:
            plan.save(update_fields=changed)
            save_version(plan, actor, "referral source and main reason recorded")
        return {"segment": plan.segment, "source": referral.source, "main_reason": main_reason}

    return run


HANDLERS: dict[str, Handler] = {
    "lock-primary": _lock_primary,
    "lock-associated": _lock_associated,
    "review-case-history": _review_history,
    "create-plan": _create_plan,
    "create-stacking-document": _create_stacking,
    "complete-case-review": _case_review,
    "contact-primary": _contact("primary_customer_id"),
    "contact-associated": _contact("associated_customer_id"),
    "record-segment-source-reason": _record_segment,
}


def _locked_referral(referral: Referral, actor: User, action: str) -> Referral:
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("primary_customer", "associated_customer", "intray", "case")
        .get(pk=referral.pk)
    )
    access.admit(actor, current.primary_customer, action=action)
    return current


def checklist(referral: Referral) -> list[dict[str, Any]]:
    """The referral's steps in order, each done or not, by whom and when."""
    done = {s.step: s for s in referral.steps.select_related("done_by")}
    rows = []
    for step in applicable_steps(referral):
        row = done.get(step.code)
        rows.append(
            {
                "code": step.code,
                "name": step.name,
                "done": row is not None,
                "done_by": row.done_by if row else None,
                "done_at": row.done_at if row else None,
                "detail": row.detail if row else {},
            }
        )
    return rows


@audited("personalised.referral.step")
def record_step(
    *, referral: Referral, actor: User, step: str, inputs: dict[str, Any] | None = None
) -> ActioningStep:
    """Do and record one step of the checklist (PS-2). Refused, naming every unmet
    condition, when a step is out of order, already done, by the wrong person, or
    its inputs are missing."""
    current = _locked_referral(referral, actor, "personalised.referral.step")
    inputs = dict(inputs or {})
    problems: Problems = []
    if actor.role not in (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER):
        problems.append((None, "only Personalised Services staff action a referral"))
    elif current.case_manager_id is not None and current.case_manager_id != actor.pk:
        problems.append((None, "this referral is being actioned by another case manager"))
    if current.state not in (ReferralState.RECEIVED, ReferralState.ACTIONING):
        problems.append(("state", f"the referral is {current.get_state_display().lower()}"))
    steps = applicable_steps(current)
    codes = [s.code for s in steps]
    done = set(current.steps.values_list("step", flat=True))
    if step not in codes:
        problems.append(("step", f"{step!r} is not a step of this referral's checklist"))
    elif step in done:
        problems.append(("step", f"{step!r} is already done"))
    else:
        for earlier in steps[: codes.index(step)]:
            if earlier.code not in done:
                problems.append(("step", f"PS-2: first: {earlier.name}"))
    run = HANDLERS[step](current, actor, inputs, problems) if step in HANDLERS else None
    refuse("the step cannot be recorded", problems)
    text = inputs.get("text", "")
    if text:
        check_text({"text": text}, current.primary_customer, current.case)
    detail = run() if run is not None else {}
    row = ActioningStep.objects.create(referral=current, step=step, done_by=actor, detail=detail)
    fields = ["state"]
    current.state = ReferralState.ACTIONING
    if current.case_manager_id is None:
        current.case_manager = actor
        fields.append("case_manager")
    if set(codes) <= done | {step}:
        current.state = ReferralState.ACTIONED
        current.actioned_at = row.done_at
        current.actioned_on_time = timezone.localtime(row.done_at).date() <= current.due_on
        fields += ["actioned_at", "actioned_on_time"]
        plan = open_plan(current.primary_customer_id)
        # PS-2 step 3: the customer's record in the PS activity record.
        activity(
            customer=current.primary_customer_id,
            kind="referral-actioned",
            actor=actor,
            plan=plan,
            referral=current,
            on_time=current.actioned_on_time,
            due_on=current.due_on.isoformat(),
            source=current.source,
            segment=plan.segment if plan else None,
            main_reason=current.main_reason,
        )
    current.save(update_fields=fields)
    record(
        actor=actor,
        action="personalised.referral.step",
        obj=current,
        customer_id=current.primary_customer_id,
        changes={"step": step, "state": current.state, **_ids(detail)},
    )
    return row


def _ids(detail: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in detail.items() if isinstance(v, int | bool) or v is None}


def on_time(referral: Referral) -> bool | None:
    """Actioned on time only when the checklist is complete by the due date; None while
    still open and not yet late."""
    if referral.actioned_at is not None:
        return bool(referral.actioned_on_time)
    return False if agency_today() > referral.due_on else None
