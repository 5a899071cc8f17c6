"""PS-3, PS-6: the PS Team Leader decides segment 3 allocations and reallocation
requests on the approvals page: approve (naming the receiving team) or decline with a
reason; a bad form is answered beside its fields, audited once, changing nothing."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord
from cma.personalised import services
from cma.personalised.models import PsPlan, Reallocation, SegmentDecision
from tests.factories import CaseFactory

from .conftest import run_checklist

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _segment_3(referral, pscm):
    run_checklist(referral, pscm, upto="record-segment-source-reason")
    plan = PsPlan.objects.get(customer=referral.primary_customer)
    services.decide_segment(plan=plan, actor=pscm, segment=3)
    return SegmentDecision.objects.get(plan=plan, approval="pending")


def _reallocation(referral, pscm):
    run_checklist(referral, pscm)
    return services.request_reallocation(
        customer=referral.primary_customer, actor=pscm, reason_code="conflict-of-interest"
    )


def _another_referral(team_leader):
    case = CaseFactory()
    return services.create_referral(
        customer=case.payer,
        actor=team_leader,
        kind="ps-referral-tl-only",
        source="ombudsman",
        reason="Ombudsman enquiry about repeated assessment errors.",
        case=case,
    )


def test_PS_6_segment_3_is_approved_on_the_approvals_page(referral, pscm, pstl):
    decision = _segment_3(referral, pscm)
    client = _client(pstl)
    page = client.get("/ps/approvals/").content.decode()
    assert f'id="segment-{decision.pk}"' in page and "Segment 3 for" in page
    url = f"/ps/approvals/segment-decisions/{decision.pk}/"
    before = AuditRecord.objects.count()
    declined = client.post(url, {"decision": "no"})
    body = declined.content.decode()
    assert declined.status_code == 422 and "govuk-error-summary" in body
    assert f'id="id_seg{decision.pk}_comment_error"' in body
    assert AuditRecord.objects.count() - before == 1
    assert SegmentDecision.objects.get(pk=decision.pk).approval == "pending"
    assert client.post(url, {"decision": "yes"}).status_code == 302
    assert SegmentDecision.objects.get(pk=decision.pk).approval == "approved"
    assert PsPlan.objects.get(pk=decision.plan_id).segment == 3


def test_PS_6_segment_3_declined_with_a_reason(referral, pscm, pstl):
    decision = _segment_3(referral, pscm)
    url = f"/ps/approvals/segment-decisions/{decision.pk}/"
    response = _client(pstl).post(url, {"decision": "no", "comment": "Segment 2 fits better."})
    assert response.status_code == 302
    assert SegmentDecision.objects.get(pk=decision.pk).approval == "rejected"


def test_PS_6_a_case_manager_cannot_decide_segment_3_on_the_page(referral, pscm):
    decision = _segment_3(referral, pscm)
    client = _client(pscm)
    before = AuditRecord.objects.count()
    response = client.post(f"/ps/approvals/segment-decisions/{decision.pk}/", {"decision": "yes"})
    assert response.status_code in (403, 422)
    assert "only a PS Team Leader approves segment 3" in response.content.decode()
    assert AuditRecord.objects.count() - before == 1
    assert SegmentDecision.objects.get(pk=decision.pk).approval == "pending"


def test_PS_3_reallocation_is_approved_on_the_approvals_page(referral, pscm, pstl, receiving_team):
    request = _reallocation(referral, pscm)
    team = receiving_team[0]
    client = _client(pstl)
    page = client.get("/ps/approvals/").content.decode()
    assert f'id="reallocation-{request.pk}"' in page and "Conflict of interest" in page
    assert f'<option value="{team.pk}">{team.name}</option>' in page
    url = f"/ps/approvals/reallocations/{request.pk}/"
    before = AuditRecord.objects.count()
    missing = client.post(url, {"decision": "yes"})
    body = missing.content.decode()
    assert missing.status_code == 422 and "name the receiving PS team" in body
    assert f'id="id_realloc{request.pk}_receiving_team_id_error"' in body
    assert AuditRecord.objects.count() - before == 1
    assert Reallocation.objects.get(pk=request.pk).state == "requested"
    done = client.post(url, {"decision": "yes", "receiving_team_id": str(team.pk)})
    assert done.status_code == 302
    row = Reallocation.objects.get(pk=request.pk)
    assert row.state == "approved" and row.receiving_team_id == team.pk


def test_PS_3_reallocation_declined_needs_a_reason(referral, pscm, pstl):
    request = _reallocation(referral, pscm)
    client = _client(pstl)
    url = f"/ps/approvals/reallocations/{request.pk}/"
    missing = client.post(url, {"decision": "no"})
    assert missing.status_code == 422 and "say why" in missing.content.decode()
    assert client.post(url, {"decision": "no", "comment": "Stay local."}).status_code == 302
    assert Reallocation.objects.get(pk=request.pk).state == "declined"


def test_PS_3_unknown_request_is_404(pstl):
    assert _client(pstl).post("/ps/approvals/reallocations/999999/", {}).status_code == 404
    assert _client(pstl).post("/ps/approvals/segment-decisions/999999/", {}).status_code == 404


def test_PS_3_PS_6_approvals_page_queries_are_bounded(
    referral, pscm, pstl, team_leader, receiving_team, django_assert_num_queries
):
    _segment_3(referral, pscm)
    client = _client(pstl)
    client.get("/ps/approvals/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/ps/approvals/")
    other = _another_referral(team_leader)
    _reallocation(other, pscm)
    third = _another_referral(team_leader)
    _segment_3(third, pscm)
    with CaptureQueriesContext(connection) as many:
        client.get("/ps/approvals/")
    # More rows of each kind cost at most the one query of the receiving teams.
    assert len(many) <= len(one) + 1
