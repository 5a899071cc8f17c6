"""Minimum Collection Activity (CMA-1, seed 000): in every interaction by an officer of a
CMA business area, payment (ongoing and arrears), care and income are addressed for each
case the customer pays or receives on, each with an outcome; "follow-up intray created"
opens that intray in the same transaction. Enabling areas are exempt (business-area
data)."""

from typing import Any

from django.utils import timezone

from cma.audit.services import as_step, record
from cma.contact.models import Interaction
from cma.staff.models import User
from cma.work.services import create_intray

from .. import policy
from ..errors import McaRefused
from ..models import MCA_TOPICS, McaOutcome, McaRecord
from ._common import audited, case_of, on_call

ACTION = "collection.mca.recorded"


def mca_applies(interaction: Interaction) -> bool:
    """CMA-1 applies to the officer's interactions unless their team's business area is
    an enabling area (no regular direct contact with payers or payees)."""
    team = interaction.officer.team
    if team is None:
        return True
    return bool(team.business_area.cma_applies)


def _problems(outcomes: Any) -> list[tuple[str | None, str]]:
    if not isinstance(outcomes, dict):
        return [("outcomes", "give an outcome for payment (ongoing and arrears), care and income")]
    problems: list[tuple[str | None, str]] = []
    valid = ", ".join(McaOutcome.values)
    for topic, label in MCA_TOPICS.items():
        value = outcomes.get(topic)
        if not value:
            problems.append((topic, f"CMA-1: give an outcome for {label.lower()}"))
        elif value not in McaOutcome.values:
            problems.append((topic, f"{label}: the outcome must be one of {valid}"))
    for extra in sorted(set(outcomes) - set(MCA_TOPICS)):
        problems.append((str(extra)[:60], "not a Minimum Collection Activity topic"))
    return problems


def _follow_up(interaction: Interaction, actor: User, case: Any, topics: list[str]) -> Any:
    names = ", ".join(MCA_TOPICS[t].lower() for t in topics)
    with as_step():
        return create_intray(
            customer=interaction.customer,
            type_code=policy.mca_follow_up_type(),
            actor=actor,
            owner_user=actor,
            case=case,
            note=(
                f"Minimum Collection Activity follow-up from call {interaction.receipt}: {names}"
            ),
            by_system=True,
        )


@audited(ACTION)
def record_mca(
    *, interaction: Interaction, actor: User, case_id: int, outcomes: dict[str, str]
) -> McaRecord:
    """Record (or change, while the call is live) the MCA outcomes for one of the
    customer's cases. Every missing or unknown outcome at once."""
    interaction = on_call(interaction, actor, action=ACTION)
    case = case_of(interaction.customer, case_id)
    problems = _problems(outcomes)
    if problems:
        raise McaRefused.from_problems("Minimum Collection Activity is incomplete", problems)
    found = McaRecord.objects.select_for_update().filter(interaction=interaction, case=case).first()
    follow = [t for t in MCA_TOPICS if outcomes[t] == McaOutcome.FOLLOW_UP]
    intray = found.follow_up_intray if found else None
    if follow and intray is None:
        intray = _follow_up(interaction, actor, case, follow)
    values = {t: outcomes[t] for t in MCA_TOPICS}
    now = timezone.now()
    if found is None:
        found = McaRecord.objects.create(
            interaction=interaction,
            case=case,
            customer=interaction.customer,
            officer=actor,
            follow_up_intray=intray,
            recorded_at=now,
            updated_at=now,
            **values,
        )
        changed = False
    else:
        for topic, value in values.items():
            setattr(found, topic, value)
        found.follow_up_intray, found.updated_at = intray, now
        found.save(update_fields=[*MCA_TOPICS, "follow_up_intray", "updated_at"])
        changed = True
    record(
        actor=actor,
        action=ACTION,
        obj=found,
        customer_id=interaction.customer_id,
        changes={
            "interaction": interaction.pk,
            "case": case.pk,
            "changed": changed,
            **values,
            "follow_up_intray": intray.pk if intray else None,
        },
    )
    return found
