"""Ending a call (CON-15, CON-12, CON-11): the warning before ending for aggressive
behaviour, hold, the reasons a call ends and what each one sets going.

- aggressive: only after the warning given is recorded;
- against the customer's wishes: needs the reason, and notifies the officer's Team
  Leader, who acknowledges it;
- hold timeout: only once the customer has been on hold `call-hold-seconds` (30);
- disconnected: an immediate call-back ("call-back-now" intray to the officer);
- completed, when the customer opted in: handed to the post-call survey (CHAS).

None of these discloses anything to the caller, so none waits for identity (CON-9)."""

from typing import Any

from cma.audit.services import as_step, record
from cma.customers import access
from cma.customers.models import agency_today
from cma.errors import ValidationFailed
from cma.privacy.checks import check_free_text
from cma.staff.models import LEADER_ROLES, User
from cma.work.models import Intray
from cma.work.services import create_intray

from .. import end_checks, policy
from ..errors import EndRefused, NoSuchNotification, NotificationAcknowledged, OnHoldAlready
from ..models import EndReason, Interaction, Notification, Transfer, TransferTarget
from ._common import audited, now, working

# The behaviour quoted in the warning (seed 001, table 16): "I may not be able to
# continue this call with you because you are <behaviour>...". A fixed list, or one
# short line of the officer's own, checked for personal information.
BEHAVIOURS = {
    "shouting": "shouting",
    "abusive-language": "using abusive language",
    "threats": "making threats",
    "discriminatory-remarks": "making discriminatory remarks",
    "harassment": "harassing me",
    "repeated-interruptions": "repeatedly interrupting",
}
MAX_BEHAVIOUR = 100
WARNING = (
    "I may not be able to continue this call with you because you are {behaviour}. This "
    "is making it hard to work out how to help you. If you continue, I will end the call "
    "without any further warning and then discuss it with my team leader."
)
# Reasons an officer gives; "transferred" comes with a transfer, "platform" from telephony.
OFFICER_REASONS = (
    EndReason.COMPLETED,
    EndReason.AGGRESSIVE,
    EndReason.AGAINST_WISHES,
    EndReason.HOLD_TIMEOUT,
    EndReason.DISCONNECTED,
)
AGAINST_WISHES_KIND = "call-ended-against-wishes"
MAX_OUTCOME = 200
MAX_WISHES_REASON = 300
MAX_OVERRIDE_REASON = 300


def warning_text(behaviour: str) -> str:
    return WARNING.format(behaviour=BEHAVIOURS.get(behaviour, behaviour))


@audited("contact.call.warned")
def record_warning(*, interaction: Interaction, actor: User, behaviour: str) -> Interaction:
    """Record the warning given for aggressive or counterproductive behaviour: a code of
    BEHAVIOURS, or one short line (no personal information)."""
    interaction = working(interaction, actor, action="contact.call.warned")
    text = behaviour.strip() if isinstance(behaviour, str) else ""
    if not text:
        raise ValidationFailed("say which behaviour the warning was about", field="behaviour")
    if len(text) > MAX_BEHAVIOUR:
        raise ValidationFailed(
            f"describe the behaviour in at most {MAX_BEHAVIOUR} characters", field="behaviour"
        )
    if text not in BEHAVIOURS:
        check_free_text({"behaviour": text}, customer=interaction.customer)
    interaction.warned_at = now()
    interaction.warning = BEHAVIOURS.get(text, text)
    interaction.save(update_fields=["warned_at", "warning"])
    record(
        actor=actor,
        action="contact.call.warned",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={"behaviour": text if text in BEHAVIOURS else "other"},
    )
    return interaction


@audited("contact.call.held")
def put_on_hold(*, interaction: Interaction, actor: User) -> Interaction:
    """The customer put the call on hold (or left the phone): the 30 seconds start."""
    interaction = working(interaction, actor, action="contact.call.held")
    if interaction.on_hold_since is not None:
        raise OnHoldAlready("the call is already on hold", field="interaction_id")
    interaction.on_hold_since = now()
    interaction.save(update_fields=["on_hold_since"])
    record(
        actor=actor,
        action="contact.call.held",
        obj=interaction,
        customer_id=interaction.customer_id,
    )
    return interaction


