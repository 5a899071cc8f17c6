"""A PS customer ready to finalise (PS-13): an approved plan with every issue
confirmed, the referral intray completed, the customer locked to the case manager and
the PS stacking document."""

from django.utils import timezone

from cma.personalised import services
from cma.personalised.models import PlanState
from cma.staff.models import Role
from cma.work import services as work
from tests.factories import UserFactory
from tests.personalised.ps_helpers import ps_plan


def ready_plan(pscm, customer=None, *, source="step-3-complaint"):
    plan = ps_plan(pscm, customer, segment=2)
    if plan.referral is not None and plan.referral.intray is not None:
        work.complete_intray(intray=plan.referral.intray, actor=pscm, outcome="Contacted")
    work.lock_customer(customer=plan.customer, actor=pscm, reason="PS case management")
    for issue in plan.issues.all():
        services.change_issue_status(issue=issue, actor=pscm, status="confirmed")
    plan.refresh_from_db()
    plan.referral_source = source
    plan.state, plan.approved_by, plan.approved_at = PlanState.APPROVED, pscm, timezone.now()
    plan.save()
    return plan


def second_team_leader(pstl):
    return UserFactory(username="pstl_two", role=Role.PS_TEAM_LEADER, team=pstl.team)


def request(plan, actor, **overrides):
    values = {
        "basis": "issues-addressed",
        "mandatory_issues": "All five mandatory issues discussed and addressed.",
        "exit_advice": "by-phone",
        "feedback": "Feedback given to the Assessment team.",
    }
    values.update(overrides)
    return services.request_finalisation(plan=plan, actor=actor, **values)
