"""`cma letters issue`: batch issue with a progress bar, all-or-nothing per letter,
a summary of failures and a non-zero exit if any failed (CON-4)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cma.letters.models import Letter
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MX1 = ["--template", "MX1-1", "--as", "olivia"]
MX1_FIELDS = ["--field", "reason=income-details", "--field", "request_type=contact-request"]


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("letters", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def test_CON_4_batch_issues_each_letter_or_reports_why_not(tmp_path, officer, customer):
    no_address = CustomerFactory(address_line="")
    path = tmp_path / "customers.txt"
    path.write_text(f"# MX1-1 run\n{customer.crn}\n\nZZZ000000Z\n{no_address.crn}\n")
    out, error = _run(
        "issue", *MX1, "--customers", str(path), *MX1_FIELDS,
        "--employer-notice-outstanding", "no",
    )  # fmt: skip
    assert error == "2 of 3 letters were not issued"
    assert "issued 1 of 3 MX1-1 letters" in out
    assert "customers.txt:4: ZZZ000000Z: no customer with that reference number" in out
    assert f"customers.txt:5: {no_address.crn}: MX1-1 cannot be issued" in out
    assert list(Letter.objects.values_list("customer_id", flat=True)) == [customer.pk]


def test_CON_4_csv_rows_carry_their_own_fields_and_employer_answer(tmp_path, officer, customer):
    refused = CustomerFactory()
    path = tmp_path / "run.csv"
    path.write_text(
        "crn,reason,employer_notice_outstanding\n"
        f"{customer.crn},payments-behind,no\n"
        f"{refused.crn},income-details,yes\n"
    )
    out, error = _run(
        "issue", *MX1, "--customers", str(path), "--field", "request_type=payment-arrangement"
    )
    assert error == "1 of 2 letters were not issued"
    assert "employer has not complied" in out
    letter = Letter.objects.get()
    assert letter.fields == {"reason": "payments-behind", "request_type": "payment-arrangement"}


def test_a_clean_batch_exits_zero(tmp_path, officer, customer):
    path = tmp_path / "one.txt"
    path.write_text(customer.crn + "\n")
    out, error = _run(
        "issue", "--template", "DEC-1", "--as", "olivia", "--customers", str(path),
        "--field", "decision_summary=Your rate is unchanged.",
        "--field", "review_options=You can ask for a review within 28 days.",
    )  # fmt: skip
    assert error is None and "issued 1 of 1 DEC-1 letters" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--template", "NOPE", "--as", "olivia"], "--template NOPE: unknown letter template"),
        (["--template", "DEC-1", "--as", "nobody"], "--as nobody: no active staff member"),
    ],
)
def test_bad_arguments_fail_before_anything_is_issued(tmp_path, officer, customer, args, message):
    path = tmp_path / "one.txt"
    path.write_text(customer.crn + "\n")
    _, error = _run("issue", *args, "--customers", str(path))
    assert error.startswith(message)
    assert not Letter.objects.exists()


def test_missing_or_empty_customer_file_is_refused(tmp_path, officer):
    _, error = _run("issue", *MX1, "--customers", str(tmp_path / "absent.txt"))
    assert error.endswith("no such file")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    _, error = _run("issue", *MX1, "--customers", str(empty))
    assert error.endswith("no customers listed")


def test_templates_and_verify_subcommands(officer, customer):
    out, error = _run("templates")
    assert error is None and "MX1-1" in out and "UQ140.02" in out
    out, error = _run("verify")
    assert error is None and "every stored letter matches its checksum" in out
