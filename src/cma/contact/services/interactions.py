"""Opening an interaction: the context for everything done on a call (CON-16)."""

from django.db import IntegrityError, transaction

from cma.audit.services import record
from cma.customers import access
from cma.customers.models import (
    AlternativeContact,
    Customer,
    RepresentativeAuthority,
    agency_today,
)
from cma.errors import PermissionDenied
from cma.staff.models import User

from .. import policy
from ..errors import InteractionRefused, LineBusy
from ..models import Channel, Direction, Interaction, NumberType, Party
from ..receipts import new_receipt
from ._common import audited

RECEIPT_TRIES = 5


def desk_line(officer: User) -> str:
    """The line of an interaction opened by hand: one open at a time per officer."""
    return f"desk:{officer.pk}"


def _problems(
    customer: Customer,
    *,
    direction: str,
    channel: str,
    party: str,
    number_type: str,
    purpose: str,
    representative_id: int | None,
    alternative_contact_id: int | None,
) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    if direction not in Direction.values:
        problems.append(("direction", f"direction must be one of {', '.join(Direction.values)}"))
    if channel not in Channel.values:
        problems.append(("channel", f"channel must be one of {', '.join(Channel.values)}"))
    if party not in Party.values:
        problems.append(("party", f"party must be one of {', '.join(Party.values)}"))
    if number_type not in NumberType.values:
        problems.append(("number_type", "number type must be mobile, home, work or international"))
    if direction == Direction.OUTBOUND and purpose and purpose not in policy.purposes():
        problems.append(("purpose", f"unknown contact purpose {purpose!r}"))
    if direction == Direction.OUTBOUND and not purpose:
        problems.append(("purpose", "an outbound contact needs its purpose"))
    today = agency_today()
    if party == Party.REPRESENTATIVE:
        current = RepresentativeAuthority.objects.filter(
            customer=customer, representative_id=representative_id, starts_on__lte=today
        ).exclude(ends_on__lt=today)
        if representative_id is None or not current.exists():
            problems.append(
                ("representative_id", "choose an authorised representative with current authority")
            )
    if party == Party.ALTERNATIVE_CONTACT:
        # CON-7: after the end date an alternative contact is not offered.
        found = alternative_contact_id is not None and (
            AlternativeContact.objects.filter(
                customer=customer, pk=alternative_contact_id, ends_on__gte=today
            ).exists()
        )
        if not found:
            problems.append(
                (
                    "alternative_contact_id",
                    "CON-7: choose a current alternative contact of this customer "
                    "(one past its end date is not offered)",
                )
            )
    return problems


@audited("contact.interaction.opened")
def open_interaction(
    *,
    customer: Customer,
    actor: User,
    direction: str,
    channel: str,
    party: str = Party.CUSTOMER,
    number_type: str = "",
    purpose: str = "",
    representative_id: int | None = None,
    alternative_contact_id: int | None = None,
    plan_id: int | None = None,
    line: str | None = None,
    attested: bool = False,
    survey_opt_in: bool = False,
    ivr_reference: str = "",
) -> Interaction:
    """Open a call, SMS exchange or meeting with a customer (or someone for them). It
    starts unconfirmed (CON-9). `line`: the telephony call id; by hand, the officer's
    desk line, so an officer has one open interaction at a time."""
    if not actor.has_perm("contact.open_interaction"):
        raise PermissionDenied("your role does not contact customers")
    if not attested:
        access.admit(actor, customer, action="contact.interaction.opened")
    problems = _problems(
        customer,
        direction=direction,
        channel=channel,
        party=party,
        number_type=number_type,
        purpose=purpose,
        representative_id=representative_id,
        alternative_contact_id=alternative_contact_id,
    )
    if problems:
        raise InteractionRefused.from_problems("the interaction cannot be opened", problems)
    line = line or desk_line(actor)
    busy = Interaction.objects.filter(line=line, ended_at=None).first()
    if busy is not None:
        raise LineBusy(
            f"there is already an open interaction on this line ({busy.receipt}); end it first",
            field="line",
        )
    interaction = _create(
        customer=customer,
        officer=actor,
        direction=direction,
        channel=channel,
        party=party,
        number_type=number_type,
        purpose=purpose if direction == Direction.OUTBOUND else "",
        representative_id=representative_id if party == Party.REPRESENTATIVE else None,
        alternative_contact_id=alternative_contact_id
        if party == Party.ALTERNATIVE_CONTACT
        else None,
        plan_id=plan_id,
        line=line,
        attested=attested,
        survey_opt_in=survey_opt_in,
        ivr_reference=ivr_reference,
    )
    record(
        actor=actor,
        action="contact.interaction.opened",
        obj=interaction,
        customer_id=customer.pk,
        changes={
            "receipt": interaction.receipt,
            "direction": direction,
            "channel": channel,
            "party": party,
            "number_type": number_type,
            "purpose": interaction.purpose,
            "attested": attested,
        },
    )
    return interaction


def _create(**fields: object) -> Interaction:
    """Insert with a fresh receipt; a clash of receipts (or of the line, raced) is
    retried or reported inside a savepoint so the caller's transaction survives."""
    for _ in range(RECEIPT_TRIES):
        try:
            with transaction.atomic():
                return Interaction.objects.create(receipt=new_receipt(), **fields)
        except IntegrityError as exc:
            if "line" in str(exc) or "one_open_interaction_per_line" in str(exc):
                raise LineBusy(
                    "there is already an open interaction on this line; end it first",
                    field="line",
                ) from None
    raise LineBusy("could not allocate a receipt number; try again")
