"""PS-9, PS-10: the PS Team Leader's approvals page decides face-to-face requests and
UQ140.01 skips; a case manager has no such queue."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord
from cma.personalised.models import FaceToFace, LetterSkip
from cma.personalised.services import face_to_face, ps_letters
from tests.personalised.ps_helpers import ps_plan

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_PS_9_PS_10_the_approvals_queue_decides_meetings_and_skips(
    ps_case_manager, ps_team_leader, django_assert_max_num_queries
):
    plan = ps_plan(ps_case_manager, segment=1)
    meeting = face_to_face.request_face_to_face(
        plan=plan,
        actor=ps_case_manager,
        reason="Barrier",
        security_risks=True,
        security_risk_notes="Past incident",
    )
    skip = ps_letters.request_letter_skip(plan=plan, actor=ps_case_manager, reason="Simple")
    client = _client(ps_team_leader)
    with django_assert_max_num_queries(25):
        page = client.get("/ps/approvals/")
    assert page.status_code == 200 and "Skip UQ140.01" in page.content.decode()
    before = AuditRecord.objects.count()
    missing = client.post(f"/ps/face-to-face/{meeting.pk}/decide/", {"decision": "no"})
    assert missing.status_code == 422 and "say why it is declined" in missing.content.decode()
    assert AuditRecord.objects.count() - before == 1
    assert (
        client.post(f"/ps/face-to-face/{meeting.pk}/decide/", {"decision": "yes"}).status_code
        == 302
    )
    assert client.post(f"/ps/face-to-face/{meeting.pk}/notify/").status_code == 302
    assert (
        client.post(f"/ps/letter-skips/{skip.pk}/decide/", {"decision": "yes"}).status_code == 302
    )
    meeting.refresh_from_db()
    assert meeting.state == "approved" and meeting.scm_notified
    assert LetterSkip.objects.get().approval == "approved"


def test_PS_9_a_case_manager_cannot_agree_a_skip_or_see_the_queue(ps_case_manager):
    plan = ps_plan(ps_case_manager, segment=2)
    skip = ps_letters.request_letter_skip(plan=plan, actor=ps_case_manager, reason="Simple")
    client = _client(ps_case_manager)
    assert client.get("/ps/approvals/").status_code == 403
    refused = client.post(f"/ps/letter-skips/{skip.pk}/decide/", {"decision": "yes"})
    assert refused.status_code == 422
    assert "only a PS Team Leader" in refused.content.decode()
    assert LetterSkip.objects.get().approval == "pending"
    assert not FaceToFace.objects.exists()