def leader_for(officer: User) -> User | None:
    """Whom a call ended against the customer's wishes notifies: the team's leader,
    else a leader-role member of the officer's team."""
    team = officer.team if officer.team_id else None
    if team is None:
        return None
    if team.leader_id and team.leader is not None and team.leader.is_active:
        return team.leader
    return (
        User.objects.filter(team=team, role__in=LEADER_ROLES, is_active=True).order_by("pk").first()
    )


def _problems(
    interaction: Interaction, *, reason: str, wishes_reason: str, leader: User | None
) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    if reason not in OFFICER_REASONS:
        problems.append(("reason", f"reason must be one of {', '.join(OFFICER_REASONS)}"))
    if reason == EndReason.AGGRESSIVE and interaction.warned_at is None:
        problems.append(
            (
                "reason",
                "CON-15: record the warning given before ending a call for aggressive behaviour",
            )
        )
    if reason == EndReason.AGAINST_WISHES:
        if not wishes_reason:
            problems.append(
                ("wishes_reason", "CON-15: say why the call is ended against the customer's wishes")
            )
        if leader is None:
            problems.append(
                ("reason", "CON-15: your team has no Team Leader to notify; ask your manager")
            )
    if reason == EndReason.HOLD_TIMEOUT:
        allowed = policy.call_hold_seconds()
        if interaction.on_hold_since is None:
            problems.append(("reason", "CON-15: the call is not on hold"))
        elif (waited := (now() - interaction.on_hold_since).total_seconds()) < allowed:
            problems.append(
                (
                    "reason",
                    f"CON-15: a customer on hold is allowed {allowed} seconds; they have "
                    f"been on hold {int(waited)}",
                )
            )
    return problems


def _call_back(interaction: Interaction, actor: User) -> Intray | None:
    """CON-11: a disconnected call prompts an immediate call-back. Only when the
    officer may work the customer (an unconfirmed attested call to a protected record
    gives no need-to-know; the customer rings again)."""
    if not access.can_see(actor, interaction.customer):
        return None
    with as_step():
        return create_intray(
            customer=interaction.customer,
            type_code="call-back-now",
            actor=actor,
            owner_user=actor,
            due_on=agency_today(),
            note=(
                f"The call with receipt {interaction.receipt} was disconnected: "
                "call the customer back now"
            ),
            by_system=True,
        )


def _set_going(
    interaction: Interaction,
    actor: User,
    *,
    reason: str,
    ended: Any,
    leader: User | None,
    wishes_reason: str,
) -> tuple[dict[str, Any], list[str]]:
    """What ending for `reason` sets going: the Team Leader's notification, the
    call-back, the survey hand-over. Returns the audit changes and the fields to save."""
    changes: dict[str, Any] = {"reason": reason, "receipt": interaction.receipt}
    fields = ["ended_at", "end_reason", "outcome"]
    if reason == EndReason.AGAINST_WISHES:
        assert leader is not None
        note = Notification.objects.create(
            leader=leader, interaction=interaction, kind=AGAINST_WISHES_KIND, reason=wishes_reason
        )
        changes |= {"notification": note.pk, "leader": leader.pk}
    if reason == EndReason.HOLD_TIMEOUT and interaction.on_hold_since is not None:
        changes["hold_seconds"] = int((ended - interaction.on_hold_since).total_seconds())
    if reason == EndReason.DISCONNECTED:
        intray = _call_back(interaction, actor)
        interaction.call_back_required = True
        fields.append("call_back_required")
        changes["call_back_intray"] = intray.pk if intray else None
    if reason == EndReason.COMPLETED and interaction.survey_opt_in:
        changes["survey"] = hand_over_to_survey(interaction, actor)
        fields.append("survey_handed_over")
    return changes, fields


