"""Transferring a call (CON-11). Inside the agency a call goes where the referral
guidelines send the presenting issue (`cma.work.routing.recommend`); a customer owned
by an officer goes to that officer. Outside, only to an organisation of the policy
catalogue, by its public number: never to a private mobile or landline. A transfer
ends the interaction (end reason "transferred"); warm transfers are recorded so."""

from dataclasses import dataclass

import phonenumbers

from cma.audit.services import as_step, record
from cma.policy.models import BusinessArea
from cma.staff.models import Team, User
from cma.work.ownership import holder_of
from cma.work.routing import recommend
from cma.work.selectors import active_lock_for

from .. import policy
from ..errors import InvalidPhoneNumber, TransferRefused
from ..models import EndReason, Interaction, Transfer, TransferTarget
from ._common import audited, now, working

DEFAULT_ISSUE = "general-enquiry"
INTERNAL = (TransferTarget.OFFICER, TransferTarget.AREA, TransferTarget.TEAM)
TARGETS = (*INTERNAL, TransferTarget.EXTERNAL)
PRIVATE_NUMBER = "CON-11: transfer to a private mobile or landline is refused"
Problems = list[tuple[str | None, str]]


@dataclass
class Destination:
    """Where the referral guidelines send the call: exactly one of user, team, area."""

    rule: str
    reason: str
    label: str
    user: User | None = None
    team: Team | None = None
    area: BusinessArea | None = None


def destination(interaction: Interaction, actor: User, issue: str) -> Destination:
    """The guidelines' answer for `issue`. Common work is resolved at the point of
    entry, but a customer owned by an officer is still routed to that officer (CON-11)."""
    customer = interaction.customer
    advice = recommend(customer=customer, issues=[issue], actor=actor, audit=False)[0]
    kind, _, key = advice.owner_key.partition(":")
    found = Destination(rule=advice.rule, reason=advice.reason, label=advice.owner_label)
    if kind == "user":
        found.user = User.objects.select_related("team").get(pk=int(key))
    elif kind == "team":
        found.team = Team.objects.select_related("business_area").get(pk=int(key))
    elif kind == "area":
        found.area = advice.area or BusinessArea.objects.get(pk=int(key))
    else:
        lock = active_lock_for(customer)
        if lock is not None and lock.owner_user_id:
            found = Destination(
                rule="locked-to-owner",
                reason="A customer owned by an officer is routed to that officer (CON-11).",
                label=holder_of(lock).label,
                user=lock.owner_user,
            )
        else:
            found.area = advice.area
            found.label = str(advice.area) if advice.area else "the point of entry"
    return found


def _elsewhere(dest: Destination, issue: str) -> str:
    return (
        f"CON-11: the referral guidelines route {issue!r} to {dest.label} "
        f"(rule {dest.rule}: {dest.reason})"
    )


def _internal(
    dest: Destination,
    *,
    target: str,
    actor: User,
    issue: str,
    area_code: str | None,
    team_id: int | None,
    problems: Problems,
) -> tuple[User | None, Team | None, BusinessArea | None]:
    if target == TransferTarget.OFFICER:
        if dest.user is None:
            problems.append(("target", _elsewhere(dest, issue) + "; no officer owns this call"))
        elif dest.user.pk == actor.pk:
            problems.append(
                ("target", "the customer is yours (rule " + dest.rule + "): keep the call")
            )
        return dest.user, None, None
    if target == TransferTarget.TEAM:
        team = (
            Team.objects.select_related("business_area").filter(pk=team_id).first()
            if team_id is not None
            else None
        )
        if team is None:
            problems.append(("team_id", "choose the team to transfer to"))
        elif not (
            (dest.team is not None and dest.team.pk == team.pk)
            or (dest.area is not None and team.business_area_id == dest.area.pk)
        ):
            problems.append(("team_id", _elsewhere(dest, issue)))
        return None, team, team.business_area if team else None
    area = BusinessArea.objects.filter(code=area_code or "", active=True).first()
    if area is None:
        problems.append(("area_code", "choose the business area to transfer to"))
    elif dest.area is None or dest.area.pk != area.pk:
        problems.append(("area_code", _elsewhere(dest, issue)))
    return None, None, area


def _parse(number: str) -> phonenumbers.PhoneNumber:
    try:
        parsed = phonenumbers.parse(number, "AU")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber("that is not a phone number", field="number")
    return parsed


