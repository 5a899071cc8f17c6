"""The PS referral intray's page links to its actioning checklist (PS-2): the case
manager goes from the intray straight to the steps."""

from django.urls import reverse

from cma.work.intray_links import IntrayLink, register_intray_link
from cma.work.models import Intray

from . import policy
from .models import Referral


def referral_checklist(intray: Intray) -> IntrayLink | None:
    if intray.type.code not in policy.referral_types():
        return None
    found = Referral.objects.filter(intray=intray).values_list("pk", flat=True).first()
    if found is None:
        return None
    url = reverse("personalised:referral", kwargs={"referral_id": found})
    return IntrayLink("Action the referral: its checklist", url)


def register() -> None:
    register_intray_link(referral_checklist)
