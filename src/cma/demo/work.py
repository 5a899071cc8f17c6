"""Demo work: intrays across officers, teams and areas (some overdue, some escalated),
locks (one PS customer, one expiring after decision advice, one already expired)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cma.customers.models import Customer, agency_today
from cma.demo.core import DEMO_PASSWORD
from cma.policy.services import intray_type
from cma.staff.models import Role, Team
from cma.staff.services import create_staff_user
from cma.work import services
from cma.work.models import CustomerLock, Intray
from cma.work.services.sweeps import sweep_escalations

PARRAMATTA = "Mainstream Services Parramatta"

# (customer index, type, owner, days until due (negative = overdue), note)
INTRAYS = [
    (0, "client-call-back", "officer", -3, "Customer asked for a call back about arrears"),
    (2, "general-follow-up", "officer", 2, "Confirm new employer details"),
    (4, "estimate-review-required", "area", None, "Estimate lodged; review required"),
    (6, "general-follow-up", "team", -2, "Follow up payment arrangement"),
    (8, "client-call-back", "team", 0, "Return call about care change"),
    (10, "add-a-child", "area", None, "Application to add a child registered"),
    (12, "trip-exception", "area", None, "Tax refund intercept exception"),
    (14, "general-follow-up", "team", 4, "Check income after tax return"),
    (16, "client-call-back", "officer2", -1, "Customer requested call back"),
    (18, "general-follow-up", "teammate", -4, "Confirm care arrangement with payee"),
    (20, "general-follow-up", "teammate", 3, "Check lodgement"),
    (22, "crg-referral-to-ps", "area", None, "Escalating complexity; CRG referral"),
    (24, "general-follow-up", "mainstream", -5, "Review payment history"),
    (26, "client-call-back", "mainstream", 1, "Call back after 2pm"),
    (28, "letter-response-check", "officer", 6, "Check for response to MX1-1"),
    (30, "general-follow-up", "team", 5, "Follow up on overseas income"),
    (32, "client-call-back", "team", -1, "Payee asked about collection"),
]


def _customer(i: int) -> Customer:
    from cma.demo.core import _crn

    return Customer.objects.get(crn=_crn(i))


def _users() -> dict:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["officer", "officer2", "teamleader", "pscm"])
    }
    teammate = User.objects.filter(username="officer3").first()
    if teammate is None:
        teammate = create_staff_user(
            username="officer3",
            password=DEMO_PASSWORD,
            role=Role.SERVICE_OFFICER,
            team=Team.objects.get(name=PARRAMATTA),
            first_name="Tom",
            last_name="Teammate",
        )
    users["teammate"] = teammate
    return users


def load_work() -> None:
    if Intray.objects.exists() or CustomerLock.objects.exists():
        return
    users = _users()
    officer, leader = users["officer"], users["teamleader"]
    team = Team.objects.get(name=PARRAMATTA)
    today = agency_today()
    for i, type_code, who, due_in, note in INTRAYS:
        owner = {
            "officer": {"owner_user": officer},
            "officer2": {"owner_user": users["officer2"]},
            "teammate": {"owner_user": users["teammate"]},
            "team": {"owner_team": team},
            "mainstream": {"owner_area": "mainstream"},
            "area": {},  # the type's own business area
        }[who]
        actor = leader if type_code == "ps-referral-tl-only" else officer
        item = services.create_intray(
            customer=_customer(i),
            type_code=type_code,
            actor=actor,
            note=note,
            # The letters app opens these when it issues a letter; here the demo does.
            by_system=intray_type(type_code).system_only,
            **owner,
        )
        if due_in is not None and due_in < 0:
            # Demo history: this work was created a while ago and is now late.
            Intray.objects.filter(pk=item.pk).update(
                due_on=today + timedelta(days=due_in),
                created_at=timezone.now() - timedelta(days=10 - due_in),
            )
        elif due_in is not None:
            Intray.objects.filter(pk=item.pk).update(due_on=today + timedelta(days=due_in))
    done = services.create_intray(
        customer=_customer(34), type_code="general-follow-up", actor=officer, note="Check arrears"
    )
    services.complete_intray(intray=done, actor=officer, outcome="Arrears confirmed with payer")
    _locks(users, team)
    sweep_escalations()


def _locks(users: dict, team: Team) -> None:
    officer = users["officer"]
    services.lock_customer(customer=_customer(0), actor=officer, reason="Objection in progress")
    services.lock_customer(
        customer=_customer(6), actor=officer, reason="Agreement being processed", owner_team=team
    )
    services.lock_customer(
        customer=_customer(24),
        actor=officer,
        reason="Intensive collection review",
        owner_area="intensive-collection",
    )
    pscm = users.get("pscm")
    if pscm is not None:
        services.lock_customer(customer=_customer(22), actor=pscm, reason="Personalised Services")
    now = timezone.now()
    for i, days_ago in ((2, 3), (4, 20)):
        customer = _customer(i)
        services.lock_customer(customer=customer, actor=officer, reason="Decision being explained")
        services.record_decision_advice_issued(
            customer=customer, issued_at=now - timedelta(days=days_ago), actor=officer
        )
