"""Collection endpoints (CMA-1..CMA-4, CMA-8). Every call operation passes
`contact.selectors.interaction_for` first (the one door, 404 audited otherwise), then the
service checks the call is the officer's own, live and confirmed (CON-9). The figures
are for Team Leaders and the National Manager, and hold no customer data."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cma.contact import selectors as contact_selectors
from cma.contact.models import Interaction
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import figures, selectors, services
from .models import McaRecord, PayeeLead, PayeeUpdate, PresentingIssue
from .schemas import (
    CollectionCallOut,
    CollectionFiguresOut,
    CollectionFiguresQuery,
    CollectionIssueIn,
    CollectionIssueOut,
    CollectionLeadIn,
    CollectionLeadOut,
    CollectionMcaIn,
    CollectionMcaOut,
    CollectionPayeeUpdateIn,
    CollectionPayeeUpdateOut,
    CollectionReferralIn,
)

router = Router(tags=["collection"])


def mca_out(record: McaRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "id": record.pk,
        "interaction_id": record.interaction_id,
        "case_id": record.case_id,
        **record.outcomes(),
        "follow_up_intray_id": record.follow_up_intray_id,
        "recorded_at": record.recorded_at,
        "updated_at": record.updated_at,
    }


def issue_out(issue: PresentingIssue) -> dict[str, Any]:
    return {
        "id": issue.pk,
        "interaction_id": issue.interaction_id,
        "receipt": issue.interaction.receipt,
        "case_id": issue.case_id,
        "kind": issue.kind,
        "kind_name": issue.kind_name,
        "activity": issue.activity,
        "status": issue.status,
        "rule": issue.rule,
        "reason": issue.reason,
        "owner_key": issue.owner_key,
        "owner_label": issue.owner_label,
        "intray_id": issue.intray_id,
        "intray_status": issue.intray.status if issue.intray_id and issue.intray else None,
        "organisation": issue.organisation,
        "consent": issue.consent,
        "note": issue.note,
        "raised_at": issue.raised_at,
    }


def lead_out(lead: PayeeLead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "interaction_id": lead.interaction_id,
        "case_id": lead.case_id,
        "kind": lead.kind,
        "name": lead.name,
        "identifier_masked": lead.masked_identifier,
        "country": lead.country,
        "note": lead.note,
        "area": lead.area.code,
        "intray_id": lead.intray_id,
        "intray_status": lead.intray.status,
        "recorded_at": lead.recorded_at,
    }


def update_out(update: PayeeUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "interaction_id": update.interaction_id,
        "case_id": update.case_id,
        "outcome": update.outcome,
        "at": update.at,
    }


def _account(case: Any) -> dict[str, Any] | None:
    account = getattr(case, "account", None)
    if account is None:
        return None
    return {
        "ongoing_liability": str(account.ongoing_liability),
        "arrears": str(account.arrears),
        "last_payment_date": account.last_payment_date,
        "payment_arrangement": account.payment_arrangement,
        "dpo_recorded": account.dpo_recorded,
        "compliance_flags": [str(f) for f in account.compliance_flags or []],
    }


def _call(request: HttpRequest, interaction_id: int, action: str) -> Interaction:
    require_internal(request)
    return contact_selectors.interaction_for(request.user, interaction_id, action=action)


@router.get(
    "/interactions/{interaction_id}/collection", response={200: CollectionCallOut, **ERRORS}
)
def call_collection(request: HttpRequest, interaction_id: PathId):
    """The call's Minimum Collection Activity per case with the account facts, its
    issues, payee leads and what the payee was told (CMA-1..CMA-4); after the caller's
    identity is confirmed (CON-9)."""
    require_internal(request)
    found = selectors.collection_of_call(request.user, interaction_id)
    for issue in found.issues:
        issue.interaction = found.interaction
    return {
        "interaction_id": found.interaction.pk,
        "mca_applies": found.applies,
        "mca_complete": found.complete,
        "missing_case_ids": [c.case.pk for c in found.missing] if found.applies else [],
        "cases": [
            {
                "case_id": c.case.pk,
                "case_number": c.case.case_number,
                "role": c.role,
                "account": _account(c.case),
                "mca": mca_out(c.record),
            }
            for c in found.cases
        ],
        "issues": [issue_out(i) for i in found.issues],
        "leads": [lead_out(lead) for lead in found.leads],
        "payee_updates": [update_out(u) for u in found.updates.values()],
    }


@router.post("/interactions/{interaction_id}/mca", response={201: CollectionMcaOut, **ERRORS})
def record_mca(request: HttpRequest, interaction_id: PathId, payload: CollectionMcaIn):
    """Minimum Collection Activity for one of the customer's cases: an outcome each for
    ongoing payment, arrears, care and income; "follow-up-intray-created" opens the
    intray in the same transaction (CMA-1)."""
    interaction = _call(request, interaction_id, "collection.mca.recorded")
    data = payload.dict()
    case_id = data.pop("case_id")
    record = services.record_mca(
        interaction=interaction, actor=request.user, case_id=case_id, outcomes=data
    )
    return Status(201, mca_out(record))


@router.post("/interactions/{interaction_id}/issues", response={201: CollectionIssueOut, **ERRORS})
def raise_issue(request: HttpRequest, interaction_id: PathId, payload: CollectionIssueIn):
    """A presenting issue: a common one is resolved on the call (CMA-3), a specialised
    one routed where the referral guidelines advise, with an intray (CMA-4, CMA-8)."""
    interaction = _call(request, interaction_id, "collection.issue.raised")
    issue = services.raise_issue(interaction=interaction, actor=request.user, **payload.dict())
    issue.interaction = interaction
    return Status(201, issue_out(issue))


@router.post(
    "/interactions/{interaction_id}/service-referrals",
    response={201: CollectionIssueOut, **ERRORS},
)
def refer(request: HttpRequest, interaction_id: PathId, payload: CollectionReferralIn):
    """A non-child-support issue referred to a catalogue organisation, with the
    customer's consent (CMA-4)."""
    interaction = _call(request, interaction_id, "collection.issue.referred")
    issue = services.refer_externally(interaction=interaction, actor=request.user, **payload.dict())
    issue.interaction = interaction
    return Status(201, issue_out(issue))


