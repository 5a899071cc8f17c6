"""Work-management endpoints: locks, intrays, next work, queues, routing advice."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from cma.customers.models import Case, agency_today
from cma.errors import NotFound, PermissionDenied, ValidationFailed
from cma.schemas import ERRORS, PathId

from . import queue as team_list
from . import routing, selectors, services
from .models import Escalation, Intray
from .ownership import holder_of
from .permissions import holds
from .schemas import (
    AdviceOut,
    AssignIn,
    CompleteIn,
    CustomerWorkOut,
    DecisionAdviceIn,
    DeleteIn,
    FollowUpIn,
    IntrayDetailOut,
    IntrayIn,
    IntrayOut,
    IntrayTypeOut,
    IssueKindOut,
    LockIn,
    LockOut,
    MyWorkOut,
    NextWorkOut,
    ReassignIn,
    ReassignOut,
    RoutingIn,
    TeamQueueOut,
    TeamQueueQuery,
    TransferIn,
    UnlockIn,
)

router = Router(tags=["work"])


def _owner(payload) -> dict:
    return {
        "owner_user": payload.owner_user_id,
        "owner_team": payload.owner_team_id,
        "owner_area": payload.owner_area,
    }


def lock_out(lock, actor) -> dict:
    holder = holder_of(lock)
    return {
        "id": lock.pk,
        "customer_id": lock.customer_id,
        "owner_key": lock.owner_key,
        "owner_kind": lock.owner_kind,
        "owner_label": holder.name,
        "owner_team_name": holder.team,
        "holder": holder.label,
        "held_by_caller": holds(actor, lock),
        "business_area": lock.business_area.code if lock.business_area_id else None,
        "reason": lock.reason,
        "locked_at": lock.locked_at,
        "locked_by_id": lock.locked_by_id,
        "decision_advice_issued_at": lock.decision_advice_issued_at,
        "expires_at": lock.expires_at,
        "released_at": lock.released_at,
        "release_kind": lock.release_kind,
    }


def intray_out(item: Intray, today=None) -> dict:
    """Reads and write answers alike: texts masked for the other party of an at-risk
    customer, and `separating_safely` when the intray's customer is at risk (DOC-6)."""
    if not hasattr(item, "withheld"):
        selectors.with_privacy([item])
    return {
        **{f: getattr(item, f) for f in ("id", "customer_id", "case_id", "priority", "status")},
        **{f: getattr(item, f"shown_{f}") for f in ("note", "outcome", "deleted_reason")},
        "due_on": item.due_on,
        "separating_safely": item.at_risk,
        "restricted": getattr(item, "restricted", False),
        **{f: getattr(item, f) for f in ("parent_id", "created_at", "started_at", "closed_at")},
        "type_code": item.type.code,
        "type_name": item.type.name,
        "owner_key": item.owner_key,
        "owner_kind": item.owner_kind,
        "owner_label": str(item.owner),
        "overdue": item.is_overdue(today or agency_today()),
    }


def _intray(request: HttpRequest, intray_id: int) -> Intray:
    return selectors.intray_for(request.user, intray_id, audit=False)


@router.get("/customers/{customer_id}/work", response={200: CustomerWorkOut, **ERRORS})
def customer_work(request: HttpRequest, customer_id: PathId):
    """The customer's active lock (holder, reason, expiry) and open intrays (CMA-5)."""
    work = selectors.customer_work(request.user, customer_id)
    area = work["area_after_expiry"]
    return {
        "customer_id": customer_id,
        "lock": lock_out(work["lock"], request.user) if work["lock"] else None,
        "area_after_expiry": area.code if area else None,
        "intrays": [intray_out(i) for i in work["intrays"]],
    }


@router.post("/customers/{customer_id}/lock", response={201: LockOut, **ERRORS})
def lock_customer(request: HttpRequest, customer_id: PathId, payload: LockIn):
    customer = selectors.customer_for_work(request.user, customer_id, "work.customer.locked")
    lock = services.lock_customer(
        customer=customer, actor=request.user, reason=payload.reason, **_owner(payload)
    )
    return Status(201, lock_out(lock, request.user))


@router.post("/customers/{customer_id}/unlock", response={200: LockOut, **ERRORS})
def unlock_customer(request: HttpRequest, customer_id: PathId, payload: UnlockIn):
    customer = selectors.customer_for_work(request.user, customer_id, "work.customer.unlocked")
    lock = services.unlock_customer(customer=customer, actor=request.user, reason=payload.reason)
    return lock_out(lock, request.user)


