"""Preconditions of finalising and notifying a decision, contributed by the app that
owns each rule and called explicitly by `finalise` and `notify` (no signals).

A check is `fn(decision) -> list[(field, message)]`: an empty list when the rule
holds, otherwise every problem it finds, so one refusal can list all of them. It must
not write anything and must not name personal information in its messages (they are
shown to the officer, and their codes only are audited).

Register in your AppConfig.ready(), e.g. the Personalised Services app will add
"a PS customer's case manager was consulted first":

    from cma.decisions.checks import register_finalisation_check
    register_finalisation_check(case_manager_consulted)

The built-in CMA-6 rule (every affected customer explained, or a completed
contact-attempt plan for the decision) is itself registered here, so it runs the same
way as the others.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from cma.contact.plan_selectors import has_completed_plan
from cma.customers.models import CustomerRole

if TYPE_CHECKING:
    from .models import Decision

Problem = tuple[str | None, str]
Check = Callable[["Decision"], list[Problem]]

FINALISATION_CHECKS: list[Check] = []
NOTIFICATION_CHECKS: list[Check] = []


def register_finalisation_check(fn: Check) -> Check:
    if fn not in FINALISATION_CHECKS:
        FINALISATION_CHECKS.append(fn)
    return fn


def register_notification_check(fn: Check) -> Check:
    if fn not in NOTIFICATION_CHECKS:
        NOTIFICATION_CHECKS.append(fn)
    return fn


def unregister(fn: Check) -> None:
    """For tests that register a check of their own."""
    for registry in (FINALISATION_CHECKS, NOTIFICATION_CHECKS):
        if fn in registry:
            registry.remove(fn)


def run(registry: list[Check], decision: "Decision") -> list[Problem]:
    problems: list[Problem] = []
    for check in registry:
        problems += check(decision)
    return problems


def party_label(decision: "Decision", customer_id: int) -> str:
    """The party by role in the case, never by name (the message may be audited)."""
    role = CustomerRole.PAYER if customer_id == decision.case.payer_id else CustomerRole.PAYEE
    return f"the {role.label.lower()} (customer {customer_id})"


def every_party_explained(decision: "Decision") -> list[Problem]:
    """CMA-6: explained in a recorded interaction, or the required contact attempts
    made and recorded without reaching them (a completed plan for this decision)."""
    problems: list[Problem] = []
    for party in decision.parties.select_related("customer"):
        if party.explained or has_completed_plan(party.customer, subject=decision.subject):
            continue
        problems.append(
            (
                f"parties.{party.customer_id}",
                f"CMA-6: {party_label(decision, party.customer_id)} has not had the decision "
                "explained in a recorded interaction and has no completed contact-attempt "
                f"plan for {decision.subject}",
            )
        )
    return problems


def register_builtin() -> None:
    register_finalisation_check(every_party_explained)
