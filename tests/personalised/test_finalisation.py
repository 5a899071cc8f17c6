"""PS-13..PS-17: finalisation readiness, the request, the PS Team Leader's decision and
the exit, through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from cma.audit.models import AuditRecord, Outcome
from cma.notes.models import StackingEntry
from cma.personalised import services
from cma.personalised.errors import PsRefused
from cma.personalised.models import (
    ActivityEntry,
    FinalisationRequest,
    PlanOption,
    PlanState,
    PsIssue,
)
from cma.personalised.services import ps_letters
from cma.policy.models import BusinessArea
from cma.work import services as work
from cma.work.models import CustomerLock
from tests.personalised.finalisation_helpers import ready_plan, request, second_team_leader

pytestmark = pytest.mark.django_db


def _messages(refused):
    return [d["message"] for d in refused.value.details]


def test_PS_13_readiness_lists_every_unmet_precondition(pscm):
    plan = ready_plan(pscm)
    assert services.readiness(plan).ready
    PsIssue.objects.filter(plan=plan).update(status="recorded")
    PlanOption.objects.create(plan=plan, kind="publication", description="A", recorded_by=pscm)
    work.create_intray(
        customer=plan.customer, type_code="general-follow-up", actor=pscm, owner_user=pscm
    )
    work.create_intray(
        customer=plan.customer,
        type_code="estimate-review-required",
        actor=pscm,
        owner_user=pscm,
    )
    found = services.readiness(plan)
    fields = [f for f, _ in found.problems]
    assert fields.count("issues") == 5
    assert "options" in fields
    # The ongoing specialised intray (policy) does not block; the follow-up does.
    assert fields.count("intrays") == 1
    assert len(found.to_confirm) == 2


def test_PS_13_the_exit_letter_needs_10_days(pscm):
    plan = ready_plan(pscm)
    letter = ps_letters.issue_ps_letter(
        plan=plan, actor=pscm, letter="exit", fields={"exit_reason": "Issues resolved"}
    )
    found = services.readiness(plan, exit_advice="exit-letter", feedback="Given")
    assert [f for f, _ in found.problems] == ["exit_advice"]
    assert "less than 10 days" in found.problems[0][1]
    assert letter.pk
    with freeze_time(timezone.now() + timedelta(days=10, minutes=1)):
        assert services.readiness(plan, exit_advice="exit-letter", feedback="Given").ready


def test_PS_13_ombudsman_response_must_be_confirmed(pscm):
    plan = ready_plan(pscm, source="ombudsman")
    found = services.readiness(plan, exit_advice="by-phone", feedback="Given")
    assert [f for f, _ in found.problems] == ["responses_understood"]
    ok = services.readiness(
        plan, exit_advice="by-phone", feedback="Given", responses_understood=True
    )
    assert ok.ready


def test_PS_14_request_refused_listing_every_condition_writes_only_the_refusal(pscm):
    plan = ready_plan(pscm)
    PsIssue.objects.filter(plan=plan).update(status="recorded")
    letter = ps_letters.issue_ps_letter(
        plan=plan, actor=pscm, letter="exit", fields={"exit_reason": "Issues resolved"}
    )
    assert letter.pk
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as refused:
        request(plan, pscm, exit_advice="exit-letter", feedback="")
    fields = [d["field"] for d in refused.value.details]
    assert fields.count("issues") == 5 and "exit_advice" in fields and "feedback" in fields
    rows = list(AuditRecord.objects.order_by("pk")[before:])
    assert [(r.action, r.outcome) for r in rows] == [
        ("personalised.finalisation.requested", Outcome.REFUSED)
    ]
    assert not FinalisationRequest.objects.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED


def test_PS_14_request_resolves_issues_documents_and_transfers_to_the_pstl(pscm, pstl):
    plan = ready_plan(pscm)
    before = AuditRecord.objects.count()
    found = request(plan, pscm)
    assert AuditRecord.objects.count() - before == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.FINALISATION
    assert set(plan.issues.values_list("status", flat=True)) == {"resolved"}
    lock = CustomerLock.objects.get(customer=plan.customer, released_at=None)
    assert lock.owner_user == pstl
    entry = StackingEntry.objects.filter(note_id=found.document_id).get()
    assert entry.note.macro_code == "ps-finalisation"
    assert ActivityEntry.objects.filter(plan=plan, kind="finalisation-requested").exists()


def test_PS_15_nobody_decides_their_own_request(pscm, pstl):
    plan = ready_plan(pscm)
    plan.case_manager = pstl
    plan.save(update_fields=["case_manager"])
    CustomerLock.objects.filter(customer=plan.customer).update(owner_user=pstl)
    second = second_team_leader(pstl)
    plan.case_manager.team.leader = second
    plan.case_manager.team.save(update_fields=["leader"])
    found = request(plan, pstl)
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as refused:
        services.decide_finalisation(request=found, actor=pstl, approve=True, reason="bogus")
    assert any("own finalisation" in m for m in _messages(refused))
    assert any(d["field"] == "reason" for d in refused.value.details)
    assert AuditRecord.objects.count() - before == 1
    found.refresh_from_db()
    assert found.state == "requested"


def test_PS_15_customer_declined_needs_its_confirmations(pscm, pstl):
    found = request(ready_plan(pscm), pscm, basis="customer-declined")
    with pytest.raises(PsRefused) as refused:
        services.decide_finalisation(
            request=found, actor=pstl, approve=True, reason="customer-declined"
        )
    assert [d["field"] for d in refused.value.details] == ["confirmations"] * 3
    done = services.decide_finalisation(
        request=found,
        actor=pstl,
        approve=True,
        reason="customer-declined",
        confirmations=["options-in-writing", "timeframe-given", "no-further-help"],
    )
    assert done.state == "approved"


def test_PS_15_reject_resets_issues_and_gives_the_customer_back(pscm, pstl):
    plan = ready_plan(pscm)
    found = request(plan, pscm)
    with pytest.raises(PsRefused) as refused:
        services.decide_finalisation(request=found, actor=pstl, approve=False)
    assert [d["field"] for d in refused.value.details] == ["comment"]
    services.decide_finalisation(
        request=found, actor=pstl, approve=False, comment="Call the customer about the debt."
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    issues = list(plan.issues.all())
    assert {i.status for i in issues} == {"confirmed"}
    assert {i.comment for i in issues} == {"Call the customer about the debt."}
    lock = CustomerLock.objects.get(customer=plan.customer, released_at=None)
    assert lock.owner_user == pscm
    assert ActivityEntry.objects.filter(plan=plan, kind="finalisation-rejected").exists()


def test_PS_17_approval_exits_unlocks_and_routes(pscm, pstl):
    plan = ready_plan(pscm)
    found = request(plan, pscm)
    before = AuditRecord.objects.count()
    done = services.decide_finalisation(
        request=found, actor=pstl, approve=True, reason="issues-addressed"
    )
    assert AuditRecord.objects.count() - before == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.CLOSED
    assert done.routed_area.code == "mainstream"
    lock = CustomerLock.objects.get(customer=plan.customer, released_at=None)
    assert lock.owner_area.code == "mainstream"
    assert CustomerLock.objects.filter(
        customer=plan.customer, owner_user=pstl, release_kind="unlocked"
    ).exists()
    assert ActivityEntry.objects.filter(plan=plan, kind="ps-exit").exists()


def test_PS_16_transfer_to_a_specialist_area_only_when_its_process_is_the_only_one(pscm, pstl):
    """PS-16: refused while the area has no open process of its own; allowed once it has."""
    plan = ready_plan(pscm)
    found = request(plan, pscm, basis="specialist-ongoing")
    area = BusinessArea.objects.get(code="specialised-assessments")
    with pytest.raises(PsRefused) as refused:
        services.decide_finalisation(
            request=found,
            actor=pstl,
            approve=True,
            reason="specialist-ongoing",
            transfer_area=area,
        )
    messages = _messages(refused)
    assert any("no specialist process" in m for m in messages)
    assert any("has no open process" in m for m in messages)
    work.create_intray(
        customer=plan.customer,
        type_code="estimate-review-required",
        actor=pstl,
        owner_area=area,
    )
    done = services.decide_finalisation(
        request=found, actor=pstl, approve=True, reason="specialist-ongoing", transfer_area=area
    )
    assert done.routed_area == area and done.routed_rule == "ps-16-transfer"


def test_PS_15_segment_3_keeps_the_customer_with_the_case_manager(pscm, pstl):
    plan = ready_plan(pscm)
    found = request(plan, pscm, basis="segment-3")
    services.decide_finalisation(request=found, actor=pstl, approve=True, reason="segment-3")
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert CustomerLock.objects.get(customer=plan.customer, released_at=None).owner_user == pscm


def test_PS_15_a_decided_request_cannot_be_decided_again(pscm, pstl):
    found = request(ready_plan(pscm), pscm)
    services.decide_finalisation(request=found, actor=pstl, approve=True, reason="issues-addressed")
    with pytest.raises(PsRefused) as refused:
        services.decide_finalisation(
            request=found, actor=second_team_leader(pstl), approve=False, comment="No"
        )
    assert [d["field"] for d in refused.value.details] == ["state"]
