"""Payees as collection sources (CMA-2, seed 000 "Working with payees"): a lead the
payee gives about the payer (employer, bank account, asset, overseas address, other) is
kept in structured fields, never in free text the privacy guard would refuse, and routed
to the area that acts on it with an intray; and what the payee was told: what was done
with the new information, or, when nothing is new, that this was explained and that new
information will be followed up."""

from typing import Any

from cma.audit.services import as_step, record
from cma.contact.models import Interaction
from cma.customers.timezones import country_zones
from cma.inputs import LINE_BAD
from cma.privacy.checks import check_free_text
from cma.staff.models import User
from cma.work.services import create_intray

from .. import policy
from ..errors import LeadRefused, PayeeUpdateRefused
from ..models import PayeeLead, PayeeUpdate, PayeeUpdateOutcome
from ._common import audited, case_of, on_call

LEAD = "collection.lead.recorded"
UPDATE = "collection.payee.updated"
MAX_NAME = 120
MAX_IDENTIFIER = 40
MAX_NOTE = 300
Problems = list[tuple[str | None, str]]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _payee_case(interaction: Interaction, case_id: Any) -> Any:
    case = case_of(interaction.customer, case_id)
    if case.payee_id != interaction.customer_id:
        raise LeadRefused.from_problems(
            "payee information cannot be recorded",
            [("case_id", "CMA-2: the customer is the payer on this case, not its payee")],
        )
    return case


def _lead_problems(
    kind: policy.LeadKind | None, kind_code: str, name: str, identifier: str, country: str
) -> Problems:
    problems: Problems = []
    if kind is None:
        known = ", ".join(policy.lead_kinds())
        return [("kind", f"unknown kind of lead {kind_code!r}: one of {known}")]
    if not name:
        problems.append(("name", f"give the {kind.name_label.lower()}"))
    elif len(name) > MAX_NAME or LINE_BAD.search(name):
        problems.append(("name", f"one line of at most {MAX_NAME} characters"))
    if identifier and (len(identifier) > MAX_IDENTIFIER or not kind.identifier_ok(identifier)):
        problems.append(("identifier", f"{kind.identifier_label}: not in that form"))
    elif not identifier and kind.identifier_required:
        problems.append(("identifier", f"give the {kind.identifier_label.lower()}"))
    if kind.needs_country and not country:
        problems.append(("country", "give the country (ISO 3166 code, e.g. NZ)"))
    elif country and (country != country.upper() or not country_zones(country)):
        problems.append(("country", f"{country!r} is not a known ISO 3166 country code"))
    return problems


@audited(LEAD)
def record_lead(
    *,
    interaction: Interaction,
    actor: User,
    case_id: int,
    kind: str,
    name: str,
    identifier: str = "",
    country: str = "",
    note: str = "",
) -> PayeeLead:
    """Record a payee's lead on one of their cases (as payee) and route it, with an
    intray, to the area its kind names (policy `payee-lead-kinds`). Every problem at
    once; the optional note passes the privacy guard, the structured fields do not
    need to (they are shown masked)."""
    interaction = on_call(interaction, actor, action=LEAD)
    case = _payee_case(interaction, case_id)
    name, identifier, country, note = map(_text, (name, identifier, country, note))
    lead_kind = policy.lead_kinds().get(kind) if isinstance(kind, str) else None
    problems = _lead_problems(lead_kind, str(kind)[:60], name, identifier, country)
    if len(note) > MAX_NOTE:
        problems.append(("note", f"at most {MAX_NOTE} characters"))
    if problems:
        raise LeadRefused.from_problems("the lead cannot be recorded", problems)
    assert lead_kind is not None
    check_free_text({"note": note}, customer=interaction.customer, case=case)
    area = policy.lead_area(lead_kind)
    with as_step():
        intray = create_intray(
            # On the payee's record (the customer on the call, through the door), with
            # the case: the area acting on it works the case's payer from there.
            customer=interaction.customer,
            type_code=policy.lead_intray_type(),
            actor=actor,
            owner_area=area,
            case=case,
            note=(
                f"Collection lead from the payee ({lead_kind.name.lower()}) on call "
                f"{interaction.receipt}: see the lead on the case"
            ),
            by_system=True,
        )
    lead = PayeeLead.objects.create(
        interaction=interaction,
        case=case,
        payee=interaction.customer,
        officer=actor,
        kind=lead_kind.code,
        name=name,
        identifier=identifier,
        country=country,
        note=note,
        area=area,
        intray=intray,
    )
    record(
        actor=actor,
        action=LEAD,
        obj=lead,
        customer_id=interaction.customer_id,
        changes={
            "interaction": interaction.pk,
            "case": case.pk,
            "kind": lead.kind,
            "area": area.code,
            "intray": intray.pk,
        },
    )
    return lead


@audited(UPDATE)
def record_payee_update(
    *, interaction: Interaction, actor: User, case_id: int, outcome: str
) -> PayeeUpdate:
    """What the payee was told on this call about a case: what was done with the leads
    recorded on it in this call, or that nothing is new, explained, and that new
    information will be followed up (CMA-2)."""
    interaction = on_call(interaction, actor, action=UPDATE)
    case = _payee_case(interaction, case_id)
    problems: Problems = []
    if outcome not in PayeeUpdateOutcome.values:
        problems.append(("outcome", f"the outcome must be one of {', '.join(PayeeUpdateOutcome)}"))
    leads = PayeeLead.objects.filter(interaction=interaction, case=case).exists()
    if outcome == PayeeUpdateOutcome.TOLD and not leads:
        problems.append(
            ("outcome", "CMA-2: record the payee's new information first, then what they were told")
        )
    if outcome == PayeeUpdateOutcome.NOTHING_NEW and leads:
        problems.append(
            ("outcome", "CMA-2: leads were recorded on this call: tell the payee what was done")
        )
    if PayeeUpdate.objects.filter(interaction=interaction, case=case).exists():
        problems.append(("case_id", "what the payee was told is already recorded for this case"))
    if problems:
        raise PayeeUpdateRefused.from_problems("the payee update cannot be recorded", problems)
    update = PayeeUpdate.objects.create(
        interaction=interaction,
        case=case,
        payee=interaction.customer,
        officer=actor,
        outcome=outcome,
    )
    record(
        actor=actor,
        action=UPDATE,
        obj=update,
        customer_id=interaction.customer_id,
        changes={"interaction": interaction.pk, "case": case.pk, "outcome": outcome},
    )
    return update
