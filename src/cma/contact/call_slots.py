"""What the call screen's working parts show (each a slot, `contact/_slot_<name>.html`,
with the htmx target `#slot-<name>`): the forms, shown again with their errors when a
step is refused, and what each slot reads. Nothing here writes or audits: the call was
read through the door by the page (its one row), or the step's service wrote its row.

CON-9: the call's notes and the numbers on record are shown once the caller's identity
is confirmed (a number on record is one of the identity questions); the forms that
disclose nothing (a note, a message, a transfer, ending) are offered before."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from cma.customers.models import Customer
from cma.staff.models import User
from cma.work.routing import issue_kinds

from . import dialling, policy, sections, selectors_calls, selectors_slots
from .display import clock, dial_rows, next_callable_text
from .forms_calls import CallNoteForm, EndForm, MessageForm, SmsForm, TransferForm, WarningForm
from .forms_plans import AttemptForm, PlanForm
from .models import Interaction, Party, PlanState, Recipient
from .plans import MX0, MX1, StepKind
from .services.ending import warning_text
from .services.transfers import Destination

# The message a call with each party would leave, offered first.
RECIPIENT_FOR = {
    Party.CUSTOMER: Recipient.CUSTOMER_VOICEMAIL,
    Party.REPRESENTATIVE: Recipient.REPRESENTATIVE,
    Party.ALTERNATIVE_CONTACT: Recipient.ALTERNATIVE_CONTACT,
    Party.THIRD_PARTY: Recipient.THIRD_PARTY,
}
Forms = dict[str, forms.Form]
LETTER_STEPS = {StepKind.MX0: MX0, StepKind.MX1: MX1}


def issue_choices() -> list[tuple[str, str]]:
    return [(k.code, k.name) for k in sorted(issue_kinds(), key=lambda k: k.name)]


def new_form(name: str, actor: User, interaction: Interaction, data: Any = None) -> forms.Form:
    """The slot form `name`, empty or bound to `data`."""
    if name == "note":
        return CallNoteForm(data)
    if name == "message":
        initial = {"recipient": RECIPIENT_FOR.get(interaction.party, "")}  # type: ignore[call-overload]
        return MessageForm(data, actor=actor, initial=initial)
    if name == "sms":
        return SmsForm(data, actor=actor)
    if name == "transfer":
        return TransferForm(data, issues=issue_choices())
    if name == "plan":
        return PlanForm(data)
    if name == "attempt":
        return AttemptForm(data, confirmed=interaction.confirmed)
    if name == "warning":
        return WarningForm(data)
    if name == "end":
        return EndForm(data)
    raise KeyError(name)


def _form(name: str, given: Forms, actor: User, interaction: Interaction) -> forms.Form:
    return given.get(name) or new_form(name, actor, interaction)


def notes_slot(actor: User, interaction: Interaction, given: Forms) -> dict[str, Any]:
    shown = interaction.confirmed and actor.has_perm("notes.view_notes", interaction.customer)
    return {
        "note_form": _form("note", given, actor, interaction),
        "call_notes": selectors_calls.notes_of_call(interaction) if shown else None,
    }


def messages_slot(actor: User, interaction: Interaction, given: Forms) -> dict[str, Any]:
    return {
        "message_form": _form("message", given, actor, interaction),
        "sms_form": _form("sms", given, actor, interaction),
    }


def transfer_slot(
    actor: User, interaction: Interaction, given: Forms, advice: Destination | None = None
) -> dict[str, Any]:
    return {"transfer_form": _form("transfer", given, actor, interaction), "advice": advice}


def hold_state(interaction: Interaction, allowed: int) -> dict[str, Any] | None:
    """The 30-second rule (CON-15) for a call on hold: since when, and from when ending
    it as "did not return from hold" is allowed (`allowed`: the seconds, policy)."""
    since = interaction.on_hold_since
    if since is None:
        return None
    ends_from = since + timedelta(seconds=allowed)
    return {
        "since": clock(since),
        "seconds": allowed,
        "ends_from": clock(ends_from),
        "may_end": timezone.now() >= ends_from,
    }


def end_slot(
    actor: User, interaction: Interaction, given: Forms, hold_error: str = ""
) -> dict[str, Any]:
    seconds = policy.call_hold_seconds()
    return {
        "hold_error": hold_error,
        "warning_form": _form("warning", given, actor, interaction),
        "end_form": _form("end", given, actor, interaction),
        "hold": hold_state(interaction, seconds),
        "hold_seconds": seconds,
        "warned_at": clock(interaction.warned_at) if interaction.warned_at else "",
        "warning_script": warning_text("(the behaviour)"),
        "survey_name": policy.survey().name if interaction.survey_opt_in else "",
    }


def plan_slot(
    actor: User, interaction: Interaction, given: Forms, plan_error: str = ""
) -> dict[str, Any]:
    """The call's contact-attempt plan (CON-1..CON-6). Before the caller's identity is
    confirmed only the form recording this call's attempt, on the plan of the call's
    purpose, and the MX0-1 or MX1-1 letter when it is the plan's next required step (an
    unanswered call is never confirmed), without the purpose or the plan's steps: the
    button names no customer and no purpose (CON-9)."""
    context: dict[str, Any] = {"plan_view": None, "plan_error": plan_error}
    confirmed = interaction.confirmed
    if not (confirmed or interaction.plan_id or interaction.purpose):
        return context
    view = selectors_slots.plan_of_call(interaction, selectors_slots.call_plans(interaction))
    context["plan_view"] = view
    plan_open = view is not None and view.plan.closed_at is None
    if "attempt" in given:  # refused: shown again, whatever the plan is now
        context["attempt_form"] = given["attempt"]
    elif plan_open:
        assert view is not None
        initial = {"plan": view.plan.pk, "number_type": interaction.number_type}
        context["attempt_form"] = AttemptForm(initial=initial, confirmed=confirmed)
    if not confirmed:
        if plan_open:
            assert view is not None
            context["plan_letter"] = LETTER_STEPS.get(view.status.next_step.kind, "")
        return context
    if view is not None:
        found = policy.purposes().get(view.plan.purpose)
        step = view.status.next_step
        context |= {
            "plan_purpose": found.name if found else view.plan.purpose,
            "plan_state": PlanState(view.status.state).label,
            "plan_letter": LETTER_STEPS.get(step.kind, "") if plan_open else "",
            "plan_sms": plan_open and any(s.kind == StepKind.SMS for s in view.status.unmet),
        }
    # Another purpose may need its own plan: offered always, open when it is all.
    context["plan_form"] = given.get("plan") or PlanForm(initial={"purpose": interaction.purpose})
    context["plan_form_open"] = not plan_open or "plan" in given
    return context


def dial_plan_context(customer: Customer) -> dict[str, Any]:
    """The numbers on record as dialled from Australia, with their indicators and when
    calling is suggested (CON-13, CON-14). The page has passed the door already."""
    plan = dialling.dial_plan(customer)
    return {
        "dial_plan": plan,
        "dial_rows": dial_rows(plan),
        "dial_callable": next_callable_text(plan),
    }


BUILDERS = {
    "notes": notes_slot,
    "plan": plan_slot,
    "messages": messages_slot,
    "transfer": transfer_slot,
    "end": end_slot,
}


def slot_context(
    name: str, actor: User, interaction: Interaction, given: Forms | None = None, **extra: Any
) -> dict[str, Any]:
    """One slot's context, for the htmx answer that swaps that slot alone."""
    return {
        "it": interaction,
        "working": True,
        "confirmed": interaction.confirmed,
        **BUILDERS[name](actor, interaction, given or {}, **extra),
    }


