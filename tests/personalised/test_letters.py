"""PS-9: the PS letters, signed by the case manager, and skipping UQ140.01 with the PS
Team Leader's agreement recorded in the plan."""

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.personalised.errors import PsRefused
from cma.personalised.models import LetterSkip
from cma.personalised.services import ps_letters
from tests.personalised.ps_helpers import ps_plan

pytestmark = pytest.mark.django_db


def test_PS_9_letters_are_signed_by_the_case_manager(ps_case_manager, ps_team_leader):
    plan = ps_plan(ps_case_manager)
    before = AuditRecord.objects.count()
    letter = ps_letters.issue_ps_letter(plan=plan, actor=ps_case_manager, letter="introduction")
    assert AuditRecord.objects.count() - before == 1
    assert letter.template_code == "UQ140.00"
    assert letter.data["signature"][0] == ps_case_manager.display_name
    with pytest.raises(PsRefused) as refused:
        ps_letters.issue_ps_letter(plan=plan, actor=ps_team_leader, letter="first-call")
    assert refused.value.details[0]["field"] == "actor"


def test_PS_9_skipping_UQ140_01_needs_the_ps_team_leaders_agreement(
    ps_case_manager, ps_team_leader
):
    plan = ps_plan(ps_case_manager, segment=1)
    skip = ps_letters.request_letter_skip(
        plan=plan, actor=ps_case_manager, reason="A single straightforward issue, resolved"
    )
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as refused:
        ps_letters.decide_letter_skip(skip=skip, actor=ps_case_manager, agree=True)
    assert "only a PS Team Leader" in refused.value.details[0]["message"]
    assert list(AuditRecord.objects.order_by("pk").values_list("outcome", flat=True)[before:]) == [
        Outcome.REFUSED
    ]
    skip.refresh_from_db()
    assert skip.approval == "pending"
    ps_letters.decide_letter_skip(skip=skip, actor=ps_team_leader, agree=True)
    skip.refresh_from_db()
    assert skip.approval == "approved" and skip.agreed_by == ps_team_leader
    version = plan.versions.get()
    assert version.snapshot["letter_skips"][0]["approval"] == "approved"
    with pytest.raises(PsRefused):
        ps_letters.issue_ps_letter(
            plan=plan,
            actor=ps_case_manager,
            letter="first-call",
            fields={"call_date": "2026-12-01", "agreed_actions": "Review income"},
        )


def test_PS_9_a_skip_only_for_the_allowed_segments_and_before_the_letter(ps_case_manager):
    plan = ps_plan(ps_case_manager, segment=3)
    with pytest.raises(PsRefused) as refused:
        ps_letters.request_letter_skip(plan=plan, actor=ps_case_manager, reason="")
    fields = [d["field"] for d in refused.value.details]
    assert fields == ["reason", "segment"]
    plan2 = ps_plan(ps_case_manager, segment=2)
    ps_letters.issue_ps_letter(
        plan=plan2,
        actor=ps_case_manager,
        letter="first-call",
        fields={"call_date": "2026-12-01", "agreed_actions": "Review income"},
    )
    with pytest.raises(PsRefused) as refused:
        ps_letters.request_letter_skip(plan=plan2, actor=ps_case_manager, reason="Simple")
    assert "already been issued" in refused.value.message
    assert not LetterSkip.objects.exists()


def test_PS_9_declining_a_skip_needs_a_comment(ps_case_manager, ps_team_leader):
    plan = ps_plan(ps_case_manager, segment=2)
    skip = ps_letters.request_letter_skip(plan=plan, actor=ps_case_manager, reason="Simple")
    with pytest.raises(PsRefused):
        ps_letters.decide_letter_skip(skip=skip, actor=ps_team_leader, agree=False)
    ps_letters.decide_letter_skip(
        skip=skip, actor=ps_team_leader, agree=False, comment="Several issues; send it"
    )
    skip.refresh_from_db()
    assert skip.approval == "rejected"
