"""The letter catalogue is policy data and every body only uses names it declares
(CON-2, CON-4, PS-9, CMA-7)."""

import pytest

from cma.letters.catalogue import STANDARD_NAMES, body_names, field_specs, requests_response
from cma.policy.models import LetterTemplate
from cma.policy.services import letter_template, parameter

from .conftest import SAMPLE_FIELDS

pytestmark = pytest.mark.django_db


def test_catalogue_holds_every_required_letter():
    codes = set(LetterTemplate.objects.filter(active=True).values_list("code", flat=True))
    assert {"MX0-1", "MX1-1", "DEC-1", "UQ140.00", "UQ140.01", "UQ140.02"} <= codes
    assert set(SAMPLE_FIELDS) == codes


@pytest.mark.parametrize("code", sorted(SAMPLE_FIELDS))
def test_bodies_use_only_declared_names(code):
    template = letter_template(code)
    allowed = set(template.required_fields) | set(STANDARD_NAMES)
    used = body_names(template)
    assert used <= allowed, f"{code} uses undeclared names {used - allowed}"
    # Every declared input is actually printed somewhere.
    assert set(template.required_fields) <= used


def test_PS_9_ps_letters_are_signed_by_the_ps_case_manager_others_by_the_agency():
    signatories = dict(LetterTemplate.objects.values_list("code", "signatory"))
    assert {signatories[c] for c in ("UQ140.00", "UQ140.01", "UQ140.02")} == {"ps_case_manager"}
    assert {signatories[c] for c in ("MX0-1", "MX1-1", "DEC-1")} == {"agency"}


def test_CON_2_mx0_1_is_only_for_overseas_customers():
    assert letter_template("MX0-1").preconditions == ["overseas-customer"]


def test_CON_4_mx1_1_has_pre_approved_reasons_and_a_response_time_per_request_type():
    mx1 = letter_template("MX1-1")
    specs = {s.name: s for s in field_specs(mx1)}
    assert specs["reason"].kind == "choice" and len(specs["reason"].choices) >= 4
    assert specs["request_type"].kind == "choice"
    days = parameter(mx1.response_days_parameter)
    assert set(specs["request_type"].choices) == set(days)
    assert all(isinstance(d, int) and d > 0 for d in days.values())
    assert "employer-notices-complied" in mx1.preconditions
    assert requests_response(mx1)


def test_CMA_7_only_the_decision_letter_is_decision_advice():
    advice = set(
        LetterTemplate.objects.filter(is_decision_advice=True).values_list("code", flat=True)
    )
    assert advice == {"DEC-1"}


def test_ps_9_confirmation_letter_takes_a_real_date():
    specs = {s.name: s.kind for s in field_specs(letter_template("UQ140.01"))}
    assert specs == {"call_date": "date", "agreed_actions": "text"}


def test_CON_4_letters_that_ask_for_a_reply_print_the_reply_by_date():
    for template in LetterTemplate.objects.filter(active=True):
        if requests_response(template):
            assert "response_due" in body_names(template), template.code