def slots_context(
    actor: User,
    interaction: Interaction,
    *,
    show_customer: bool,
    given: Forms | None = None,
    advice: Destination | None = None,
) -> dict[str, Any]:
    """Every slot's context, for the whole call screen of a live call."""
    given = given or {}
    context: dict[str, Any] = {}
    context.update(notes_slot(actor, interaction, given))
    context.update(plan_slot(actor, interaction, given))
    context.update(messages_slot(actor, interaction, given))
    context.update(transfer_slot(actor, interaction, given, advice))
    context.update(end_slot(actor, interaction, given))
    # Sections of the apps above contact (decisions, collection, ...): sections.py.
    context["call_sections"] = sections.built_sections(actor, interaction)
    if show_customer:
        context.update(dial_plan_context(interaction.customer))
    return context


def history_context(actor: User, interaction: Interaction) -> dict[str, Any]:
    """An ended call's read-only summary: its notes, and for its officer the call-back
    a disconnected call needs now (CON-11)."""
    mine = interaction.officer_id == actor.pk
    may_read = actor.has_perm("notes.view_notes", interaction.customer)
    return {
        "call_notes": selectors_calls.notes_of_call(interaction) if may_read else None,
        "call_back": selectors_slots.call_back_intray(interaction) if mine else None,
    }
