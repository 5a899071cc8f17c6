"""Recording that a decision was explained to an affected customer, in a recorded
interaction whose identity check passed (CMA-6, CON-9), with the review options the
customer chose if they disagree (CON-17)."""

from django.utils import timezone

from cma.audit.services import record
from cma.contact.models import Interaction
from cma.customers import access
from cma.customers.models import Customer
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from .. import policy
from ..checks import Problem
from ..errors import DecisionRefused
from ..models import CLOSED, AffectedParty, Decision
from ._common import audited, locked

ACTION = "decisions.decision.explained"


def _interaction_problems(
    interaction: Interaction, customer: Customer, actor: User
) -> list[Problem]:
    problems: list[Problem] = []
    if interaction.customer_id != customer.pk:
        problems.append(("interaction_id", "the interaction is with another customer"))
    if not actor.has_perm("contact.act_on_interaction", interaction):
        problems.append(("interaction_id", "only the officer on the interaction may record it"))
    if not interaction.is_open:
        problems.append(("interaction_id", f"interaction {interaction.receipt} has ended"))
    if not interaction.confirmed:
        problems.append(
            ("identity", "CON-9: confirm the customer's identity before explaining a decision")
        )
    return problems


def _review_problems(disagreed: bool, review_option: str) -> list[Problem]:
    options = policy.review_options()
    if disagreed and not review_option:
        return [
            (
                "review_option",
                "CON-17: the customer disagrees; offer the review options and record the "
                f"one they chose ({', '.join(options)})",
            )
        ]
    if review_option and not disagreed:
        return [("review_option", "a review option is recorded only when the customer disagrees")]
    if review_option and review_option not in options:
        return [("review_option", f"unknown review option {review_option!r}")]
    return []


@audited(ACTION)
def record_explanation(
    *,
    decision: Decision,
    interaction: Interaction,
    customer: Customer,
    actor: User,
    disagreed: bool = False,
    review_option: str = "",
    answer: str = "",
) -> AffectedParty:
    """The decision was explained to `customer` on `interaction` by its officer."""
    current = locked(decision, actor, action=ACTION, maker=False, only=customer.pk)
    access.admit(actor, customer, action=ACTION)
    call = Interaction.objects.select_for_update(of=("self",)).get(pk=interaction.pk)
    party = (
        AffectedParty.objects.select_for_update(of=("self",))
        .filter(decision=current, customer=customer)
        .first()
    )
    problems: list[Problem] = []
    if current.state in CLOSED:
        problems.append(("state", f"the decision is already {current.state}"))
    if party is None:
        problems.append(("customer_id", "this customer is not affected by the decision"))
    elif party.explained:
        problems.append(("customer_id", "the decision was already explained to this customer"))
    problems += _interaction_problems(call, customer, actor)
    problems += _review_problems(disagreed, review_option)
    if problems or party is None:
        raise DecisionRefused.from_problems("the explanation cannot be recorded", problems)
    # DOC-3: what the customer answered, never their numbers or another's details.
    check_free_text({"answer": answer}, customer=customer, case=current.case)
    party.explained_at = timezone.now()
    party.interaction = call
    party.explained_by = actor
    party.disagreed = disagreed
    party.review_option = review_option
    party.answer = answer
    party.save(
        update_fields=[
            "explained_at",
            "interaction",
            "explained_by",
            "disagreed",
            "review_option",
            "answer",
        ]
    )
    record(
        actor=actor,
        action=ACTION,
        obj=current,
        customer_id=customer.pk,
        changes={
            "interaction": call.pk,
            "disagreed": disagreed,
            "review_option": review_option,
        },
    )
    return party
