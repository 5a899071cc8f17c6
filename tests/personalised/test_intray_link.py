"""PS-2: the case manager goes from the referral's intray straight to its actioning
checklist; any other intray's page offers no such link."""

import pytest

from cma.work import services as work

pytestmark = pytest.mark.django_db


def test_PS_2_a_referral_intray_links_to_its_checklist(client, referral, pscm):
    client.force_login(pscm)
    page = client.get(f"/work/intrays/{referral.intray_id}/").content.decode()
    assert f'href="/ps/referrals/{referral.pk}/">Action the referral: its checklist' in page


def test_PS_2_another_intray_has_no_referral_link(client, officer, customer):
    intray = work.create_intray(customer=customer, type_code="client-call-back", actor=officer)
    client.force_login(officer)
    page = client.get(f"/work/intrays/{intray.pk}/").content.decode()
    assert "Action the referral" not in page
