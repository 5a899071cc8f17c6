"""Face-to-face meetings with a PS customer (PS-10): requested by the case manager and
approved by the PS Team Leader before booking; a service centre by default; an
alternative location needs the PS Team Leader's approval, an MP's office only through
Customer Review; the attendees; security risks, and then the Service Centre Manager
notified through the PS Team Leader. Booking lists every unmet condition."""

from datetime import datetime

from django.utils import timezone

from cma.audit.services import record
from cma.staff.models import Role, User

from .. import contact_policy
from ..errors import UnknownPsCode
from ..models import FaceToFace, FaceToFaceState, PsPlan
from ._contact import (
    Problems,
    audited,
    case_manager_problems,
    check_text,
    contact_check,
    locked_plan,
    refuse,
    stacking_note,
    team_leader_problems,
    text_problem,
)

TEXT_MAX = 2000
ATTENDEE_ROLES = (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER)


def _attendees(ids: list[int]) -> tuple[list[User], Problems]:
    found = list(User.objects.filter(pk__in=ids, role__in=ATTENDEE_ROLES, is_active=True))
    missing = sorted(set(ids) - {u.pk for u in found})
    if missing:
        return found, [("attendee_ids", "attendees must be PS case managers or PS Team Leaders")]
    return found, []


@audited("personalised.face-to-face.requested")
def request_face_to_face(
    *,
    plan: PsPlan,
    actor: User,
    reason: str,
    location_kind: str = "",
    location: str = "",
    via_customer_review: bool = False,
    attendee_ids: list[int] | None = None,
    second_person_present: bool = False,
    security_risks: bool = False,
    security_risk_notes: str = "",
) -> FaceToFace:
    """Ask the PS Team Leader for a face-to-face meeting (nothing is booked yet)."""
    action = "personalised.face-to-face.requested"
    current = locked_plan(plan, actor, action=action)
    problems = case_manager_problems(actor, current, "request a face-to-face meeting")
    kind = location_kind or contact_policy.default_location()
    place = None
    try:
        place = contact_policy.location(kind)
    except UnknownPsCode as exc:  # an unknown code joins the other unmet conditions
        problems.append(("location_kind", exc.message))
    for name, value, required in (
        ("reason", reason, True),
        ("location", location, bool(place and not place.default)),
        ("security_risk_notes", security_risk_notes, security_risks),
    ):
        problem = text_problem(
            value, name, max_length=TEXT_MAX if name != "location" else 200, required=required
        )
        if problem:
            label = "say where" if name == "location" and problem == "this is required" else problem
            problems.append((name, label))
    if place is not None and place.via_customer_review and not via_customer_review:
        problems.append(
            (
                "via_customer_review",
                f"a meeting at the {place.name.lower()} is organised only through Customer Review",
            )
        )
    attendees, found = _attendees(list(attendee_ids or []))
    problems += found
    if FaceToFace.objects.filter(
        plan=current, state__in=[FaceToFaceState.REQUESTED, FaceToFaceState.APPROVED]
    ).exists():
        problems.append(("plan", "a face-to-face meeting is already requested for this plan"))
    refuse("the face-to-face meeting cannot be requested", problems)
    contact_check(current.customer, "face-to-face", actor)
    check_text(
        {"reason": reason, "location": location, "security_risk_notes": security_risk_notes},
        current.customer,
    )
    meeting = FaceToFace.objects.create(
        plan=current,
        customer=current.customer,
        requested_by=actor,
        reason=reason.strip(),
        location_kind=kind,
        location=location.strip(),
        via_customer_review=via_customer_review,
        second_person_present=second_person_present,
        security_risks=security_risks,
        security_risk_notes=security_risk_notes.strip(),
    )
    meeting.attendees.set(attendees or [actor])
    record(
        actor=actor,
        action=action,
        obj=meeting,
        customer_id=current.customer_id,
        changes={
            "plan": current.pk,
            "location_kind": kind,
            "security_risks": security_risks,
            "attendees": sorted(u.pk for u in (attendees or [actor])),
        },
    )
    return meeting


def _locked_meeting(meeting: FaceToFace, actor: User, action: str) -> FaceToFace:
    current = FaceToFace.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    current.plan = locked_plan(current.plan, actor, action=action)
    return current


