"""Team Leaders acknowledge escalations of overdue work (WRK-5)."""

from django.utils import timezone

from cma.audit.services import record
from cma.customers import access
from cma.errors import Conflict, PermissionDenied
from cma.staff.models import User

from ..models import Escalation
from ._common import audited_refusals


def _leads(actor: User, escalation: Escalation) -> bool:
    if actor.role == "national_manager_qcc":
        return True
    if actor.role not in ("team_leader", "ps_team_leader") or not actor.team_id:
        return False
    if escalation.team_id is not None:
        return escalation.team_id == actor.team_id or escalation.leader_id == actor.pk
    return escalation.area_id == actor.business_area_id  # business-area work


@audited_refusals("work.escalation.acknowledged")
def acknowledge_escalation(*, escalation: Escalation, actor: User) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    access.admit(actor, escalation.intray.customer, action="work.escalation.acknowledged")
    if not _leads(actor, escalation):
        raise PermissionDenied("only the Team Leader it was escalated to may acknowledge it")
    if escalation.acknowledged_at is not None:
        raise Conflict("this escalation was already acknowledged", code="already-acknowledged")
    escalation.acknowledged_at = timezone.now()
    escalation.acknowledged_by = actor
    escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(
        actor=actor,
        action="work.escalation.acknowledged",
        obj=escalation,
        customer_id=escalation.intray.customer_id,
        changes={"intray": escalation.intray_id},
    )
    return escalation
