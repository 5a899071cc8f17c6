"""Demo finalisation (PS-13..PS-17): one PS customer ready to finalise — Priya's
(pscm) approved plan with every issue confirmed, no open intray, no decision waiting —
and one blocked: the core demo's approved plan, whose readiness lists what is still
unmet. Idempotent: skipped once the ready customer's referral exists."""

from django.contrib.auth import get_user_model

from cma.contact.models import Interaction
from cma.decisions.models import AffectedParty
from cma.demo.personalised import _customers, _steps
from cma.personalised import services
from cma.personalised.models import IssueStatus, PsPlan, Referral
from cma.work import services as work
from cma.work.models import Intray
from cma.work.models.intrays import LIVE_STATUSES

READY_REASON = "Escalated enquiry, now resolved: ready to finalise."


def _quiet_customer(leader):  # type: ignore[no-untyped-def]
    """A payer with no contact, no decision and no PS history: nothing left open."""
    for customer in _customers(leader, 40):
        busy = (
            Interaction.objects.filter(customer=customer).exists()
            or AffectedParty.objects.filter(customer=customer).exists()
            or Referral.objects.filter(primary_customer=customer).exists()
            or Intray.objects.filter(customer=customer, status__in=LIVE_STATUSES).exists()
        )
        if not busy:
            return customer
    return None


def load_ps_final() -> None:
    users = get_user_model().objects
    leader, pscm = (users.filter(username=n).first() for n in ("teamleader", "pscm"))
    if leader is None or pscm is None or Referral.objects.filter(reason=READY_REASON).exists():
        return
    customer = _quiet_customer(leader)
    if customer is None:
        return
    referral = services.create_referral(
        customer=customer,
        actor=leader,
        kind="ps-referral-tl-only",
        source="proactive",
        reason=READY_REASON,
    )
    _steps(referral, pscm, upto=None, segment=1)
    plan = PsPlan.objects.get(customer=customer, state="draft")
    for issue in plan.issues.filter(status=IssueStatus.RECORDED):
        services.change_issue_status(
            issue=issue, actor=pscm, status="confirmed", comment="Discussed and addressed."
        )
    services.approve_plan(plan=plan, actor=pscm)
    open_intrays = Intray.objects.filter(customer=customer, status__in=LIVE_STATUSES)
    for intray in open_intrays.exclude(owner_user=pscm):
        work.assign_intray(intray=intray, actor=pscm, owner_user=pscm, reason="Demo")
    for intray in open_intrays:
        work.complete_intray(intray=intray, actor=pscm, outcome="Customer contacted")