@router.post("/customers/{customer_id}/lock/transfer", response={200: LockOut, **ERRORS})
def transfer_lock(request: HttpRequest, customer_id: PathId, payload: TransferIn):
    customer = selectors.customer_for_work(
        request.user, customer_id, "work.customer.lock_transferred"
    )
    lock = services.transfer_lock(
        customer=customer, actor=request.user, reason=payload.reason, **_owner(payload)
    )
    return lock_out(lock, request.user)


@router.post(
    "/customers/{customer_id}/decision-advice", response={200: LockOut, 204: None, **ERRORS}
)
def decision_advice_issued(request: HttpRequest, customer_id: PathId, payload: DecisionAdviceIn):
    """CMA-7: written advice of a decision was issued; the lock expires 14 days later.
    204 when the customer is not locked."""
    action = "work.customer.decision_advice_issued"
    customer = selectors.customer_for_work(request.user, customer_id, action)
    lock = services.record_decision_advice_issued(
        customer=customer, issued_at=payload.issued_at, actor=request.user
    )
    return lock_out(lock, request.user) if lock else Status(204, None)


@router.post("/customers/{customer_id}/routing", response={200: list[AdviceOut], **ERRORS})
def route_customer(request: HttpRequest, customer_id: PathId, payload: RoutingIn):
    """Referral guidelines (CMA-8): where each presenting issue should go, and why."""
    customer = selectors.customer_for_work(request.user, customer_id, "work.routing.advised")
    advice = routing.recommend(customer=customer, issues=payload.issues, actor=request.user)
    return [
        {
            **{k: getattr(a, k) for k in ("issue", "issue_name", "resolve_at_point_of_entry")},
            **{k: getattr(a, k) for k in ("owner_key", "owner_label", "rule", "reason")},
            "area": a.area.code if a.area else None,
            "area_name": a.area.name if a.area else None,
            "follow_up_area": a.follow_up_area.code if a.follow_up_area else None,
        }
        for a in advice
    ]


@router.get("/referral-guidelines/issue-kinds", response={200: list[IssueKindOut], **ERRORS})
def issue_kinds(request: HttpRequest):
    if not request.user.has_perm("work.view_work"):
        raise PermissionDenied("your role does not work with customers")
    return [
        {"code": k.code, "name": k.name, "activity": k.activity, "area": k.area.code}
        for k in routing.issue_kinds()
    ]


@router.get("/intray-types", response={200: list[IntrayTypeOut], **ERRORS})
def intray_types(request: HttpRequest):
    """The intray types the caller may create (WRK-6), most urgent first, with the
    fields each needs."""
    if not request.user.has_perm("work.view_work"):
        raise PermissionDenied("your role does not work with customers")
    return [
        {
            **{f: getattr(t, f) for f in ("code", "name", "priority", "required_fields")},
            "service_level_working_days": t.service_level_working_days,
            "routes_to_area": t.routes_to_area.code if t.routes_to_area_id else None,
        }
        for t in selectors.creatable_intray_types(request.user)
    ]


@router.post("/intrays", response={201: IntrayOut, **ERRORS})
def create_intray(request: HttpRequest, payload: IntrayIn):
    customer = selectors.customer_for_work(request.user, payload.customer_id, "work.intray.created")
    case = None
    if payload.case_id is not None:
        case = Case.objects.filter(pk=payload.case_id).first()
        if case is None:
            raise ValidationFailed("no such case", field="case_id")
    item = services.create_intray(
        customer=customer,
        type_code=payload.type_code,
        actor=request.user,
        case=case,
        due_on=payload.due_on,
        note=payload.note,
        **_owner(payload),
    )
    return Status(201, intray_out(item))


def _named(item: Intray) -> dict:
    return {"customer_name": item.customer_name, "customer_crn": item.customer_crn}


@router.get("/intrays/{intray_id}", response={200: IntrayDetailOut, **ERRORS})
def read_intray(request: HttpRequest, intray_id: PathId):
    item = selectors.intray_for(request.user, intray_id)
    selectors.with_customer_names(request.user, [item])
    return {**intray_out(item), **_named(item), "history": selectors.intray_history(item)}


@router.post("/intrays/{intray_id}/start", response={200: IntrayOut, **ERRORS})
def start_intray(request: HttpRequest, intray_id: PathId):
    item = services.start_intray(intray=_intray(request, intray_id), actor=request.user)
    return intray_out(item)


@router.post("/intrays/{intray_id}/complete", response={200: IntrayOut, **ERRORS})
def complete_intray(request: HttpRequest, intray_id: PathId, payload: CompleteIn):
    item = services.complete_intray(
        intray=_intray(request, intray_id), actor=request.user, outcome=payload.outcome
    )
    return intray_out(item)


