"""PS-10 face-to-face meetings and PS-11 options, through the services."""

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.personalised.errors import PsRefused
from cma.personalised.models import FaceToFace
from cma.personalised.services import face_to_face, options
from tests.personalised.ps_helpers import ps_plan, soon

pytestmark = pytest.mark.django_db


def test_PS_10_booking_without_approval_lists_every_unmet_condition(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    meeting = face_to_face.request_face_to_face(
        plan=plan,
        actor=ps_case_manager,
        reason="Complex issues; phone contact has not worked",
        location_kind="alternative",
        location="Community hall meeting room",
        security_risks=True,
        security_risk_notes="History of aggression at the counter",
    )
    assert meeting.location_kind == "alternative"
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as refused:
        face_to_face.book_face_to_face(meeting=meeting, actor=ps_case_manager, meeting_at=None)
    fields = [d["field"] for d in refused.value.details]
    assert fields == ["meeting", "location_kind", "scm_notified", "meeting_at"]
    assert list(AuditRecord.objects.order_by("pk").values_list("outcome", flat=True)[before:]) == [
        Outcome.REFUSED
    ]
    meeting.refresh_from_db()
    assert meeting.state == "requested" and meeting.booked_at is None


def test_PS_10_approved_by_the_ps_team_leader_then_booked(ps_case_manager, ps_team_leader):
    plan = ps_plan(ps_case_manager)
    meeting = face_to_face.request_face_to_face(
        plan=plan,
        actor=ps_case_manager,
        reason="Communication barrier",
        attendee_ids=[ps_case_manager.pk, ps_team_leader.pk],
        second_person_present=True,
        security_risks=True,
        security_risk_notes="Security incident last year",
    )
    assert meeting.location_kind == "service-centre"
    with pytest.raises(PsRefused) as refused:
        face_to_face.decide_face_to_face(meeting=meeting, actor=ps_case_manager, approve=True)
    assert "only a PS Team Leader" in refused.value.message
    face_to_face.decide_face_to_face(meeting=meeting, actor=ps_team_leader, approve=True)
    with pytest.raises(PsRefused) as refused:
        face_to_face.book_face_to_face(meeting=meeting, actor=ps_case_manager, meeting_at=soon())
    assert [d["field"] for d in refused.value.details] == ["scm_notified"]
    face_to_face.notify_service_centre_manager(meeting=meeting, actor=ps_team_leader)
    before = AuditRecord.objects.count()
    booked = face_to_face.book_face_to_face(
        meeting=meeting, actor=ps_case_manager, meeting_at=soon()
    )
    assert AuditRecord.objects.count() - before == 1
    assert booked.state == "booked"
    assert set(booked.attendees.all()) == {ps_case_manager, ps_team_leader}


def test_PS_10_an_mp_office_only_through_customer_review(ps_case_manager, ps_team_leader):
    plan = ps_plan(ps_case_manager)
    with pytest.raises(PsRefused) as refused:
        face_to_face.request_face_to_face(
            plan=plan,
            actor=ps_case_manager,
            reason="Customer asked to meet at the MP's office",
            location_kind="mp-office",
            location="Electorate office",
            attendee_ids=[999999],
        )
    fields = [d["field"] for d in refused.value.details]
    assert fields == ["via_customer_review", "attendee_ids"]
    assert not FaceToFace.objects.exists()
    meeting = face_to_face.request_face_to_face(
        plan=plan,
        actor=ps_case_manager,
        reason="Customer asked to meet at the MP's office",
        location_kind="mp-office",
        location="Electorate office",
        via_customer_review=True,
    )
    face_to_face.decide_face_to_face(meeting=meeting, actor=ps_team_leader, approve=True)
    meeting.refresh_from_db()
    assert meeting.location_approved_by == ps_team_leader
    face_to_face.book_face_to_face(meeting=meeting, actor=ps_case_manager, meeting_at=soon())


def test_PS_10_declined_needs_a_reason(ps_case_manager, ps_team_leader):
    plan = ps_plan(ps_case_manager)
    meeting = face_to_face.request_face_to_face(plan=plan, actor=ps_case_manager, reason="R")
    with pytest.raises(PsRefused):
        face_to_face.decide_face_to_face(meeting=meeting, actor=ps_team_leader, approve=False)
    face_to_face.decide_face_to_face(
        meeting=meeting, actor=ps_team_leader, approve=False, comment="Phone first"
    )
    with pytest.raises(PsRefused) as refused:
        face_to_face.book_face_to_face(meeting=meeting, actor=ps_case_manager, meeting_at=soon())
    assert refused.value.details[0]["field"] == "meeting"


def test_PS_11_options_are_recorded_in_the_plan_and_the_stacking_document(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    issue = plan.issues.get(mandatory_code="income-correct")
    before = AuditRecord.objects.count()
    option = options.record_option(
        plan=plan,
        actor=ps_case_manager,
        kind="specialised-referral",
        description="Change of assessment application for the income issue",
        issue_id=issue.pk,
    )
    assert AuditRecord.objects.count() - before == 1
    assert option.stacking_note is not None
    assert plan.versions.get().snapshot["options"][0]["kind"] == "specialised-referral"
    options.set_option_status(option=option, actor=ps_case_manager, status="taken-up")
    with pytest.raises(PsRefused) as refused:
        options.record_option(plan=plan, actor=ps_case_manager, kind="magic", description="")
    assert [d["field"] for d in refused.value.details] == ["kind", "description"]
