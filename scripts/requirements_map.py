#!/usr/bin/env python3
"""Write docs/requirements.md: every requirement ID of DOMAIN.md -> the tests naming it.

A test names a requirement when its name, its docstring, a comment or decorator inside it,
or the docstring of its class mentions the ID, written `WRK-3` or `WRK_3`.

    python scripts/requirements_map.py [--domain ../shared/DOMAIN.md] [--check]

DOMAIN.md lives beside the project (../shared/). Without it, the IDs and titles already
in docs/requirements.md are reused, so the map can be refreshed from any clone.
`--check` exits 1 if the file on disk is not what would be written.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOMAIN = ROOT.parent / "shared" / "DOMAIN.md"
OUTPUT = ROOT / "docs" / "requirements.md"
TESTS = ROOT / "tests"

_BULLET = re.compile(r"^- \*\*([A-Z]+-\d+)(?: ([^*]+?))?\*\*\s*(.*)$")
_ROW = re.compile(r"^\| (?:\[)?([A-Z]+-\d+)(?:\]\([^)]*\))? \| (.*?) \| .*\|$")


def _short(text: str, limit: int = 80) -> str:
    """The first sentence, without markdown emphasis, at most `limit` characters."""
    text = re.sub(r"\*+", "", text).strip()
    guarded = re.sub(r"\b(e\.g|i\.e|incl|etc)\.", lambda m: m.group(0).replace(".", "\0"), text)
    first = guarded
    for boundary in re.finditer(r"\.(?:\s|$)|;\s|:\s", guarded):
        head = guarded[: boundary.start()]
        if len(head.split()) >= 2:  # "Messages: professional templates only" keeps going
            first = head
            break
    first = first.replace("\0", ".").strip().rstrip(".")
    return first if len(first) <= limit else first[: limit - 1].rstrip(" ,(") + "…"


def requirements_from_domain(path: Path) -> list[tuple[str, str, str]]:
    """(id, short title, section) in document order."""
    found: list[tuple[str, str, str]] = []
    section, current = "", None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        match = _BULLET.match(line.strip())
        if current and (match or not line.startswith("  ") or not line.strip()):
            ident, title, rest = current
            if not title:
                title = _short(rest)
            elif len(title.split()) < 2:  # "PS-7 Contact": say what about it
                title = title.strip().rstrip(".:")
                title = f"{title} - {_short(rest.lstrip(':; '), 78 - len(title))}"
            else:
                title = _short(title)
            found.append((ident, title, section))
            current = None
        if line.startswith("## "):
            section = re.sub(r"^##\s+(\d+\.\s+)?", "", line).strip()
        elif match:
            current = list(match.groups())
            current[2] = current[2] or ""
        elif current:
            current[2] += " " + line.strip()
    return found


def requirements_from_previous(path: Path) -> list[tuple[str, str, str]]:
    found = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _ROW.match(line)
            if match:
                found.append((match.group(1), match.group(2), ""))
    return found


def _comments(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string
    return out


def _tests_in(path: Path, base: Path = ROOT) -> list[tuple[str, str]]:
    """(node id, text that may name requirements) for every test function in a file."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    comments = _comments(source)
    lines = source.splitlines()
    rel = path.relative_to(base).as_posix()
    found = []

    def visit(node: ast.AST, prefix: str, inherited: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef) and child.name.startswith("Test"):
                visit(
                    child, f"{prefix}{child.name}::", inherited + (ast.get_docstring(child) or "")
                )
            elif isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef)
            ) and child.name.startswith("test"):
                first = min([d.lineno for d in child.decorator_list] + [child.lineno])
                span = range(first, (child.end_lineno or child.lineno) + 1)
                text = " ".join(
                    [
                        child.name,
                        ast.get_docstring(child) or "",
                        inherited,
                        *(comments[n] for n in span if n in comments),
                        *(lines[n - 1] for n in range(first, child.lineno)),  # decorators
                    ]
                )
                found.append((f"{rel}::{prefix}{child.name}", text))

    visit(tree, "", "")
    return found


def map_tests(ids: list[str], tests_dir: Path = TESTS) -> dict[str, list[str]]:
    prefixes = sorted({i.split("-")[0] for i in ids})
    pattern = re.compile(rf"(?<![A-Za-z0-9])({'|'.join(prefixes)})[-_](\d+)(?!\d)")
    known = set(ids)
    mapping: dict[str, list[str]] = {i: [] for i in ids}
    for path in sorted(tests_dir.rglob("test_*.py")):
        for node_id, text in _tests_in(path, tests_dir.parent):
            for prefix, number in sorted(set(pattern.findall(text))):
                ident = f"{prefix}-{number}"
                if ident in known and node_id not in mapping[ident]:
                    mapping[ident].append(node_id)
    return mapping


def render(reqs: list[tuple[str, str, str]], mapping: dict[str, list[str]]) -> str:
    covered = sum(1 for ident, _, _ in reqs if mapping[ident])
    out = [
        "# Requirements → tests",
        "",
        "Generated by `make requirements` (`scripts/requirements_map.py`) from the requirement",
        "IDs in `../shared/DOMAIN.md` and the tests under `tests/` that name them (in the test's",
        "name, docstring or comments, as `WRK-3` or `WRK_3`). Do not edit by hand.",
        "",
        f"**{covered} of {len(reqs)} requirements are named by at least one test.** "
        "An empty cell is a requirement that a later issue covers.",
        "",
        "| ID | Requirement | Tests |",
        "|---|---|---|",
    ]
    for ident, title, _ in reqs:
        tests = "<br>".join(f"`{t}`" for t in mapping[ident])
        out.append(f"| {ident} | {title.replace('|', '/')} | {tests} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=Path, default=DEFAULT_DOMAIN)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--tests", type=Path, default=TESTS)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)

    if args.domain.exists():
        reqs = requirements_from_domain(args.domain)
    else:
        reqs = requirements_from_previous(args.output)
        print(f"{args.domain} not found; reusing the IDs in {args.output}", file=sys.stderr)
    if not reqs:
        print("no requirement IDs found", file=sys.stderr)
        return 1
    text = render(reqs, map_tests([r[0] for r in reqs], args.tests))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run `make requirements`", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    mapping_lines = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    print(f"wrote {args.output}: {len(mapping_lines)}/{len(reqs)} requirements named by tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
