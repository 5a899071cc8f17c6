"""Recording contact attempts on a plan (CON-5, CON-6): who, when, channel, number
type and outcome, never the number; a contact the customer did not prefer, or that
their restricted service does not allow, needs an acknowledgement and a reason."""

from cma.audit.services import as_step, record
from cma.customers import access
from cma.customers.models import Customer
from cma.notes.errors import ContactRefused
from cma.notes.models import Channel as NotesChannel
from cma.notes.services import check_contact_allowed
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from ..errors import PlanClosed, PlanRefused
from ..models import (
    CALL_CHANNELS,
    AttemptOutcome,
    Channel,
    ContactAttempt,
    ContactPlan,
    Interaction,
    NumberType,
    Party,
    PlanState,
)
from ..plan_selectors import plans_queryset
from ..plans import number_types
from ._common import audited
from .plans import REASON_MAX, Problems, audit_changes, locked_plan, require_contact, restate
from .sms import PRE_CALL, queue_sms


def _attempt_problems(
    plan: ContactPlan,
    *,
    channel: str,
    number_type: str,
    outcome: str,
    party: str,
    interaction: Interaction | None,
) -> Problems:
    problems: Problems = []
    if party not in Party.values:
        problems.append(("party", f"party must be one of {', '.join(Party.values)}"))
    if channel not in Channel.values:
        problems.append(("channel", f"channel must be one of {', '.join(Channel.values)}"))
    if outcome == AttemptOutcome.LETTER_ISSUED:
        problems.append(("outcome", "a letter is issued through the plan's letter step"))
    elif outcome not in AttemptOutcome.values:
        problems.append(("outcome", f"outcome must be one of {', '.join(AttemptOutcome.values)}"))
    dialled = channel in CALL_CHANNELS or channel == Channel.SMS
    if number_type not in NumberType.values:
        problems.append(("number_type", "number type must be mobile, home, work or international"))
    elif dialled and not number_type:
        problems.append(("number_type", "CON-5: say which type of number was used"))
    elif dialled and party == Party.CUSTOMER and number_type not in number_types(plan):
        have = ", ".join(number_types(plan)) or "none"
        problems.append(
            (
                "number_type",
                f"CON-5: the customer has no {number_type} number on record (they have: {have})",
            )
        )
    if channel == Channel.SMS and number_type and number_type != NumberType.MOBILE:
        problems.append(("number_type", "an SMS goes to a mobile number"))
    if (channel == Channel.SMS) != (outcome == AttemptOutcome.SMS_SENT):
        problems.append(("outcome", "an SMS attempt is recorded as sms-sent, and only an SMS"))
    if channel == Channel.FACE_TO_FACE and outcome != AttemptOutcome.CONTACT_MADE:
        problems.append(("outcome", "a face-to-face contact is recorded as contact-made"))
    if channel == Channel.FACE_TO_FACE and number_type:
        problems.append(("number_type", "a face-to-face contact uses no number"))
    if interaction is not None and interaction.customer_id != plan.customer_id:
        problems.append(("interaction_id", "that interaction is with another customer"))
    return problems


def _contact_conditions(customer: Customer, channel: str, actor: User) -> Problems:
    """CON-6: what makes this contact need an acknowledgement and a reason — a method
    the customer did not prefer (NRS, TTY and phone are all phone; the pre-call SMS
    announces a call, so it is judged as the call it announces), or one their
    restricted service does not allow (DOC-7, `notes.check_contact_allowed`, which
    judges the SMS as an SMS)."""
    if channel not in Channel.values:
        return []
    method = "phone" if channel in CALL_CHANNELS else channel
    preference = "phone" if channel == Channel.SMS else method
    found: Problems = []
    if preference != customer.preferred_contact_method:
        found.append(
            (
                "non-preferred",
                f"CON-6: {Channel(channel).label.lower()} is not the customer's preferred "
                f"contact method ({customer.get_preferred_contact_method_display().lower()})",
            )
        )
    if method in NotesChannel.values:
        try:
            with as_step():
                check_contact_allowed(customer=customer, channel=method, actor=actor)
        except ContactRefused as refused:
            found.append(("restricted-service", f"CON-6: {refused.message}"))
    return found


@audited("contact.attempt.recorded")
def record_attempt(
    *,
    plan: ContactPlan,
    actor: User,
    channel: str,
    number_type: str,
    outcome: str,
    party: str = Party.CUSTOMER,
    interaction: Interaction | None = None,
    non_preferred_reason: str = "",
) -> ContactAttempt:
    """Record one attempt (CON-5): who, when, channel, number type, outcome; never the
    number. A contact the customer did not prefer, or that their restricted service
    does not allow, needs `non_preferred_reason` (CON-6); every unmet condition is
    named in one refusal. Attempts while a decision's auto-unlock runs are allowed."""
    require_contact(actor)
    current = locked_plan(plan)
    customer = current.customer
    access.admit(actor, customer, action="contact.attempt.recorded")
    if current.state in (PlanState.CANCELLED, PlanState.CONTACTED):
        raise PlanClosed(f"this contact plan is {current.get_state_display().lower()}")
    prefetched = plans_queryset().get(pk=current.pk)
    prefetched.customer = customer
    problems = _attempt_problems(
        prefetched,
        channel=channel,
        number_type=number_type,
        outcome=outcome,
        party=party,
        interaction=interaction,
    )
    reason = non_preferred_reason.strip() if isinstance(non_preferred_reason, str) else ""
    conditions = _contact_conditions(customer, channel, actor) if party == Party.CUSTOMER else []
    if conditions and not reason:
        problems += [
            ("non_preferred_reason", f"{text}: record the acknowledgement and the reason")
            for _, text in conditions
        ]
    if len(reason) > REASON_MAX:
        problems.append(("non_preferred_reason", f"at most {REASON_MAX} characters"))
    if problems:
        raise PlanRefused.from_problems("the contact attempt cannot be recorded", problems)
    if conditions:
        check_free_text({"non_preferred_reason": reason}, customer=customer, case=current.case)
    attempt = ContactAttempt.objects.create(
        plan=current,
        interaction=interaction,
        customer=customer,
        officer=actor,
        party=party,
        channel=channel,
        number_type=number_type,
        outcome=outcome,
        non_preferred=bool(conditions),
        non_preferred_reason=reason if conditions else "",
    )
    if interaction is not None:
        Interaction.objects.filter(pk=interaction.pk, plan=None).update(plan=current)
    sms_id = None
    if channel == Channel.SMS:
        # CON-3: the pre-call SMS is really sent (on commit), from policy text.
        with as_step():
            sms_id = queue_sms(
                customer=customer, actor=actor, template_code=PRE_CALL, plan=current
            ).pk
    current, status = restate(current, actor)
    record(
        actor=actor,
        action="contact.attempt.recorded",
        obj=attempt,
        customer_id=customer.pk,
        changes=audit_changes(
            current,
            status,
            channel=channel,
            number_type=number_type,
            outcome=outcome,
            party=party,
            interaction=interaction.pk if interaction else None,
            sms=sms_id,
            non_preferred=[code for code, _ in conditions],
        ),
    )
    return attempt
