"""Options recorded in the plan (PS-11): publications, processes, specialised
referrals, a social worker, external organisations and face-to-face contact, each
written in the PS stacking document too, and the plan keeps a version."""

from cma.audit.services import record
from cma.staff.models import User

from .. import contact_policy
from ..models import OptionStatus, PlanOption, PsIssue, PsPlan
from ._contact import (
    audited,
    case_manager_problems,
    check_text,
    locked_plan,
    refuse,
    save_version,
    stacking_note,
    text_problem,
)

TEXT_MAX = 2000


@audited("personalised.option.recorded")
def record_option(
    *, plan: PsPlan, actor: User, kind: str, description: str, issue_id: int | None = None
) -> PlanOption:
    action = "personalised.option.recorded"
    current = locked_plan(plan, actor, action=action)
    problems = case_manager_problems(actor, current, "record options in the plan")
    kinds = contact_policy.names(contact_policy.option_kinds())
    if kind not in kinds:
        problems.append(("kind", f"choose one of {', '.join(kinds)}"))
    problem = text_problem(description, "description", max_length=TEXT_MAX, required=True)
    if problem:
        problems.append(("description", problem))
    issue = None
    if issue_id is not None:
        issue = PsIssue.objects.filter(pk=issue_id, plan=current).first()
        if issue is None:
            problems.append(("issue_id", "no such issue in this plan"))
    refuse("the option cannot be recorded", problems)
    check_text({"description": description}, current.customer)
    option = PlanOption.objects.create(
        plan=current, issue=issue, kind=kind, description=description.strip(), recorded_by=actor
    )
    note_id = stacking_note(current.customer, actor, f"Option: {kinds[kind]}", option.description)
    if note_id is not None:
        option.stacking_note_id = note_id
        option.save(update_fields=["stacking_note"])
    version = save_version(current, actor, f"option recorded: {kind}")
    record(
        actor=actor,
        action=action,
        obj=option,
        customer_id=current.customer_id,
        changes={"kind": kind, "issue": issue_id, "plan_version": version.number},
    )
    return option


@audited("personalised.option.updated")
def set_option_status(*, option: PlanOption, actor: User, status: str) -> PlanOption:
    """The customer took an option up or declined it."""
    action = "personalised.option.updated"
    current = PlanOption.objects.select_for_update(of=("self",)).get(pk=option.pk)
    plan = locked_plan(current.plan, actor, action=action)
    problems = case_manager_problems(actor, plan, "update the options in the plan")
    if status not in OptionStatus.values:
        problems.append(("status", f"choose one of {', '.join(OptionStatus.values)}"))
    elif status == current.status:
        problems.append(("status", f"the option is already {current.get_status_display().lower()}"))
    refuse("the option cannot be updated", problems)
    before = current.status
    current.status = status
    current.save(update_fields=["status"])
    version = save_version(plan, actor, f"option {current.pk}: {status}")
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=plan.customer_id,
        changes={"from": before, "to": status, "plan_version": version.number},
    )
    return current
