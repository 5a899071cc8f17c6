"""PS-13..PS-15 on the pages: the plan's finalisation section and page (a refusal lists
every unmet condition and changes nothing), the PS Team Leader's approvals page with the
decision form."""

from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.personalised.models import FinalisationRequest, PsIssue
from tests.personalised.finalisation_helpers import ready_plan, request


def _client(user):
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "basis": "issues-addressed",
    "mandatory_issues": "All five addressed.",
    "exit_advice": "by-phone",
    "feedback": "Given",
}


def test_PS_13_the_plan_page_shows_the_checklist_and_form(pscm):
    plan = ready_plan(pscm)
    page = _client(pscm).get(f"/ps/plans/{plan.pk}/")
    assert page.status_code == 200
    assert b'id="ps-finalisation-ready"' in page.content
    assert b"Request finalisation" in page.content


def test_PS_14_a_refused_request_lists_every_condition_on_the_page(pscm):
    plan = ready_plan(pscm)
    PsIssue.objects.filter(plan=plan).update(status="recorded")
    client = _client(pscm)
    before = AuditRecord.objects.count()
    page = client.post(f"/ps/plans/{plan.pk}/finalisation/", {**FORM, "exit_advice": "exit-letter"})
    assert page.status_code == 422
    assert page.content.count(b"is still recorded") >= 5
    assert b"UQ140.02 has not been issued" in page.content
    rows = list(AuditRecord.objects.values_list("action", "outcome")[before:])
    assert rows == [("personalised.finalisation.requested", Outcome.REFUSED)], rows
    assert not FinalisationRequest.objects.exists()


def test_PS_14_PS_15_request_then_decide_on_the_approvals_page(pscm, pstl):
    plan = ready_plan(pscm)
    done = _client(pscm).post(f"/ps/plans/{plan.pk}/finalisation/", FORM)
    assert done.status_code == 302
    found = FinalisationRequest.objects.get()
    tl = _client(pstl)
    queue = tl.get("/ps/approvals/")
    assert f'id="finalisation-{found.pk}"'.encode() in queue.content
    missing = tl.post(f"/ps/finalisations/{found.pk}/decide/", {"decision": "no"})
    assert missing.status_code == 422
    assert b"record the reasons" in missing.content
    ok = tl.post(
        f"/ps/finalisations/{found.pk}/decide/",
        {"decision": "yes", "reason": "issues-addressed"},
    )
    assert ok.status_code == 302
    found.refresh_from_db()
    assert found.state == "approved"


def test_PS_15_approvals_page_queries_are_bounded(pscm, pstl, django_assert_max_num_queries):
    from tests.factories import UserFactory

    for n in range(3):
        other = UserFactory(username=f"cm{n}", role="ps_case_manager", team=pscm.team)
        request(ready_plan(other), other)
    client = _client(pstl)
    with django_assert_max_num_queries(40):
        assert client.get("/ps/approvals/").status_code == 200
