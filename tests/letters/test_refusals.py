"""Bad input is refused with every problem named at once, audited, and nothing is
issued (CON-2, CON-4, PS-9, VAL-1)."""

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.errors import NotFound, PermissionDenied
from cma.letters import services
from cma.letters.errors import LetterRefused
from cma.letters.models import Letter
from cma.work.models import Intray

from .conftest import letter_kwargs

pytestmark = pytest.mark.django_db


def _codes(exc) -> list[str]:
    return [d["code"] for d in exc.value.details]


def _refused(kwargs) -> pytest.ExceptionInfo:
    letters, intrays = Letter.objects.count(), Intray.objects.count()
    with pytest.raises(LetterRefused) as exc:
        services.issue_letter(**kwargs)
    assert (Letter.objects.count(), Intray.objects.count()) == (letters, intrays)
    return exc


def test_VAL_1_missing_required_fields_are_listed_all_at_once(officer, customer):
    exc = _refused(letter_kwargs("DEC-1", customer, officer, fields={}))
    assert _codes(exc) == ["missing-field", "missing-field"]
    assert {d["field"] for d in exc.value.details} == {"decision_summary", "review_options"}
    assert "Decision summary is required" in exc.value.message
    assert exc.value.http_status == 422


def test_VAL_1_blank_unknown_and_badly_shaped_fields_are_refused_together(officer, customer):
    fields = {"reason": "not-a-reason", "request_type": "  ", "colour": "blue"}
    exc = _refused(letter_kwargs("MX1-1", customer, officer, fields=fields))
    assert sorted(_codes(exc)) == ["invalid-choice", "missing-field", "unknown-field"]


@pytest.mark.parametrize(
    ("value", "code"),
    [("3rd of November", "invalid-date"), ("2026-02-30", "invalid-date")],
)
def test_VAL_1_dates_must_be_real_iso_dates(ps_case_manager, customer, value, code):
    fields = {"call_date": value, "agreed_actions": "Send payslips."}
    exc = _refused(letter_kwargs("UQ140.01", customer, ps_case_manager, fields=fields))
    assert _codes(exc) == [code]


def test_VAL_1_control_characters_and_overlong_text_are_refused(officer, customer):
    fields = {"decision_summary": "a\x00b", "review_options": "x" * 2001}
    exc = _refused(letter_kwargs("DEC-1", customer, officer, fields=fields))
    assert sorted(_codes(exc)) == ["field-too-long", "invalid-field"]


def test_unknown_template_is_not_found_and_the_refusal_is_audited(officer, customer):
    with pytest.raises(NotFound) as exc:
        services.issue_letter(**letter_kwargs("DEC-1", customer, officer, template_code="ZZ9"))
    assert exc.value.code == "unknown-template"
    row = AuditRecord.objects.order_by("-id").first()
    assert (row.action, row.outcome, row.customer_id) == (
        "letters.letter.issued",
        Outcome.REFUSED,
        customer.pk,
    )
    assert not Letter.objects.exists()


def test_customer_with_no_postal_address_is_refused(officer, customer):
    customer.address_line = ""
    customer.save(update_fields=["address_line"])
    exc = _refused(letter_kwargs("DEC-1", customer, officer))
    assert _codes(exc) == ["no-postal-address"]


def test_CON_2_mx0_1_is_refused_for_a_customer_in_australia(officer, customer):
    exc = _refused(letter_kwargs("MX0-1", customer, officer))
    assert _codes(exc) == ["not-overseas"]
    assert "CON-2" in exc.value.message


def test_CON_2_mx0_1_is_accepted_for_an_overseas_customer(officer, overseas_customer):
    draft = services.preview_letter(**letter_kwargs("MX0-1", overseas_customer, officer))
    assert draft.data["address_lines"][-1] == "NEW ZEALAND"
    assert draft.response_due_on is None


def test_CON_4_mx1_1_is_never_issued_while_an_employer_has_not_complied(officer, customer):
    kwargs = letter_kwargs("MX1-1", customer, officer, employer_notice_outstanding=True)
    exc = _refused(kwargs)
    assert _codes(exc) == ["employer-notice-outstanding"]
    assert exc.value.details[0]["field"] == "employer_notice_outstanding"


def test_CON_4_mx1_1_needs_an_explicit_answer_about_employer_notices(officer, customer):
    exc = _refused(letter_kwargs("MX1-1", customer, officer, employer_notice_outstanding=None))
    assert _codes(exc) == ["employer-notice-unanswered"]


def test_PS_9_only_a_ps_case_manager_issues_ps_letters(officer, customer):
    exc = _refused(letter_kwargs("UQ140.00", customer, officer))
    assert _codes(exc) == ["ps-case-manager-only"]


def test_every_problem_is_reported_in_one_refusal(officer, customer):
    customer.postcode = ""
    customer.save(update_fields=["postcode"])
    kwargs = letter_kwargs("MX1-1", customer, officer, fields={}, employer_notice_outstanding=True)
    exc = _refused(kwargs)
    assert sorted(_codes(exc)) == [
        "employer-notice-outstanding",
        "missing-field",
        "missing-field",
        "no-postal-address",
    ]


def test_VAL_1_refusal_audit_names_codes_not_values(officer, customer):
    fields = {"decision_summary": "Jamie owes 123 Secret Street", "review_options": ""}
    _refused(letter_kwargs("DEC-1", customer, officer, fields=fields))
    row = AuditRecord.objects.filter(action="letters.letter.issued").get()
    assert row.outcome == Outcome.REFUSED
    assert row.changes == {"problems": ["missing-field"]}
    assert "Secret" not in f"{row.reason} {row.changes}"


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_SEC_1_auditors_and_administrators_cannot_write_letters(request, persona, customer):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.issue_letter(**letter_kwargs("DEC-1", customer, user))
    assert AuditRecord.objects.filter(outcome=Outcome.REFUSED, actor_id=user.pk).exists()