@router.post(
    "/interactions/{interaction_id}/payee-leads", response={201: CollectionLeadOut, **ERRORS}
)
def record_lead(request: HttpRequest, interaction_id: PathId, payload: CollectionLeadIn):
    """A payee's collection lead in structured fields, routed to the area that acts on
    it with an intray (CMA-2); the identifier is answered masked."""
    interaction = _call(request, interaction_id, "collection.lead.recorded")
    lead = services.record_lead(interaction=interaction, actor=request.user, **payload.dict())
    return Status(201, lead_out(lead))


@router.post(
    "/interactions/{interaction_id}/payee-updates",
    response={201: CollectionPayeeUpdateOut, **ERRORS},
)
def record_payee_update(
    request: HttpRequest, interaction_id: PathId, payload: CollectionPayeeUpdateIn
):
    """What the payee was told: what was done with their information, or that nothing
    is new, explained, and that new information will be followed up (CMA-2)."""
    interaction = _call(request, interaction_id, "collection.payee.updated")
    update = services.record_payee_update(
        interaction=interaction, actor=request.user, **payload.dict()
    )
    return Status(201, update_out(update))


@router.get("/customers/{customer_id}/issues", response={200: list[CollectionIssueOut], **ERRORS})
def customer_issues(request: HttpRequest, customer_id: PathId):
    """Every issue the customer raised, newest first, with its status (CMA-4)."""
    require_internal(request)
    return [issue_out(i) for i in selectors.customer_issues(request.user, customer_id)]


@router.get("/collection/figures", response={200: CollectionFiguresOut, **ERRORS})
def collection_figures(request: HttpRequest, query: Query[CollectionFiguresQuery]):
    """MCA completion by officer, team and business area; issues resolved at first
    contact against routed; payee leads and their outcomes (Team Leaders: their team;
    the National Manager: everyone)."""
    found = figures.figures_for(request.user, start=query.start, end=query.end)

    def rows(by: str) -> list[dict[str, Any]]:
        return [{**vars(r), "rate": r.rate} for r in found.mca[by]]

    return {
        "start": found.start,
        "end": found.end,
        "scope": found.scope,
        "mca_by_officer": rows("officer"),
        "mca_by_team": rows("team"),
        "mca_by_area": rows("area"),
        "issues": found.issues,
        "first_contact_rate": found.first_contact_rate,
        "leads": found.leads,
        "payee_updates": found.payee_updates,
    }
