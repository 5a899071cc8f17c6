"""Sensitive issue indicators (DOC-5, PS-18): reason, conditions, review date within
the policy limit, a review intray due on the review date; internal only."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.notes import services
from cma.notes.errors import IndicatorNotActive, ReviewDateInvalid
from cma.notes.models import SensitiveIndicator
from cma.notes.services._common import add_months
from cma.staff.services import issue_api_token
from cma.work.models import Intray


def add(customer, actor, days=60, **kwargs):
    return services.add_sensitive_indicator(
        customer=customer,
        actor=actor,
        kind=kwargs.pop("kind", "family-violence"),
        reason=kwargs.pop("reason", "Disclosed during a call"),
        conditions=kwargs.pop("conditions", "Female officer only"),
        review_on=agency_today() + timedelta(days=days),
        **kwargs,
    )


def test_DOC_5_indicator_with_review_intray_due_on_the_review_date(payer, ps_case_manager):
    indicator = add(payer, ps_case_manager)
    intray = Intray.objects.get(pk=indicator.review_intray_id)
    assert intray.type.code == "sensitive-indicator-review"
    assert intray.due_on == indicator.review_on and intray.customer == payer
    assert intray.owner_user == ps_case_manager
    row = AuditRecord.objects.get(action="notes.indicator.added")
    assert row.changes["kind"] == "family-violence"
    assert "Disclosed" not in str(row.changes) + row.reason


@pytest.mark.parametrize("days", [0, -1, 400])
def test_DOC_5_review_date_must_be_ahead_and_within_the_policy_limit(payer, officer, days):
    with pytest.raises(ReviewDateInvalid):
        add(payer, officer, days=days)
    assert not SensitiveIndicator.objects.exists() and not Intray.objects.exists()
    assert AuditRecord.objects.get(action="notes.indicator.added").outcome == Outcome.REFUSED


def test_PS_18_segment_3_limit_of_three_months(payer, ps_team_leader):
    with pytest.raises(ReviewDateInvalid, match="at most 3 months"):
        add(payer, ps_team_leader, days=100, max_review_months=3)
    add(payer, ps_team_leader, days=80, max_review_months=3)


def test_DOC_5_review_extends_with_a_new_intray_and_completes_the_old(payer, ps_case_manager):
    indicator = add(payer, ps_case_manager)
    first_intray = indicator.review_intray_id
    next_on = add_months(agency_today(), 2)
    services.review_sensitive_indicator(
        indicator=indicator,
        actor=ps_case_manager,
        outcome="extended",
        comment="Still needed",
        next_review_on=next_on,
        conditions="Two officers present",
    )
    indicator.refresh_from_db()
    assert indicator.review_on == next_on and indicator.conditions == "Two officers present"
    assert Intray.objects.get(pk=first_intray).status == "completed"
    assert Intray.objects.get(pk=indicator.review_intray_id).due_on == next_on


def test_DOC_5_review_removes_and_removed_cannot_be_reviewed(payer, team_leader):
    indicator = add(payer, team_leader)
    services.review_sensitive_indicator(
        indicator=indicator, actor=team_leader, outcome="removed", comment="Resolved"
    )
    indicator.refresh_from_db()
    assert not indicator.is_active
    with pytest.raises(IndicatorNotActive):
        services.review_sensitive_indicator(
            indicator=indicator, actor=team_leader, outcome="removed", comment="again"
        )


def test_DOC_5_service_officer_cannot_review(payer, officer):
    indicator = add(payer, officer)
    with pytest.raises(Exception, match="cannot review"):
        services.review_sensitive_indicator(
            indicator=indicator, actor=officer, outcome="removed", comment="x"
        )


def test_DOC_5_reason_is_scanned_for_personal_information(payer, officer):
    with pytest.raises(Exception, match="Personal information"):
        add(payer, officer, reason="Ex-partner rang from 0413 222 901")


def test_DOC_5_customer_facing_integration_never_sees_indicators(client, payer, officer):
    add(payer, officer, reason="SENTINEL-REASON threatened staff")
    _, raw = issue_api_token(user=officer, name="portal", customer_facing=True, actor=officer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for url in (
        f"/api/v1/customers/{payer.pk}/sensitive-indicators",
        f"/api/v1/customers/{payer.pk}/safety",
        f"/api/v1/customers/{payer.pk}/notes",
    ):
        response = client.get(url, **auth)
        assert response.status_code == 403, url
        assert response.json()["code"] == "internal-only"
    assert "SENTINEL" not in client.get(f"/api/v1/customers/{payer.pk}", **auth).content.decode()
    refused = AuditRecord.objects.filter(outcome=Outcome.REFUSED, reason="internal-only")
    assert refused.count() == 3
    _, internal = issue_api_token(user=officer, name="workbench", actor=officer)
    listed = client.get(
        f"/api/v1/customers/{payer.pk}/sensitive-indicators",
        HTTP_AUTHORIZATION=f"Bearer {internal}",
    )
    assert listed.status_code == 200 and "SENTINEL-REASON" in listed.content.decode()
