"""The staff customer page, in the order an officer needs it on a call (issue 23):
safety alerts, the identity bar, the summary strip, cases, the timeline, open work,
decisions awaiting explanation, then everything else the apps contribute.

Each section is a template partial (`web/customer/_<section>.html`) that htmx can
refresh alone through `web:customer-section`. The page has passed the customer's door
and written its one audit row before anything here runs; nothing here writes."""

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Max
from django.http import HttpRequest

from cma.collection import panels as collection_panels
from cma.contact import panels as contact_panels
from cma.contact.models import Interaction
from cma.customers import selectors
from cma.customers.models import Customer, age_on, agency_today
from cma.decisions.selectors import to_explain_on_call
from cma.letters import panels as letters_panels
from cma.notes import panels as notes_panels
from cma.personalised import panels as personalised_panels
from cma.privacy.separating import other_party_summaries
from cma.work import panels as work_panels

from .timeline import LABELS, Cursor, Page, timeline

SECTIONS = ("alerts", "identity", "summary", "cases", "timeline", "work", "decisions", "more")
PANELS = (
    work_panels,
    notes_panels,
    letters_panels,
    contact_panels,
    collection_panels,
    personalised_panels,
)


def timeline_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    """The timeline's filter (`kind`, repeated) and keyset page (`before`) from GET."""
    asked = request.GET.getlist("kind")
    kinds = [k for k in asked if k in LABELS]
    token = request.GET.get("before", "")
    before = Cursor.parse(token) if token else None
    problems = []
    if asked and len(kinds) < len(asked):
        problems.append("Some kinds asked for do not exist: showing the kinds that do.")
    if token and before is None:
        problems.append("That link to older entries is not valid: showing the newest.")
    page: Page = timeline(request.user, customer, kinds=kinds, before=before)
    older = ""
    if page.older is not None:
        query = [("kind", k) for k in kinds] + [("before", page.older.token())]
        older = urlencode(query)
    return {
        "timeline": page,
        "timeline_choices": [(k, LABELS[k], k in kinds) for k in page.kinds],
        "timeline_filtered": bool(kinds),
        "timeline_paged": before is not None,
        "timeline_older": older,
        "timeline_problems": problems,
    }


def _last_contact(customer: Customer, page: Page) -> Any:
    """The newest interaction: known from the timeline's first page, else one query."""
    if "interaction" in page.latest:
        return page.latest["interaction"]
    found = Interaction.objects.filter(customer=customer).aggregate(last=Max("started_at"))
    return found["last"]


def _summary(customer: Customer, context: dict[str, Any]) -> dict[str, Any]:
    """The strip's figures, from what the sections already read."""
    accounts = [c.account for c in context["cases"] if getattr(c, "account", None)]
    paid: list[date] = [a.last_payment_date for a in accounts if a.last_payment_date]
    arrangements = sorted({a.get_payment_arrangement_display() for a in accounts})
    return {
        "has_account": bool(accounts),
        "arrears": sum((a.arrears for a in accounts), Decimal(0)),
        "liability": sum((a.ongoing_liability for a in accounts), Decimal(0)),
        "last_payment": max(paid) if paid else None,
        "arrangement": ", ".join(arrangements),
        "open_work": len(context.get("work_intrays") or []),
        "work_visible": bool(context.get("work_visible")),
        "last_contact": _last_contact(customer, context["timeline"]),
    }


def _owner(context: dict[str, Any]) -> dict[str, str]:
    """Who owns the customer and where a new issue should go (CMA-5, CMA-8, PS-12)."""
    mandate = context.get("ps_mandate")
    holder = context.get("work_lock_holder")
    area = context.get("work_area_after_expiry")
    if mandate is not None:
        return {
            "owner": f"PS case manager: {mandate.label}",
            "new_issue": f"to {mandate.label} (PS mandate)",
        }
    if holder is not None:
        return {"owner": f"Locked to {holder.label}", "new_issue": f"to {holder.label}"}
    if area is not None:
        return {"owner": f"{area.name} (lock expired)", "new_issue": f"to {area.name}"}
    return {"owner": "Nobody holds this customer", "new_issue": ""}


def page_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    """Everything the page shows, in a fixed number of queries whatever the history."""
    context = selectors.customer_overview(customer)
    # The other party of each case, with an at-risk party's location withheld (DOC-6).
    summaries = other_party_summaries(customer, context["cases"])
    for case in context["cases"]:
        case.other_party_summary = summaries.get(case.pk)
    for panel in PANELS:
        context.update(panel.customer_context(request, customer))
    context.update(timeline_context(request, customer))
    context["to_explain"] = to_explain_on_call(customer.pk)
    context["summary"] = _summary(customer, context)
    context["identity"] = {
        "age": age_on(customer.date_of_birth, agency_today()),
        **_owner(context),
    }
    return context


def section_context(request: HttpRequest, customer: Customer, section: str) -> dict[str, Any]:
    """One section's context: the timeline alone reads only the timeline."""
    if section == "timeline":
        return {"customer": customer, **timeline_context(request, customer)}
    return page_context(request, customer)
