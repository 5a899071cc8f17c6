"""FILE-1, FILE-2: the CSV every export uses: RFC 4180, no cell a spreadsheet would
run, a name the server makes."""

import csv
import io
from datetime import UTC, datetime

import pytest

from cma.reporting.exports import csv_lines, file_name, safe_cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_FILE_2_a_cell_that_would_start_a_formula_is_made_text(start):
    assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


def test_FILE_2_nul_is_dropped_and_plain_cells_are_kept():
    assert safe_cell("\0=1") == "'=1"
    assert safe_cell("Sydney 2000") == "Sydney 2000"
    assert safe_cell(None) == "" and safe_cell(12) == "12"


def test_FILE_1_rows_are_rfc_4180_and_read_back_the_same():
    rows = [["a,b", 'say "hi"', "two\nlines"], [1, None, "-3"]]
    text = "".join(csv_lines(["x", "y", "z"], rows))
    assert text.endswith("\r\n") and '"say ""hi"""' in text
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [["x", "y", "z"], ["a,b", 'say "hi"', "two\nlines"], ["1", "", "'-3"]]


def test_FILE_1_the_file_name_is_made_by_the_server():
    at = datetime(2026, 12, 1, 3, 4, 5, tzinfo=UTC)
    name = file_name("../Audit trail\r\n", at)
    assert name.startswith("cma-audit-trail-2026120") and name.endswith(".csv")
    assert "/" not in name and "\n" not in name and " " not in name
