"""The audit trail for auditors and administrators (AUD-1): a search, newest first, a
page at a time (`before` = the `next_before` of the page before). Customer numbers
only, never a customer's details."""

from django.http import HttpRequest
from ninja import Query, Router

from cma.schemas import ERRORS

from . import trail
from .schemas import TrailPageOut, TrailQuery

router = Router(tags=["audit"])


@router.get("/audit/records", response={200: TrailPageOut, **ERRORS})
def audit_records(request: HttpRequest, query: Query[TrailQuery]):
    """Search the audit trail by customer (reference or number), staff username, action
    code (or its start) and period; each record with its chain position and whether it
    verifies. One audit row records the search."""
    wanted = trail.TrailFilter(
        customer=query.customer.strip(),
        actor=query.actor.strip(),
        action=query.action.strip(),
        start=query.start,
        end=query.end,
    )
    page = trail.search_trail(request.user, wanted, before=query.before)
    return {
        "records": [vars(r) for r in page.rows],
        "next_before": page.next_before,
        "customer_id": page.customer_id,
    }
