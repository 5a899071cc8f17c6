"""FILE-3: `cma import` refuses formula-looking cells, `..` paths and symbolic links,
each with one clear line and nothing written."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cma.customers.imports import import_rows
from tests.customers.test_imports import GOOD_CSV, HEADER, _rejected, _state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_FILE_3_a_formula_looking_name_is_refused_with_line_and_column(start):
    cell = f'"{start}HYPERLINK(""http://evil"")"'
    error = _rejected(f"{HEADER}\n100000001A,{cell},Nguyen,1985-03-14,payer,NSW,AU,,\n")
    # csv counts a CR inside quotes as a line end, so the row is reported where it ends.
    assert [d["field"] for d in error.details] == ["given_names"]
    assert error.details[0]["line"] == (3 if start == "\r" else 2)
    assert "formula" in error.details[0]["message"]


def test_FILE_3_formula_in_jsonl_and_in_a_list_column_is_refused():
    import json

    row = {
        "crn": "100000001A",
        "given_names": "Mia",
        "family_name": "@SUM(1+1)",
        "date_of_birth": "1985-03-14",
        "role": "payer",
        "state": "NSW",
    }
    error = _rejected(json.dumps(row) + "\n", fmt="jsonl")
    assert [d["field"] for d in error.details] == ["family_name"]


def test_FILE_3_phone_numbers_may_start_with_plus_and_amounts_with_a_sign():
    """Per column: "+" starts an E.164 phone number (GOOD_CSV has two); amounts are
    numbers, so "-" reaches their own bound ("greater than or equal to 0"), not the
    formula rule; "=" in a phone column is still refused as a formula."""
    assert import_rows(kind="customers", data=GOOD_CSV.encode(), fmt="csv", actor=None) == 4
    error = _rejected(f"{HEADER}\n100000009A,Mia,Nguyen,1985-03-14,payer,NSW,AU,=1+2,\n")
    assert error.details[0]["field"] == "mobile"
    assert "formula" in error.details[0]["message"]


def test_FILE_3_negative_amount_is_refused_by_its_bound_not_as_a_formula():
    from tests.factories import CaseFactory

    case = CaseFactory()
    error = _rejected(
        f"case_number,ongoing_liability,arrears,compliance_flags\n{case.case_number},-5,0,a;=b\n",
        kind="accounts",
    )
    messages = {d["field"]: d["message"] for d in error.details}
    assert "formula" not in messages["ongoing_liability"]
    assert "formula" in messages["compliance_flags"]


def test_FILE_3_dot_dot_paths_are_refused(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "feed.csv").write_text(GOOD_CSV)
    before = _state()
    with pytest.raises(CommandError, match=r"a path with '\.\.' is refused"):
        call_command("import", "customers", str(tmp_path / "in" / ".." / "feed.csv"))
    assert _state() == before


def test_FILE_3_a_symlinked_file_is_not_followed(tmp_path):
    link = tmp_path / "feed.csv"
    os.symlink("/etc/passwd", link)
    before = _state()
    with pytest.raises(CommandError, match="is a symbolic link"):
        call_command("import", "customers", str(link))
    assert _state() == before


def test_FILE_3_a_symlinked_parent_directory_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "feed.csv").write_text(GOOD_CSV)
    os.symlink(real, tmp_path / "via")
    before = _state()
    with pytest.raises(CommandError, match="via is a symbolic link"):
        call_command("import", "customers", str(tmp_path / "via" / "feed.csv"))
    assert _state() == before


def test_FILE_3_not_a_regular_file_and_outside_the_import_root(tmp_path, settings):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(CommandError, match="not a regular file"):
        call_command("import", "customers", str(tmp_path / "dir.csv"))
    settings.CMA_IMPORT_ROOT = str(tmp_path / "allowed")
    (tmp_path / "feed.csv").write_text(GOOD_CSV)
    with pytest.raises(CommandError, match="outside the import directory"):
        call_command("import", "customers", str(tmp_path / "feed.csv"))