def hand_over_to_survey(interaction: Interaction, officer: User) -> str:
    """CON-12: ending the call of a customer who opted in hands them to the post-call
    survey; recorded as a transfer. The caller saves `survey_handed_over`."""
    survey = policy.survey()
    Transfer.objects.create(
        interaction=interaction,
        officer=officer,
        target=TransferTarget.SURVEY,
        organisation=survey.code,
        rule="survey-transfer",
    )
    interaction.survey_handed_over = True
    return survey.code


@audited("contact.interaction.ended")
def end_interaction(
    *,
    interaction: Interaction,
    actor: User,
    reason: str,
    outcome: str = "",
    wishes_reason: str = "",
    override_reason: str = "",
) -> Interaction:
    """End the call for `reason` (OFFICER_REASONS). Every unmet condition at once,
    the registered end checks' included (`end_checks`, e.g. CMA-1's Minimum Collection
    Activity); `override_reason`: why a step a check asks for was not done."""
    interaction = working(interaction, actor, action="contact.interaction.ended")
    outcome = outcome.strip() if isinstance(outcome, str) else ""
    wishes_reason = wishes_reason.strip() if isinstance(wishes_reason, str) else ""
    override_reason = override_reason.strip() if isinstance(override_reason, str) else ""
    if len(override_reason) > MAX_OVERRIDE_REASON:
        raise ValidationFailed(
            f"the reason is longer than {MAX_OVERRIDE_REASON} characters", field="override_reason"
        )
    if len(outcome) > MAX_OUTCOME:
        raise ValidationFailed(f"outcome is longer than {MAX_OUTCOME} characters", field="outcome")
    if len(wishes_reason) > MAX_WISHES_REASON:
        raise ValidationFailed(
            f"the reason is longer than {MAX_WISHES_REASON} characters", field="wishes_reason"
        )
    if wishes_reason and reason != EndReason.AGAINST_WISHES:
        raise ValidationFailed(
            "wishes_reason is only for a call ended against the customer's wishes",
            field="wishes_reason",
        )
    leader = leader_for(actor) if reason == EndReason.AGAINST_WISHES else None
    problems = _problems(interaction, reason=reason, wishes_reason=wishes_reason, leader=leader)
    if reason in OFFICER_REASONS:
        problems += end_checks.problems(interaction, reason, override_reason)
    if problems:
        raise EndRefused.from_problems("the call cannot be ended so", problems)
    check_free_text(
        {"outcome": outcome, "wishes_reason": wishes_reason, "override_reason": override_reason},
        customer=interaction.customer,
    )
    ended = now()
    changes, fields = _set_going(
        interaction, actor, reason=reason, ended=ended, leader=leader, wishes_reason=wishes_reason
    )
    changes |= end_checks.run_on_end(interaction, actor, reason, override_reason)
    interaction.ended_at, interaction.end_reason, interaction.outcome = ended, reason, outcome
    interaction.save(update_fields=fields)
    record(
        actor=actor,
        action="contact.interaction.ended",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes=changes,
    )
    return interaction


@audited("contact.notification.acknowledged")
def acknowledge_notification(*, notification: Notification, actor: User) -> Notification:
    """The Team Leader acknowledges a notification meant for them (no one else may)."""
    current = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("interaction")
        .filter(pk=notification.pk, leader_id=getattr(actor, "pk", None))
        .first()
    )
    if current is None:
        raise NoSuchNotification("no such notification", field="notification_id")
    if current.acknowledged_at is not None:
        raise NotificationAcknowledged("this notification is already acknowledged")
    current.acknowledged_at = now()
    current.save(update_fields=["acknowledged_at"])
    record(
        actor=actor,
        action="contact.notification.acknowledged",
        obj=current,
        customer_id=current.interaction.customer_id,
        changes={"kind": current.kind, "receipt": current.interaction.receipt},
    )
    return current
