"""Creating intrays by hand (WRK-1, WRK-2, WRK-6): nothing pre-selected, only the types
the actor may create are offered, a type's required fields are enforced, and a refusal
names every unmet condition at once."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cma.audit.models import AuditRecord
from cma.policy import loader
from cma.policy.models import IntrayType
from cma.work import selectors, services
from cma.work.errors import IntrayRefused, IntrayTypeRestricted
from cma.work.forms import IntrayForm
from cma.work.models import Intray
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
SYSTEM_ONLY = {"sensitive-indicator-review", "restricted-service-review", "letter-response-check"}


def _codes(actor) -> set[str]:
    return {t.code for t in selectors.creatable_intray_types(actor)}


def test_WRK_6_officers_are_offered_only_the_types_they_may_create(officer, team_leader):
    """WRK-6: no "PS Referral (TL only)" for an officer, no system-only review types
    for anyone; a Team Leader is offered the TL-only referral."""
    mine = _codes(officer)
    assert "ps-referral-tl-only" not in mine
    assert "customer-assigned-to-ps" not in mine
    assert not mine & SYSTEM_ONLY
    assert {"crg-referral-to-ps", "general-follow-up", "client-call-back"} <= mine
    leaders = _codes(team_leader)
    assert "ps-referral-tl-only" in leaders and not leaders & SYSTEM_ONLY


def test_WRK_6_the_form_preselects_nothing_and_offers_only_creatable_types(officer):
    form = IntrayForm(actor=officer)
    choices = form.fields["type_code"].choices
    assert choices[0] == ("", "Choose a type")
    offered = {code for code, _ in choices[1:]}
    assert offered == _codes(officer)
    assert form.fields["type_code"].required
    # The note's hint names the types that need one (from policy data).
    assert "CRG Referral to PS" in form.fields["note"].help_text


def test_WRK_6_submitting_the_form_untouched_creates_nothing(client, officer, customer):
    client.force_login(officer)
    url = reverse("work:intray-new", args=[customer.pk])
    page = client.get(url).content.decode()
    assert '<option value="" selected>Choose a type</option>' in page
    assert "PS Referral (TL only)" not in page and "Restricted service review" not in page
    r = client.post(url, {"owner": "", "note": ""})
    assert r.status_code == 422
    assert not Intray.objects.exists()


def test_WRK_2_a_ps_referral_needs_a_note(officer, customer):
    """The type's required fields are policy data (intray_types.yaml required_fields)."""
    assert IntrayType.objects.get(code="crg-referral-to-ps").required_fields == ["note"]
    with pytest.raises(IntrayRefused) as err:
        services.create_intray(customer=customer, type_code="crg-referral-to-ps", actor=officer)
    assert err.value.field == "note" and err.value.http_status == 422
    assert not Intray.objects.exists()
    refusal = AuditRecord.objects.order_by("-id").first()
    assert (refusal.action, refusal.outcome) == ("work.intray.created", "refused")
    item = services.create_intray(
        customer=customer,
        type_code="crg-referral-to-ps",
        actor=officer,
        note="Escalating complexity; CRG recommends PS",
    )
    assert item.owner_area.code == "personalised-services"


def test_WRK_1_a_refusal_lists_every_unmet_condition_at_once(officer, customer):
    foreign = CaseFactory()
    with pytest.raises(IntrayRefused) as err:
        services.create_intray(
            customer=customer,
            type_code="crg-referral-to-ps",
            actor=officer,
            case=foreign,
            due_on=date.today() - timedelta(days=2),
            note="   ",
        )
    fields = [d["field"] for d in err.value.details]
    assert fields == ["note", "case", "due_on"]
    assert err.value.field is None  # several: each is in details
    assert err.value.code == "intray-conditions-unmet"


def test_WRK_1_the_page_shows_each_unmet_condition_beside_its_field(client, officer, customer):
    client.force_login(officer)
    r = client.post(
        reverse("work:intray-new", args=[customer.pk]),
        {"type_code": "crg-referral-to-ps", "owner": "", "due_on": "2001-01-01", "note": ""},
    )
    assert r.status_code == 422
    form = r.context["form"]
    assert "note" in form.errors and "due_on" in form.errors
    assert not Intray.objects.exists()


def test_WRK_6_system_only_types_are_refused_by_hand_but_opened_by_the_system(
    officer, team_leader, customer
):
    for actor in (officer, team_leader):
        with pytest.raises(IntrayTypeRestricted) as err:
            services.create_intray(
                customer=customer, type_code="restricted-service-review", actor=actor, note="x"
            )
        assert "opened by the system" in err.value.message
    item = services.create_intray(
        customer=customer,
        type_code="restricted-service-review",
        actor=officer,
        owner_user=officer,
        due_on=date.today() + timedelta(days=90),
        note="Review the restricted service arrangement.",
        by_system=True,
    )
    assert item.type.code == "restricted-service-review"


def test_WRK_6_refusal_names_the_roles_not_their_codes(officer, customer):
    with pytest.raises(IntrayTypeRestricted) as err:
        services.create_intray(
            customer=customer, type_code="ps-referral-tl-only", actor=officer, note="x"
        )
    assert "Team Leader or PS Team Leader" in err.value.message
    assert "team_leader" not in err.value.message


def test_WRK_6_api_lists_creatable_types_and_enforces_required_fields(client, officer, customer):
    client.force_login(officer)
    types = client.get(f"{API}/intray-types").json()
    codes = [t["code"] for t in types]
    assert "ps-referral-tl-only" not in codes and not set(codes) & SYSTEM_ONLY
    crg = next(t for t in types if t["code"] == "crg-referral-to-ps")
    assert crg["required_fields"] == ["note"] and crg["routes_to_area"] == "personalised-services"
    r = client.post(
        f"{API}/intrays",
        {"customer_id": customer.pk, "type_code": "crg-referral-to-ps"},
        content_type="application/json",
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "intray-conditions-unmet" and body["field"] == "note"
    assert body["details"] == [{"field": "note", "message": body["details"][0]["message"]}]
    assert not Intray.objects.exists()


def test_WRK_2_required_fields_and_system_only_come_from_the_policy_file(tmp_path, settings):
    """Removing `required_fields` from a type's entry takes effect on the next load."""
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, data_dir)
    path = data_dir / "intray_types.yaml"
    text = path.read_text()
    entry = text.index("  - code: crg-referral-to-ps")
    end = text.index("  - code:", entry + 5)
    path.write_text(
        text[:entry] + text[entry:end].replace("    required_fields: [note]\n", "") + text[end:]
    )
    loader.load_all(data_dir)
    assert IntrayType.objects.get(code="crg-referral-to-ps").required_fields == []
    assert IntrayType.objects.get(code="letter-response-check").system_only is True