@router.post("/intrays/{intray_id}/delete", response={200: IntrayOut, **ERRORS})
def delete_intray(request: HttpRequest, intray_id: PathId, payload: DeleteIn):
    """Deleting keeps the intray, with status deleted and the mandatory reason."""
    item = services.delete_intray(
        intray=_intray(request, intray_id), actor=request.user, reason=payload.reason
    )
    return intray_out(item)


@router.post("/intrays/{intray_id}/assign", response={200: IntrayOut, **ERRORS})
def assign_intray(request: HttpRequest, intray_id: PathId, payload: AssignIn):
    item = services.assign_intray(
        intray=_intray(request, intray_id),
        actor=request.user,
        due_on=payload.due_on,
        reason=payload.reason,
        **_owner(payload),
    )
    return intray_out(item)


@router.post("/intrays/{intray_id}/follow-ups", response={201: IntrayOut, **ERRORS})
def follow_up(request: HttpRequest, intray_id: PathId, payload: FollowUpIn):
    item = services.create_follow_up(
        parent=_intray(request, intray_id),
        type_code=payload.type_code,
        actor=request.user,
        due_on=payload.due_on,
        note=payload.note,
        **_owner(payload),
    )
    return Status(201, intray_out(item))


@router.post("/work/next", response={200: NextWorkOut, 204: None, **ERRORS})
def take_next_work(request: HttpRequest):
    """WRK-4: assign the caller the next intray from their queues, with the customer's
    name (masked by the one door) and `already_yours` when it was theirs before; 204
    when their queues are empty."""
    item = services.next_work(officer=request.user)
    if item is None:
        return Status(204, None)
    item = selectors.next_work_result(request.user, item)
    return {**intray_out(item), **_named(item), "already_yours": item.already_yours}


@router.get("/work/mine", response={200: MyWorkOut, **ERRORS})
def my_work(request: HttpRequest):
    work = selectors.my_work(request.user)
    today = work["today"]
    return {
        "items": [intray_out(i, today) for i in work["mine"]],
        "team_open": work["counts"]["team"],
        "area_open": work["counts"]["area"],
    }


@router.get("/work/team-queue", response={200: TeamQueueOut, **ERRORS})
def team_queue(request: HttpRequest, filters: Query[TeamQueueQuery]):
    """Team Leaders: live work of the team, its members and its area, sorted (`sort`,
    a leading - for descending) and filtered; each row's `version` for re-assigning;
    escalations; each officer's live and overdue counts."""
    params = filters.dict(exclude_none=True)
    params["overdue"] = "1" if filters.overdue else ""
    queue = selectors.team_queue(request.user, query=team_list.parse_query(params))
    today = queue["today"]
    return {
        "team_id": queue["team"].pk,
        "sort": queue["query"].sort,
        "officers": [
            {
                "officer_id": c["officer"].pk,
                "name": str(c["officer"]),
                "open": c["open"],
                "overdue": c["overdue"],
            }
            for c in queue["counts"]
        ],
        "items": [{**intray_out(i, today), "version": i.version} for i in queue["items"]],
        "escalations": [
            {
                **{f: getattr(e, f) for f in ("id", "intray_id", "due_on", "team_id")},
                **{f: getattr(e, f) for f in ("leader_id", "created_at")},
                "customer_id": e.intray.customer_id,
                "type_name": e.intray.type.name,
                "separating_safely": e.at_risk,
                "area": e.area.code if e.area_id else None,
            }
            for e in queue["escalations"]
        ],
    }


@router.post("/work/team-queue/reassign", response={200: ReassignOut, **ERRORS})
def reassign_from_team_queue(request: HttpRequest, payload: ReassignIn):
    """Team Leaders: re-assign several intrays to one owner, all or none. Any intray
    changed since its `version` was read (or gone) is refused by name in `details`
    and nothing is re-assigned; one audit row per intray re-assigned."""
    done = services.reassign_intrays(
        actor=request.user,
        items=[(i.intray_id, i.version) for i in payload.items],
        reason=payload.reason,
        **_owner(payload),
    )
    today = agency_today()
    return {"reassigned": [intray_out(i, today) for i in done]}


@router.post("/work/escalations/{escalation_id}/acknowledge", response={204: None, **ERRORS})
def acknowledge_escalation(request: HttpRequest, escalation_id: PathId):
    if not request.user.has_perm("work.view_team_queue"):
        raise PermissionDenied("only Team Leaders acknowledge escalations")
    escalation = Escalation.objects.select_related("intray").filter(pk=escalation_id).first()
    if escalation is None:
        raise NotFound("no such escalation", field="escalation_id")
    services.acknowledge_escalation(escalation=escalation, actor=request.user)
    return Status(204, None)
