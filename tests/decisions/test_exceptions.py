"""Seed 002 exceptions (issue 19 item 6), held as business-area policy data
(`keeps_common_intrays`) and honoured by work routing's `no-common-intrays` rule:
change-of-assessment decision makers and objection officers do full CMA on a
general-enquiry call but their common-activity follow-ups go to the owning area;
Agreements officers keep theirs."""

import pytest

from cma.policy.models import BusinessArea
from cma.work.routing import recommend
from tests.factories import CustomerFactory, TeamFactory, UserFactory


def _officer_of(area_code: str):
    area = BusinessArea.objects.get(code=area_code)
    team = TeamFactory(name=f"{area.name} Brisbane", state="QLD", business_area=area)
    return UserFactory(username=f"o-{area_code}", team=team)


@pytest.mark.parametrize("area_code", ["coa-decision-makers", "objections"])
def test_CMA_8_decision_makers_and_objection_officers_do_not_keep_common_intrays(db, area_code):
    assert BusinessArea.objects.get(code=area_code).keeps_common_intrays is False
    (advice,) = recommend(
        customer=CustomerFactory(), issues=["payment-enquiry"], actor=_officer_of(area_code)
    )
    # Full CMA in real time, but the follow-up intray goes to the owning area.
    assert advice.resolve_at_point_of_entry and advice.rule == "no-common-intrays"
    assert advice.follow_up_area.code == "mainstream"


def test_CMA_8_agreements_officers_keep_their_common_intrays(db):
    assert BusinessArea.objects.get(code="agreements").keeps_common_intrays is True
    (advice,) = recommend(
        customer=CustomerFactory(), issues=["payment-enquiry"], actor=_officer_of("agreements")
    )
    assert advice.resolve_at_point_of_entry and advice.rule != "no-common-intrays"
    assert advice.follow_up_area is None
