"""Finance-system feeds: every row checked first, all bad rows reported with their line
numbers, nothing written unless every row is good (VAL-1, FILE-3)."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max

from cma.audit.models import AuditRecord
from cma.customers.imports import ImportRejected, import_rows
from cma.customers.models import AccountSummary, ContactDetail, Customer, agency_today
from tests.factories import AccountSummaryFactory, CaseFactory, CustomerFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = "crn,given_names,family_name,date_of_birth,role,state,country,mobile,international"
GOOD_CSV = (
    HEADER
    + "\n"
    + "\n".join(
        [
            "100000001A,Mia,Nguyen,1985-03-14,payer,NSW,AU,0491 570 156,",
            "100000002B,Jack,Smith,1990-07-01,payee,vic,AU,,",
            "100000003C,Aroha,Ngata,1979-12-31,payer,,NZ,,+64 21 555 0123",
            "100000004D,Isla,Christian,1982-05-05,payee,,NF,,+672 3 50123",
        ]
    )
    + "\n"
)


def _state() -> tuple[int, int, int | None]:
    """Row counts and the audit head: all must be unchanged by a refused import."""
    return (
        Customer.objects.count(),
        ContactDetail.objects.count(),
        AuditRecord.objects.aggregate(m=Max("id"))["m"],
    )


def _rejected(data: bytes | str, fmt: str = "csv", kind: str = "customers") -> ImportRejected:
    raw = data.encode() if isinstance(data, str) else data
    before = _state()
    with pytest.raises(ImportRejected) as info:
        import_rows(kind=kind, data=raw, fmt=fmt, actor=None)
    assert _state() == before, "a refused import must write nothing"
    return info.value


def _lines(error: ImportRejected) -> dict[int, list[tuple[str | None, str]]]:
    out: dict[int, list] = {}
    for d in error.details:
        out.setdefault(d["line"], []).append((d["field"], d["message"]))
    return out


# --- good files -------------------------------------------------------------------------


def test_good_csv_imports_every_row(officer):
    count = import_rows(kind="customers", data=GOOD_CSV.encode(), fmt="csv", actor=officer)
    assert count == 4
    mia = Customer.objects.get(crn="100000001A")
    assert (mia.given_names, mia.state, mia.country) == ("Mia", "NSW", "AU")
    assert list(mia.phones.values_list("kind", "number")) == [("mobile", "+61491570156")]
    assert Customer.objects.get(crn="100000002B").state == "VIC"
    aroha = Customer.objects.get(crn="100000003C")
    assert aroha.is_overseas and aroha.state == ""
    row = AuditRecord.objects.order_by("-id").first()
    assert (row.action, row.actor_id, row.changes["rows"]) == (
        "customers.customers.imported",
        officer.pk,
        4,
    )


def test_CON_13_norfolk_island_import_sets_the_remote_indicator():
    """CON-13: a Norfolk Island number (+672 3) carries the remote indicator."""
    import_rows(kind="customers", data=GOOD_CSV.encode(), fmt="csv", actor=None)
    isla = Customer.objects.get(crn="100000004D")
    assert isla.is_remote
    assert isla.phones.get().number == "+672350123"
    assert not Customer.objects.get(crn="100000001A").is_remote


def test_good_jsonl_imports_and_reimport_updates_in_place():
    rows = [
        {
            "crn": "200000001A",
            "given_names": "Ruby",
            "family_name": "Lee",
            "date_of_birth": "1988-02-29",
            "role": "carer",
            "state": "QLD",
            "mobile": "0412 345 678",
            "interpreter_language": "Vietnamese",
            "relay_need": "tty",
            "is_remote": True,
        },
        {
            "crn": "200000002B",
            "given_names": "Leo",
            "family_name": "Park",
            "date_of_birth": "1975-10-10",
            "role": "payer",
            "state": "WA",
        },
    ]
    data = "\n".join(json.dumps(r) for r in rows) + "\n\n"
    assert import_rows(kind="customers", data=data.encode(), fmt="jsonl", actor=None) == 2
    ruby = Customer.objects.get(crn="200000001A")
    assert (ruby.role, ruby.interpreter_language, ruby.relay_need) == ("carer", "Vietnamese", "tty")
    rows[0]["family_name"] = "Lee-Smith"
    rows[0]["mobile"] = "0412 999 888"
    data = "\n".join(json.dumps(r) for r in rows)
    import_rows(kind="customers", data=data.encode(), fmt="jsonl", actor=None)
    assert Customer.objects.count() == 2
    ruby.refresh_from_db()
    assert ruby.family_name == "Lee-Smith"
    assert list(ruby.phones.values_list("number", flat=True)) == ["+61412999888"]


def test_csv_with_byte_order_mark_imports():
    data = b"\xef\xbb\xbf" + GOOD_CSV.encode()
    assert import_rows(kind="customers", data=data, fmt="csv", actor=None) == 4


def test_csv_with_windows_line_endings_imports():
    data = GOOD_CSV.replace("\n", "\r\n").encode()
    assert import_rows(kind="customers", data=data, fmt="csv", actor=None) == 4


# --- bad files ---------------------------------------------------------------------------


def test_several_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_imported():
    CustomerFactory(crn="999999999Z")
    future = (agency_today() + timedelta(days=1)).isoformat()
    csv_text = "\n".join(
        [
            HEADER,
            "300000001A,Good,Row,1980-01-01,payer,NSW,AU,,",  # line 2 fine
            "300000002B,Bad,Date,2023-02-30,payer,NSW,AU,,",  # 3 impossible date
            f"300000003C,Not,Born,{future},payee,NSW,AU,,",  # 4 future DOB
            "300000004D,No,State,1980-01-01,payer,,AU,,",  # 5 Australian without state
            "300000001A,Dup,Crn,1980-01-01,payer,NSW,AU,,",  # 6 duplicate of line 2
            "30000005E,Short,Crn,1980-01-01,boss,XX,AU,12,",  # 7 crn, role, state, phone
            "300000006F,Good,Too,1981-01-01,payee,SA,AU,,",  # 8 fine
        ]
    )
    error = _rejected(csv_text)
    lines = _lines(error)
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert lines[3][0][0] == "date_of_birth"
    assert "date" in lines[3][0][1]
    assert lines[4] == [("date_of_birth", "date of birth must be a past date after 1900")]
    assert lines[5] == [("state", "state is required for a customer living in Australia")]
    assert lines[6] == [("crn", "duplicate of line 2")]
    assert {f for f, _ in lines[7]} == {"crn", "role", "state", "mobile"}
    assert "5 row(s)" in error.message and "nothing was imported" in error.message
    assert not Customer.objects.filter(crn="300000001A").exists()


def test_non_utf8_file_is_refused_with_its_line():
    text = HEADER + "\n300000001A,Zoë,Brown,1980-01-01,payer,NSW,AU,,\n"
    error = _rejected(text.encode("latin-1"))
    assert error.field == "file"
    assert error.message.startswith("line 2: file is not UTF-8")


def test_unknown_and_missing_columns_are_reported_against_the_header():
    csv_text = "crn,given_names,family_name,role,state,shoe_size\n300000001A,A,B,payer,NSW,9\n"
    error = _rejected(csv_text)
    assert error.message.startswith("line 1:")
    assert {(d["field"], d["message"]) for d in error.details} == {
        ("shoe_size", "unknown column"),
        ("date_of_birth", "required column is missing"),
    }


def test_unknown_field_in_jsonl_is_named():
    row = {
        "crn": "300000001A",
        "given_names": "A",
        "family_name": "B",
        "date_of_birth": "1980-01-01",
        "role": "payer",
        "state": "NSW",
        "is_admin": True,
    }
    assert _lines(_rejected(json.dumps(row), "jsonl")) == {1: [("is_admin", "unknown field")]}


def test_wrong_types_in_jsonl_are_each_named():
    good = {
        "crn": "300000001A",
        "given_names": "A",
        "family_name": "B",
        "date_of_birth": "1980-01-01",
        "role": "payer",
        "state": "NSW",
    }
    rows = [
        {**good, "crn": 300000001},  # number instead of text
        {**good, "crn": "300000002B", "date_of_birth": 19800101},  # number, not a date
        {**good, "crn": "300000003C", "is_remote": "maybe"},
        {**good, "crn": "300000004D", "given_names": ["A"]},
        "not json at all",
        [1, 2, 3],
    ]
    data = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows)
    lines = _lines(_rejected(data, "jsonl"))
    assert lines[1][0][0] == "crn"
    assert lines[2] == [("date_of_birth", "must be a date written YYYY-MM-DD")]
    assert lines[3][0][0] == "is_remote"
    assert lines[4][0][0] == "given_names"
    assert lines[5][0][1].startswith("not valid JSON")
    assert lines[6] == [(None, "not an object")]


def test_extra_values_in_a_csv_row():
    csv_text = HEADER + "\n300000001A,A,B,1980-01-01,payer,NSW,AU,,,surplus\n"
    assert _lines(_rejected(csv_text)) == {2: [(None, "more values than header columns")]}


def test_nul_and_control_characters_are_refused():
    """PostgreSQL cannot store NUL in text: the row is refused, not a server error."""
    csv_text = (
        HEADER
        + "\n300000001A,A\x00,B,1980-01-01,payer,NSW,AU,,\n"
        + '300000002B,A,"B\x1b[31m",1980-01-01,payer,NSW,AU,,\n'
    )
    assert _lines(_rejected(csv_text)) == {
        2: [("given_names", "contains a control character")],
        3: [("family_name", "contains a control character")],
    }


def test_header_only_and_empty_files_are_refused():
    assert _rejected(HEADER + "\n").message == "the file has no rows"
    assert _rejected(b"").message == "the file has no header row"
    assert _rejected(b"\n\n", "jsonl").message == "the file has no rows"


def test_file_too_large_is_refused(settings):
    settings.CMA_MAX_IMPORT_BYTES = 100
    assert "larger than 100 bytes" in _rejected(GOOD_CSV).message


def test_too_many_rows_are_refused(settings):
    settings.CMA_MAX_IMPORT_ROWS = 3
    assert "more than 3 rows" in _rejected(GOOD_CSV).message


def test_unknown_format_and_kind():
    assert _rejected(GOOD_CSV, fmt="xlsx").field == "format"
    assert _rejected(GOOD_CSV, kind="children").field == "kind"


# --- accounts ----------------------------------------------------------------------------


def test_accounts_import_against_existing_cases():
    case = CaseFactory(case_number="C1234567")
    existing = AccountSummaryFactory(case=CaseFactory(case_number="C7654321"), arrears=10)
    csv_text = (
        "case_number,ongoing_liability,arrears,last_payment_date,payment_arrangement,"
        "compliance_flags,dpo_recorded\n"
        "C1234567,450.50,0,2026-10-01,active,late payments; non-lodgement,false\n"
        "C7654321,100,25000.00,,defaulted,,true\n"
    )
    assert import_rows(kind="accounts", data=csv_text.encode(), fmt="csv", actor=None) == 2
    account = case.account
    assert account.ongoing_liability == Decimal("450.50")
    assert account.compliance_flags == ["late payments", "non-lodgement"]
    existing.refresh_from_db()
    assert (existing.arrears, existing.dpo_recorded, existing.payment_arrangement) == (
        Decimal("25000.00"),
        True,
        "defaulted",
    )
    assert AccountSummary.objects.count() == 2


def test_accounts_for_unknown_cases_and_bad_amounts_import_nothing():
    CaseFactory(case_number="C1234567")
    rows = [
        {"case_number": "C1234567", "ongoing_liability": "10", "arrears": "0"},
        {"case_number": "C0000000", "ongoing_liability": "10", "arrears": "0"},
        {"case_number": "C1234567", "ongoing_liability": "10", "arrears": "5"},
        {"case_number": "C1234568", "ongoing_liability": "1.234", "arrears": "0"},
        {"case_number": "C1234569", "ongoing_liability": "10", "arrears": "-5"},
    ]
    data = "\n".join(json.dumps(r) for r in rows)
    before = AccountSummary.objects.count()
    with pytest.raises(ImportRejected) as info:
        import_rows(kind="accounts", data=data.encode(), fmt="jsonl", actor=None)
    lines = _lines(info.value)
    assert lines[2] == [("case_number", "no such case")]
    assert lines[3] == [("case_number", "duplicate of line 1")]
    assert lines[4][0][0] == "ongoing_liability"
    assert lines[5][0][0] == "arrears"
    assert AccountSummary.objects.count() == before


# --- the command ---------------------------------------------------------------------------


def test_import_command_prints_a_summary(tmp_path, capsys):
    path = tmp_path / "feed.csv"
    path.write_text(GOOD_CSV)
    call_command("import", "customers", str(path))
    assert f"imported 4 customers rows from {path}" in capsys.readouterr().out
    assert Customer.objects.count() == 4
    assert AuditRecord.objects.filter(action="customers.customers.imported").count() == 1


def test_import_command_lists_every_bad_row_then_fails(tmp_path, capsys):
    path = tmp_path / "feed.csv"
    path.write_text(HEADER + "\nX,A,B,1980-01-01,payer,NSW,AU,,\nY,A,B,2023-02-30,payer,NSW,AU,,\n")
    before = _state()
    with pytest.raises(CommandError, match=r"feed\.csv: .*nothing was imported"):
        call_command("import", "customers", str(path))
    err = capsys.readouterr().err.splitlines()
    assert f"{path}:2: crn: " in err[0]
    assert any(line.startswith(f"{path}:3: date_of_birth:") for line in err)
    assert _state() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("feed.txt", "x", "the file name must end in .csv or .jsonl"),
        ("missing.csv", None, "no such file"),
    ],
)
def test_import_command_refuses_bad_paths(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import", "customers", str(path))


def test_cma_import_exits_nonzero_with_one_clear_line(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes((HEADER + "\n300000001A,Zoë,B,1980-01-01,payer,NSW,AU,,\n").encode("cp1252"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cma.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "cma"), "import", "customers", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"CommandError: {path}: line 2: file is not UTF-8 text (byte 95); save it as UTF-8"
    ]


def test_PS_6_cma_import_accounts_fills_the_segment_indicator_columns(tmp_path, capsys):
    """PS-6: the account-summary feed carries the indicators the segment suggestion
    reads (step 3 complaints, compensation or waiver applications, privacy-breach
    claims); `cma import accounts` fills them, and a bad count is refused by line."""
    case = CaseFactory(case_number="C2345678")
    path = tmp_path / "accounts.csv"
    header = (
        "case_number,ongoing_liability,arrears,dpo_recorded,step3_complaints,"
        "compensation_waiver_applications,privacy_breach_claims\n"
    )
    path.write_text(header + "C2345678,120.00,0,true,2,1,3\n")
    call_command("import", "accounts", str(path))
    assert f"imported 1 accounts row from {path}" in capsys.readouterr().out
    account = AccountSummary.objects.get(case=case)
    assert (
        account.dpo_recorded,
        account.step3_complaints,
        account.compensation_waiver_applications,
        account.privacy_breach_claims,
    ) == (True, 2, 1, 3)
    bad = header + "C2345678,120.00,0,false,-1,x,1000\n"
    error = _rejected(bad, kind="accounts")
    (line, problems), *_ = _lines(error).items()
    assert line == 2  # the header is line 1
    fields = {field for field, _ in problems}
    assert fields == {
        "step3_complaints",
        "compensation_waiver_applications",
        "privacy_breach_claims",
    }
    account.refresh_from_db()
    assert account.step3_complaints == 2
