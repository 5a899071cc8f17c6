"""The call screen's collection sections (`cma.contact.sections`): Minimum Collection
Activity per case with the account facts that matter, and the payee's collection
information (CMA-1, CMA-2); the call's presenting issues and service referrals (CMA-3,
CMA-4, CMA-8). Shown once the caller's identity is confirmed. Builders read, never
write or audit (the call screen read the call through the door)."""

from typing import Any

from django import forms

from cma.contact.models import Interaction
from cma.contact.sections import CallSection, register_call_section
from cma.staff.models import User
from cma.work.routing import issue_kinds

from .forms import IssueForm, LeadForm, McaForm, PayeeUpdateForm, ReferralForm
from .selectors import CallCollection, call_collection

MCA = "collection-mca"
ISSUES = "collection-issues"
Forms = dict[str, forms.Form]


def case_choices(collection: CallCollection, payee_only: bool = False) -> list[tuple[int, str]]:
    rows = collection.payee_cases if payee_only else collection.cases
    return [(c.case.pk, f"{c.case.case_number} ({c.role})") for c in rows]


def mca_context(
    actor: User, interaction: Interaction, given: Forms | None = None
) -> dict[str, Any]:
    given = given or {}
    collection = call_collection(interaction)
    rows = []
    for item in collection.cases:
        key = f"mca-{item.case.pk}"
        form = given.get(key) or McaForm(
            case_pk=item.case.pk, initial=item.record.outcomes() if item.record else None
        )
        rows.append({"item": item, "form": form})
    payee_cases = case_choices(collection, payee_only=True)
    return {
        "it": interaction,
        "collection": collection,
        "rows": rows,
        "payee_cases": payee_cases,
        "lead_form": given.get("lead") or LeadForm(cases=payee_cases),
        "update_form": given.get("update") or PayeeUpdateForm(cases=payee_cases),
    }


def issues_context(
    actor: User, interaction: Interaction, given: Forms | None = None
) -> dict[str, Any]:
    given = given or {}
    collection = call_collection(interaction)
    kinds = [(k.code, k.name) for k in sorted(issue_kinds(), key=lambda k: (k.position, k.name))]
    return {
        "it": interaction,
        "collection": collection,
        "issue_form": given.get("issue") or IssueForm(kinds=kinds, cases=case_choices(collection)),
        "referral_form": given.get("referral") or ReferralForm(),
    }


def issue_form(interaction: Interaction, data: Any) -> IssueForm:
    collection = call_collection(interaction)
    kinds = [(k.code, k.name) for k in issue_kinds()]
    return IssueForm(data, kinds=kinds, cases=case_choices(collection))


def register() -> None:
    register_call_section(
        CallSection(name=MCA, template="collection/_section_mca.html", build=mca_context, order=40)
    )
    register_call_section(
        CallSection(
            name=ISSUES, template="collection/_section_issues.html", build=issues_context, order=45
        )
    )
