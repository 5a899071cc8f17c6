"""The call screen's "Explain a decision" section (`cma.contact.sections`): on the
officer's own live call whose caller's identity is confirmed (CON-9), each open
decision affecting this customer that was not yet explained to them, with what to
explain (the explanation screen's content, CON-17: nothing of the other party) and the
form recording it against this interaction (CMA-6). Reads only; no audit row (the call
screen's read is the operation's row)."""

from dataclasses import dataclass
from typing import Any

from cma.contact.models import Interaction
from cma.contact.sections import CallSection
from cma.staff.models import User

from .forms import ExplanationForm
from .selectors import Explanation, to_explain_on_call

NAME = "decisions"
TEMPLATE = "decisions/_call_section.html"


@dataclass
class CallItem:
    shown: Explanation
    form: ExplanationForm


def form_for(decision_id: int, data: Any = None) -> ExplanationForm:
    """Each decision's form on the call screen has its own ids."""
    return ExplanationForm(data, auto_id=f"id_decision{decision_id}_%s")


def section_data(
    actor: User,
    interaction: Interaction,
    *,
    given: dict[int, ExplanationForm] | None = None,
    notice: str = "",
    problems: list[str] | None = None,
) -> dict[str, Any] | None:
    """The section's context: None when there is nothing to show on this call."""
    if interaction.officer_id != actor.pk or not interaction.is_open:
        return None
    items, problems, given = [], list(problems or []), given or {}
    if interaction.confirmed:
        for shown in to_explain_on_call(interaction.customer_id):
            pk = shown.decision.pk
            items.append(CallItem(shown, given.get(pk) or form_for(pk)))
    shown_ids = {item.shown.decision.pk for item in items}
    for pk, form in given.items():
        if pk not in shown_ids:  # refused for a decision the section no longer lists
            problems += [str(e) for errors in form.errors.values() for e in errors]
    if not (items or notice or problems):
        return None
    return {"items": items, "notice": notice, "problems": problems}


def build(actor: User, interaction: Interaction) -> dict[str, Any] | None:
    return section_data(actor, interaction)


SECTION = CallSection(name=NAME, template=TEMPLATE, build=build, order=40)
