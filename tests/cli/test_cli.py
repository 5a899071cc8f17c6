"""The `cma` command: installed entry point, `--help` on every command and subcommand,
and no default accounts after `migrate` (AUTH-5)."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command, load_command_class

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "cma"
CMA = Path(sys.executable).parent / "cma"


def _our_commands() -> list[tuple[str, str]]:
    """(app, command) for every management command in src/cma/*/management/commands."""
    found = []
    for path in sorted(SRC.glob("*/management/commands/*.py")):
        if not path.name.startswith("_"):
            found.append((f"cma.{path.parts[-4]}", path.stem))
    return found


def _help_paths(parser: argparse.ArgumentParser, prefix: list[str]) -> list[list[str]]:
    """Every command line whose --help should work: the command and each subcommand."""
    paths = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths += _help_paths(sub, [*prefix, name])
    return paths


def _all_help_lines() -> list[list[str]]:
    lines = []
    for app, name in _our_commands():
        command = load_command_class(app, name)
        lines += _help_paths(command.create_parser("cma", name), [name])
    return lines


def test_the_foundation_commands_are_found():
    names = {name for _, name in _our_commands()}
    assert {"policy", "audit", "import", "demo", "staff"} <= names


@pytest.mark.parametrize("argv", _all_help_lines(), ids=" ".join)
def test_every_command_and_subcommand_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["cma", *argv, "--help"]).execute()
    assert exit_info.value.code in (0, None)
    out = capsys.readouterr().out
    assert out.startswith("usage: ")
    assert argv[-1] in out


def _cma(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cma.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    return subprocess.run(
        [str(CMA), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_installed_cma_help_lists_our_commands(tmp_path):
    proc = _cma("--help", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for _, name in _our_commands():
        assert f"    {name}\n" in proc.stdout, name


def test_installed_cma_subcommand_help(tmp_path):
    proc = _cma("staff", "token", "issue", "--help", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "--customer-facing" in proc.stdout


def test_unknown_subcommand_exits_nonzero(tmp_path):
    proc = _cma("policy", "explode", tmp_path=tmp_path)
    assert proc.returncode != 0
    assert "invalid choice" in proc.stderr


def test_AUTH_5_migrate_on_an_empty_database_creates_no_users(tmp_path):
    """A fresh database file after `migrate` (and `policy load`) has no accounts at all."""
    proc = _cma("migrate", "--noinput", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = _cma("policy", "load", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    check = _cma(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as g; print(g().objects.count())",
        tmp_path=tmp_path,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip().splitlines()[-1] == "0"


@pytest.mark.django_db
def test_AUTH_5_test_database_after_migrations_has_no_users():
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.count() == 0
    call_command("policy", "load")
    assert get_user_model().objects.count() == 0
