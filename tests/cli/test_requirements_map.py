"""scripts/requirements_map.py: DOMAIN.md IDs -> tests naming them."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rmap():
    spec = importlib.util.spec_from_file_location("rmap", ROOT / "scripts" / "requirements_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOMAIN = """# Domain
## 4. Work items

- **WRK-1** An intray is a unit of follow-up work on a customer (and optionally a
  case): a type, an owner.
- **WRK-3** Working days exclude weekends.
- **WRK-30** Thirty.

## 8. Cross-cutting
- **AUD-1 Audit everything.** Every read is audited.
"""

TESTS = '''
import pytest


def test_WRK_3_by_name():
    pass


def test_by_docstring():
    """Proves AUD-1."""


@pytest.mark.parametrize("x", [1])  # WRK-1 in a decorator comment
def test_by_comment(x):
    value = 1  # also WRK_30 here
    assert value


def test_unrelated_WRK_300_and_XYZ_1():
    pass


class TestGroup:
    """WRK-1 for the whole class."""

    def test_member(self):
        pass


def helper_WRK_3():
    pass
'''


def test_ids_and_titles_come_from_the_domain_file(rmap, tmp_path):
    domain = tmp_path / "DOMAIN.md"
    domain.write_text(DOMAIN)
    reqs = rmap.requirements_from_domain(domain)
    assert [(i, t) for i, t, _ in reqs] == [
        ("WRK-1", "An intray is a unit of follow-up work on a customer (and optionally a case)"),
        ("WRK-3", "Working days exclude weekends"),
        ("WRK-30", "Thirty"),
        ("AUD-1", "Audit everything"),
    ]


def test_tests_are_mapped_by_name_docstring_comment_and_class(rmap, tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_sample.py").write_text(TESTS)
    mapping = rmap.map_tests(["WRK-1", "WRK-3", "WRK-30", "AUD-1"], tests)
    names = {k: [n.rsplit("::", 1)[1] for n in v] for k, v in mapping.items()}
    assert names == {
        "WRK-1": ["test_by_comment", "test_member"],
        "WRK-3": ["test_WRK_3_by_name"],
        "WRK-30": ["test_by_comment"],
        "AUD-1": ["test_by_docstring"],
    }


def test_script_writes_every_id_with_empty_cells_allowed(rmap, tmp_path):
    domain = tmp_path / "DOMAIN.md"
    domain.write_text(DOMAIN)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_sample.py").write_text("def test_WRK_3_only():\n    pass\n")
    out = tmp_path / "requirements.md"
    args = ["--domain", str(domain), "--tests", str(tests), "--output", str(out)]
    assert rmap.main(args) == 0
    text = out.read_text()
    assert "| WRK-1 | An intray is a unit of follow-up work" in text
    assert "| AUD-1 | Audit everything |  |" in text
    assert "`" in text.split("| WRK-3 |")[1].split("\n")[0]
    assert "**1 of 4 requirements" in text
    assert rmap.main([*args, "--check"]) == 0
    out.write_text(text + "stale\n")
    assert rmap.main([*args, "--check"]) == 1
    # Without DOMAIN.md the IDs already in the output are reused.
    out.write_text(text)
    assert (
        rmap.main(
            ["--domain", str(tmp_path / "absent.md"), "--tests", str(tests), "--output", str(out)]
        )
        == 0
    )
    assert out.read_text() == text


def test_the_committed_map_lists_every_domain_id(rmap):
    text = (ROOT / "docs" / "requirements.md").read_text()
    for ident in ("CMA-1", "WRK-3", "AUD-1", "SEC-1", "REP-1", "PS-20"):
        assert f"| {ident} |" in text
    assert "`" in text.split("| WRK-3 |")[1].split("\n")[0]
    assert "`" in text.split("| AUD-1 |")[1].split("\n")[0]
