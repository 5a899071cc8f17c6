"""The demo office's collection call: one common and two specialised issues, each
resolved or routed, MCA recorded for every case, a payee's lead (CMA-1..CMA-4)."""

import pytest
from django.core.management import call_command

from cma.collection.models import McaNotDone, McaRecord, PayeeLead, PresentingIssue
from cma.contact.models import Interaction

pytestmark = pytest.mark.django_db


def test_CMA_1_CMA_4_the_demo_has_a_call_with_one_common_and_two_specialised_issues(settings):
    settings.DEBUG = True
    call_command("demo", "load")
    issues = list(PresentingIssue.objects.exclude(activity="external"))
    assert sorted((i.activity, i.status) for i in issues) == [
        ("common", "resolved"),
        ("specialised", "routed"),
        ("specialised", "routed"),
    ]
    (call,) = {i.interaction_id for i in issues}
    assert McaRecord.objects.filter(interaction_id=call).exists()
    assert PayeeLead.objects.filter(interaction_id=call).exists()
    # Every demo call that ended with a confirmed caller has its MCA: none without.
    assert not McaNotDone.objects.exists()
    assert Interaction.objects.filter(ended_at__isnull=False).count() >= 4
    call_command("demo", "load")  # idempotent
    assert PresentingIssue.objects.exclude(activity="external").count() == 3