@audited("personalised.face-to-face.decided")
def decide_face_to_face(
    *, meeting: FaceToFace, actor: User, approve: bool, comment: str = ""
) -> FaceToFace:
    """The PS Team Leader approves (the location too, when it is not a service centre)
    or declines the request, with a comment when declining."""
    action = "personalised.face-to-face.decided"
    current = _locked_meeting(meeting, actor, action)
    problems = team_leader_problems(actor, "approve a face-to-face meeting")
    if current.state != FaceToFaceState.REQUESTED:
        problems.append(
            ("meeting", f"this meeting is already {current.get_state_display().lower()}")
        )
    problem = text_problem(comment, "comment", max_length=TEXT_MAX, required=not approve)
    if problem:
        problems.append(("comment", "say why it is declined" if not approve else problem))
    refuse("the face-to-face request cannot be decided", problems)
    check_text({"comment": comment}, current.plan.customer)
    now = timezone.now()
    current.state = FaceToFaceState.APPROVED if approve else FaceToFaceState.DECLINED
    current.approved_by, current.approved_at = actor, now
    current.decision_comment = comment.strip()
    if approve and contact_policy.location(current.location_kind).needs_approval:
        current.location_approved_by, current.location_approved_at = actor, now
    current.save()
    verdict = "approved" if approve else "declined"
    stacking_note(
        current.plan.customer,
        actor,
        f"Face-to-face meeting {verdict}",
        f"The PS Team Leader {verdict} the face-to-face meeting."
        + (f"\n{current.decision_comment}" if current.decision_comment else ""),
    )
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=current.plan.customer_id,
        changes={"state": current.state, "location_approved": bool(current.location_approved_at)},
    )
    return current


@audited("personalised.face-to-face.scm-notified")
def notify_service_centre_manager(*, meeting: FaceToFace, actor: User) -> FaceToFace:
    """The PS Team Leader tells the Service Centre Manager of the security risks."""
    action = "personalised.face-to-face.scm-notified"
    current = _locked_meeting(meeting, actor, action)
    problems = team_leader_problems(actor, "notify the Service Centre Manager")
    if not current.security_risks:
        problems.append(("meeting", "no security risks were identified for this meeting"))
    if current.scm_notified:
        problems.append(("meeting", "the Service Centre Manager is already notified"))
    if current.state not in (FaceToFaceState.REQUESTED, FaceToFaceState.APPROVED):
        problems.append(("meeting", f"this meeting is {current.get_state_display().lower()}"))
    refuse("the Service Centre Manager cannot be notified", problems)
    current.scm_notified = True
    current.scm_notified_by, current.scm_notified_at = actor, timezone.now()
    current.save(update_fields=["scm_notified", "scm_notified_by", "scm_notified_at"])
    stacking_note(
        current.plan.customer,
        actor,
        "Service Centre Manager notified",
        "The PS Team Leader notified the Service Centre Manager of the security risks.",
    )
    record(actor=actor, action=action, obj=current, customer_id=current.plan.customer_id)
    return current


def unmet_for_booking(meeting: FaceToFace, at: datetime | None) -> Problems:
    """Every condition of booking that is not met (PS-10)."""
    problems: Problems = []
    if meeting.state != FaceToFaceState.APPROVED or meeting.approved_at is None:
        problems.append(("meeting", "the PS Team Leader has not approved the meeting"))
    place = contact_policy.location(meeting.location_kind)
    if place.needs_approval and meeting.location_approved_at is None:
        problems.append(
            ("location_kind", f"the PS Team Leader has not approved the {place.name.lower()}")
        )
    if place.via_customer_review and not meeting.via_customer_review:
        problems.append(("via_customer_review", "organise the meeting through Customer Review"))
    if meeting.security_risks and not meeting.scm_notified:
        problems.append(
            (
                "scm_notified",
                "the Service Centre Manager has not been notified of the security risks",
            )
        )
    if not meeting.attendees.exists():
        problems.append(("attendee_ids", "say who will meet the customer"))
    if at is None:
        problems.append(("meeting_at", "give the meeting's date and time"))
    elif at <= timezone.now():
        problems.append(("meeting_at", "the meeting must be in the future"))
    return problems


@audited("personalised.face-to-face.booked")
def book_face_to_face(
    *, meeting: FaceToFace, actor: User, meeting_at: datetime | None
) -> FaceToFace:
    """Book the meeting: refused, listing every unmet condition, until it is approved,
    its location approved where needed, and the Service Centre Manager notified when
    there are security risks."""
    action = "personalised.face-to-face.booked"
    current = _locked_meeting(meeting, actor, action)
    problems = case_manager_problems(actor, current.plan, "book the face-to-face meeting")
    problems += unmet_for_booking(current, meeting_at)
    refuse("the face-to-face meeting cannot be booked", problems)
    current.state = FaceToFaceState.BOOKED
    current.meeting_at = meeting_at
    current.booked_by, current.booked_at = actor, timezone.now()
    current.save(update_fields=["state", "meeting_at", "booked_by", "booked_at"])
    stacking_note(
        current.plan.customer,
        actor,
        "Face-to-face meeting booked",
        f"Meeting booked at the {contact_policy.location(current.location_kind).name.lower()}.",
    )
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=current.plan.customer_id,
        changes={"meeting_at": meeting_at.isoformat() if meeting_at else None},
    )
    return current