def _same(a: phonenumbers.PhoneNumber, b: phonenumbers.PhoneNumber) -> bool:
    return (a.country_code, a.national_number) == (b.country_code, b.national_number)


def _external(
    organisation: str | None, number: str | None, problems: Problems
) -> policy.Organisation | None:
    catalogue = policy.organisations()
    chosen = catalogue.get(organisation) if organisation else None
    if organisation and chosen is None:
        problems.append(
            (
                "organisation",
                "CON-11: calls go only to organisations in the catalogue, by their public number",
            )
        )
    if number:
        parsed = _parse(number)
        public = next((o for o in catalogue.values() if _same(_parse(o.phone), parsed)), None)
        if public is None:
            problems.append(("number", PRIVATE_NUMBER))
        elif chosen is not None and chosen.code != public.code:
            problems.append(("number", f"that is not the public number of {chosen.name}"))
        chosen = chosen or public
    if not organisation and not number:
        problems.append(("organisation", "choose the organisation to transfer to"))
    return chosen


def _stray_fields(target: str, **given: object) -> Problems:
    """Fields that belong to another kind of transfer: refused, not ignored."""
    belongs = {
        "area_code": (TransferTarget.AREA,),
        "team_id": (TransferTarget.TEAM,),
        "issue": INTERNAL,
        "organisation": (TransferTarget.EXTERNAL,),
        "number": (TransferTarget.EXTERNAL,),
    }
    return [
        (name, f"{name} is not used by a transfer to {target}")
        for name, value in given.items()
        if value not in (None, "") and target not in belongs[name]
    ]


def _plan(
    interaction: Interaction,
    actor: User,
    *,
    target: str,
    area_code: str | None,
    team_id: int | None,
    issue: str | None,
    organisation: str | None,
    number: str | None,
) -> tuple[Transfer, str]:
    """The transfer asked for (unsaved) and where it goes in words; or the refusal
    listing every unmet condition."""
    problems = _stray_fields(
        target,
        area_code=area_code,
        team_id=team_id,
        issue=issue,
        organisation=organisation,
        number=number,
    )
    planned = Transfer(interaction=interaction, officer=actor, target=target)
    if target == TransferTarget.EXTERNAL:
        org = _external(organisation, number, problems)
        planned.organisation, planned.rule = (org.code if org else ""), "external-organisations"
        label = org.name if org else ""
    else:
        code = issue or DEFAULT_ISSUE
        with as_step():
            dest = destination(interaction, actor, code)
        planned.to_officer, planned.team, planned.area = _internal(
            dest,
            target=target,
            actor=actor,
            issue=code,
            area_code=area_code,
            team_id=team_id,
            problems=problems,
        )
        planned.rule = dest.rule
        label = (
            dest.label if target == TransferTarget.OFFICER else str(planned.team or planned.area)
        )
    if problems:
        raise TransferRefused.from_problems("the call cannot be transferred", problems)
    return planned, label


@audited("contact.call.transferred")
def transfer_call(
    *,
    interaction: Interaction,
    actor: User,
    target: str,
    area_code: str | None = None,
    team_id: int | None = None,
    issue: str | None = None,
    organisation: str | None = None,
    number: str | None = None,
    warm: bool = False,
) -> Transfer:
    """Transfer the call and end the interaction. Internal targets ("officer", "area",
    "team") must be where the guidelines send `issue` (default a general enquiry);
    "external" needs a catalogue organisation or its public number."""
    interaction = working(interaction, actor, action="contact.call.transferred")
    if target not in TARGETS:
        raise TransferRefused(f"target must be one of {', '.join(TARGETS)}", field="target")
    transfer, label = _plan(
        interaction,
        actor,
        target=target,
        area_code=area_code,
        team_id=team_id,
        issue=issue,
        organisation=organisation,
        number=number,
    )
    transfer.warm = bool(warm)
    transfer.save()
    interaction.ended_at = now()
    interaction.end_reason = EndReason.TRANSFERRED
    interaction.outcome = f"Transferred to {label}"[:200]
    interaction.save(update_fields=["ended_at", "end_reason", "outcome"])
    record(
        actor=actor,
        action="contact.call.transferred",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={
            "transfer": transfer.pk,
            "target": target,
            "rule": transfer.rule,
            "area": transfer.area.code if transfer.area else None,
            "team": transfer.team_id,
            "to_officer": transfer.to_officer_id,
            "organisation": transfer.organisation or None,
            "warm": transfer.warm,
            "receipt": interaction.receipt,
        },
    )
    return transfer
