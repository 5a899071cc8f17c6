"""Telephony and dialling endpoints: the platform's signed events, the officer's
screen pop, a customer's dial plan (CON-13, CON-14) and their phone numbers.

The events endpoint takes no session or token: the platform proves itself with an
HMAC signature over each request (`TelephonySignature`, in the OpenAPI schema), so an
unsigned or badly signed request is a 401 before its body is even read as an event."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import APIKeyHeader

from cma.customers import access
from cma.errors import PermissionDenied
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import dialling, services, telephony
from .schemas import (
    DialOut,
    DialPlanOut,
    LiveCallOut,
    PhoneNumberIn,
    PhoneRemovedOut,
    TelephonyEventIn,
    TelephonyEventOut,
)

router = Router(tags=["telephony"])


class TelephonySignature(APIKeyHeader):
    """The platform's signature: `X-CMA-Signature: sha256=<hex>` of
    `f"{X-CMA-Timestamp}.{raw body}"` with the shared key."""

    param_name = telephony.SIGNATURE_HEADER
    openapi_description = (
        "HMAC-SHA256 with the shared telephony key over the X-CMA-Timestamp header "
        "(unix seconds), a full stop and the raw request body, sent as "
        "`sha256=<hex digest>`. Timestamps further than the policy's clock skew from "
        "now, and event ids already received, are refused."
    )

    def authenticate(self, request: HttpRequest, key: str | None) -> str:
        telephony.verify(
            body=request.body,
            timestamp=request.headers.get(telephony.TIMESTAMP_HEADER),
            signature_header=key,
        )
        return telephony.PLATFORM


@router.post(
    "/telephony/events", auth=TelephonySignature(), response={200: TelephonyEventOut, **ERRORS}
)
def telephony_event(request: HttpRequest, payload: TelephonyEventIn):
    """A signed event of the telephony platform. `answered` opens an attested
    interaction for the officer when the caller is identified from their number or
    IVR reference; `transferred` ends it and opens one for the new officer; `ended`
    ends it. A replayed `event_id` is refused (403); nothing stores the number."""
    require_internal(request)
    event = services.receive_event(**payload.dict())
    interaction = event.interaction
    return {
        "event_id": event.event_id,
        "kind": event.kind,
        "call_id": event.call_id,
        "identified": event.customer_id is not None,
        "interaction_id": interaction.pk if interaction else None,
        "receipt": interaction.receipt if interaction else None,
    }


@router.get("/contact/live", response={200: LiveCallOut, **ERRORS})
def live_call(request: HttpRequest):
    """The screen pop: the caller's own open call (its id and receipt, nothing about
    the customer), or a call the platform could not match to a customer."""
    require_internal(request)
    if not access.sees_customers(request.user):
        raise PermissionDenied("your role does not take calls")
    live = telephony.live_call(request.user)
    it = live.interaction
    return {
        "interaction": {
            "id": it.pk,
            "receipt": it.receipt,
            "started_at": it.started_at,
            "attested": it.attested,
            "identity": it.identity,
        }
        if it
        else None,
        "call_id": live.call_id or None,
        "since": live.since,
        "message": live.message,
    }


def _dial_out(dial: dialling.Dial) -> dict[str, Any]:
    out = asdict(dial)
    out["contact_detail_id"] = out.pop("detail_id")
    return out


@router.get("/customers/{customer_id}/dial-plan", response={200: DialPlanOut, **ERRORS})
def dial_plan(request: HttpRequest, customer_id: PathId):
    """How to dial the customer from Australia, their local time and whether now is
    within reasonable local hours, and their contact needs (CON-13, CON-14)."""
    require_internal(request)
    plan = dialling.dial_plan_for(request.user, customer_id)
    return {**asdict(plan), "dials": [_dial_out(d) for d in plan.dials]}


@router.post("/customers/{customer_id}/phone-numbers", response={201: DialOut, **ERRORS})
def record_phone_number(request: HttpRequest, customer_id: PathId, payload: PhoneNumberIn):
    """Record a number (replacing the customer's number of that kind). A Norfolk
    Island number sets the remote indicator and writes the Contact Note (CON-13)."""
    require_internal(request)
    customer = access.enter(request.user, customer_id, action="contact.phone.recorded")
    detail = services.record_phone_number(customer=customer, actor=request.user, **payload.dict())
    return Status(201, _dial_out(dialling.dial_for(detail)))


@router.post(
    "/customers/{customer_id}/phone-numbers/{contact_detail_id}/remove",
    response={200: PhoneRemovedOut, **ERRORS},
)
def remove_phone_number(request: HttpRequest, customer_id: PathId, contact_detail_id: PathId):
    """Remove one of the customer's numbers."""
    require_internal(request)
    customer = access.enter(request.user, customer_id, action="contact.phone.removed")
    removed = services.remove_phone_number(
        customer=customer, actor=request.user, detail_id=contact_detail_id
    )
    return {"contact_detail_id": removed, "removed": True}
