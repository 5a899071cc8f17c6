"""Policy as data (WRK-2): versioned YAML, validated, loaded idempotently."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from cma.policy import loader, services
from cma.policy.models import BusinessArea, IntrayType, LetterTemplate, Parameter, PolicyFile

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MODELS = [BusinessArea, IntrayType, Parameter, LetterTemplate, PolicyFile]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A writable copy of the shipped policy folder."""
    target = tmp_path / "policy"
    shutil.copytree(loader.DATA_DIR, target)
    return target


def _index(path: Path, field: str, value) -> int:
    """The position of the first entry whose `field` is `value`."""
    items = next(v for k, v in yaml.safe_load(path.read_text()).items() if k != "version")
    return next(i for i, item in enumerate(items) if item.get(field) == value)


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; return the 1-based line where `new` starts."""
    text = path.read_text()
    assert text.count(old) >= 1, old
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :])
    return text[:index].count("\n") + 1


# --- loading -------------------------------------------------------------------------


def test_load_is_idempotent():
    loader.load_all()  # the session already loaded once; this may add nothing
    before = _counts()
    files_before = list(PolicyFile.objects.order_by("id").values_list("id", "name", "sha256"))
    reports = loader.load_all()
    assert _counts() == before
    assert list(PolicyFile.objects.order_by("id").values_list("id", "name", "sha256")) == (
        files_before
    )
    assert {r.name for r in reports} == set(loader.FILES)
    assert not any(r.changed for r in reports)


def test_changed_file_is_recorded_as_a_new_version(data_dir):
    _edit(data_dir / "parameters.yaml", 'version: "2026.11.1"', 'version: "2026.12.1"')
    _edit(data_dir / "parameters.yaml", "value: 14\n", "value: 15\n")
    reports = {r.name: r for r in loader.load_all(data_dir)}
    assert reports["parameters"].changed and reports["parameters"].version == "2026.12.1"
    assert not reports["business_areas"].changed
    assert services.parameter("auto-unlock-days") == 15
    assert PolicyFile.objects.filter(name="parameters").count() == 2


def test_entry_removed_from_file_is_deactivated_not_deleted(data_dir):
    _edit(
        data_dir / "intray_types.yaml",
        "  - code: trip-exception\n    name: TRIP exception\n",
        "  - code: trip-exception-v2\n    name: TRIP exception\n",
    )
    loader.load_all(data_dir)
    assert IntrayType.objects.get(code="trip-exception").active is False
    assert IntrayType.objects.get(code="trip-exception-v2").active is True


def test_WRK_2_service_levels_come_from_policy_data():
    """WRK-2: intray types and their service levels in working days are data."""
    levels = dict(IntrayType.objects.values_list("name", "service_level_working_days"))
    assert levels["CRG Referral to PS"] == 2
    assert levels["PS Referral (TL only)"] == 2
    assert levels["Complaints referral to PS"] == 7
    assert levels["Customer Assigned to PS"] == 7
    for name in [
        "Add a child",
        "Client call-back",
        "Estimate review required",
        "General follow-up",
        "TRIP exception",
        "Sensitive indicator review",
        "Restricted service review",
    ]:
        assert name in levels, name


def test_WRK_6_ps_referral_is_created_by_team_leaders_only_in_policy():
    roles = IntrayType.objects.get(name="PS Referral (TL only)").created_by_roles
    assert "team_leader" in roles and "service_officer" not in roles


def test_contact_and_day_count_parameters():
    """CMA-7 auto-unlock 14 days; PS-4 plan 21 days; PS-13 exit letter 10 days; CON-3
    two additional attempts over 48 hours."""
    assert services.parameter("auto-unlock-days") == 14
    assert services.parameter("ps-plan-days") == 21
    assert services.parameter("exit-letter-wait-days") == 10
    assert services.parameter("additional-attempts-count") == 2
    assert services.parameter("additional-attempts-window-hours") == 48
    assert Parameter.objects.get(key="additional-attempts-window-hours").unit == "hours"


def test_every_business_area_of_the_domain_is_data():
    names = set(BusinessArea.objects.values_list("name", flat=True))
    for expected in [
        "Minimum Collection Activity",
        "New Customers",
        "Mainstream Services",
        "Specialised Assessments",
        "Intensive Collection",
        "Specialist Residency Team",
        "Central Authority",
        "Quality & Customer Complaints",
        "Personalised Services",
        "Parent Support Team",
        "Integrated Care",
    ]:
        assert expected in names, expected
    kinds = set(BusinessArea.objects.values_list("kind", flat=True))
    assert kinds == {"common", "specialised", "exception", "enabling"}
    assert not BusinessArea.objects.get(code="enabling-finance").cma_applies


def test_missing_parameter_is_a_clear_error():
    with pytest.raises(Exception, match="cma policy load"):
        services.parameter("no-such-parameter")


# --- bad files ------------------------------------------------------------------------


def _assert_rejected(data_dir: Path, file: str, line: int, field: str) -> str:
    before = _counts()
    with pytest.raises(loader.PolicyFileError) as info:
        loader.load_all(data_dir)
    message = info.value.message
    assert message.startswith(f"{file}:{line}: "), message
    assert f"field {field}" in message, message
    assert "\n" not in message
    assert _counts() == before, "nothing may be loaded from a bad folder"
    return message


def test_wrong_type_names_file_line_and_field(data_dir):
    # A good change to another file must not be loaded either.
    _edit(
        data_dir / "business_areas.yaml",
        "  - code: general\n",
        "  - code: zz-brand-new\n    name: Brand new\n    kind: common\n  - code: general\n",
    )
    path = data_dir / "intray_types.yaml"
    i = _index(path, "service_level_working_days", 7)
    line = _edit(path, "service_level_working_days: 7", "service_level_working_days: seven")
    message = _assert_rejected(
        data_dir, "intray_types.yaml", line, f"intray_types.{i}.service_level_working_days"
    )
    assert "'seven' is not of type 'integer'" in message
    assert not BusinessArea.objects.filter(code="zz-brand-new").exists()


def test_missing_required_field_is_named(data_dir):
    path = data_dir / "intray_types.yaml"
    i = _index(path, "name", "Add a child")
    line = _edit(path, "    name: Add a child\n", "")
    # The entry that lost its name starts on the line above.
    _assert_rejected(data_dir, "intray_types.yaml", line - 1, f"intray_types.{i}.name")


def test_unknown_field_is_named_on_its_line(data_dir):
    path = data_dir / "parameters.yaml"
    line = _edit(path, "    unit: attempts\n", "    unit: attempts\n    colour: blue\n") + 1
    message = _assert_rejected(data_dir, "parameters.yaml", line, "parameters.0.colour")
    assert "'colour' was unexpected" in message


def test_value_out_of_range(data_dir):
    line = _edit(
        data_dir / "intray_types.yaml",
        "service_level_working_days: 2",
        "service_level_working_days: -1",
    )
    _assert_rejected(
        data_dir, "intray_types.yaml", line, "intray_types.0.service_level_working_days"
    )


def test_bad_enum_in_business_areas(data_dir):
    i = _index(data_dir / "business_areas.yaml", "kind", "enabling")
    line = _edit(data_dir / "business_areas.yaml", "kind: enabling", "kind: enabled")
    _assert_rejected(data_dir, "business_areas.yaml", line, f"business_areas.{i}.kind")


def test_duplicate_code_is_refused(data_dir):
    path = data_dir / "intray_types.yaml"
    i = _index(path, "code", "general-follow-up")
    line = _edit(path, "  - code: general-follow-up\n", "  - code: add-a-child\n")
    message = _assert_rejected(data_dir, "intray_types.yaml", line, f"intray_types.{i}.code")
    assert "already used" in message


def test_unknown_business_area_reference_is_refused(data_dir):
    i = _index(data_dir / "intray_types.yaml", "routes_to_area", "mainstream")
    line = _edit(
        data_dir / "intray_types.yaml", "routes_to_area: mainstream", "routes_to_area: atlantis"
    )
    message = _assert_rejected(
        data_dir, "intray_types.yaml", line, f"intray_types.{i}.routes_to_area"
    )
    assert "atlantis" in message


def test_invalid_yaml_names_the_line(data_dir):
    path = data_dir / "parameters.yaml"
    line = _edit(path, "  - key: auto-unlock-days\n", "  - key: [auto-unlock-days\n")
    before = _counts()
    with pytest.raises(loader.PolicyFileError) as info:
        loader.load_all(data_dir)
    assert info.value.message.startswith("parameters.yaml:")
    reported = int(info.value.message.split(":")[1])
    assert line <= reported <= line + 2
    assert "\n" not in info.value.message
    assert _counts() == before


def test_not_utf8_is_refused(data_dir):
    path = data_dir / "letters.yaml"
    path.write_bytes(path.read_bytes().replace(b"letters:", b"letters: \xff\xfe", 1))
    before = _counts()
    with pytest.raises(loader.PolicyFileError, match=r"^letters.yaml:\d+: not UTF-8"):
        loader.load_all(data_dir)
    assert _counts() == before


def test_wrong_version_format(data_dir):
    _edit(data_dir / "letters.yaml", 'version: "', 'version: "v')
    with pytest.raises(loader.PolicyFileError, match=r"letters.yaml:\d+: field version"):
        loader.load_all(data_dir)


def test_missing_file_is_refused(data_dir):
    (data_dir / "parameters.yaml").unlink()
    with pytest.raises(loader.PolicyFileError, match=r"parameters\.yaml: policy file missing"):
        loader.load_all(data_dir)


# --- the command -----------------------------------------------------------------------


def test_policy_load_command_reports_each_file(capsys):
    call_command("policy", "load")
    out = capsys.readouterr().out
    for name in loader.FILES:
        assert f"{name}: version" in out
    assert "unchanged" in out


def test_policy_load_command_refuses_bad_dir_with_one_line(data_dir):
    _edit(data_dir / "intray_types.yaml", "priority: 1", "priority: 9")
    with pytest.raises(
        CommandError, match=r"^intray_types.yaml:\d+: field intray_types.0.priority"
    ):
        call_command("policy", "load", "--dir", str(data_dir))


def test_cma_policy_load_bad_dir_exits_nonzero_with_one_line(data_dir, tmp_path):
    """The installed `cma` entry point: exit status 1 and a single line on stderr."""
    line = _edit(data_dir / "intray_types.yaml", "priority: 1", "priority: 9")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cma.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    cma = Path(sys.executable).parent / "cma"
    proc = subprocess.run(
        [str(cma), "policy", "load", "--dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert f"intray_types.yaml:{line}: field intray_types.0.priority" in lines[0]
    assert "Traceback" not in proc.stderr
