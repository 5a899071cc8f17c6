"""VAL-1, API-2: schemathesis over every operation in the OpenAPI schema, once per role.

Operations come from the schema itself, so new routers join the run the day they are
mounted. Each role calls with its own bearer token against a seeded office (one pytest
item per operation and role); ids in paths and bodies are often swapped for seeded rows,
so requests get past "not found". Every check runs: no 5xx, every status declared,
bodies, headers and content types as declared, schema-violating data refused,
schema-valid data accepted, authentication enforced, and our own
`schema_valid_requests_pass_validation`.

How much runs is set by the environment, the seed is fixed so a failure reproduces:

- CMA_SCHEMATHESIS_EXAMPLES (default 2): generated examples per operation and role.
- CMA_SCHEMATHESIS_COVERAGE (default 0): 1 adds schemathesis's coverage phase, the
  boundary and wrong-type values of every parameter plus undeclared methods (about
  2,200 extra requests per role).
- CMA_SCHEMATHESIS_ROLES (default all eight): comma-separated role codes.
- CMA_SCHEMATHESIS_SEED (default 42).

`make test` runs the defaults (a quick pass, every operation and role); `.ci/run` runs
the coverage phase and more examples on PostgreSQL, the roles split over two processes.
The run prints, per role, the operations tested, cases generated and failures."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from cma.api import api
from tests.api.seed import ROLES

EXAMPLES = int(os.environ.get("CMA_SCHEMATHESIS_EXAMPLES", "2"))
COVERAGE = os.environ.get("CMA_SCHEMATHESIS_COVERAGE", "0") == "1"
SEED = int(os.environ.get("CMA_SCHEMATHESIS_SEED", "42"))
RUN_ROLES = [r for r in os.environ.get("CMA_SCHEMATHESIS_ROLES", ",".join(ROLES)).split(",") if r]
assert set(RUN_ROLES) <= set(ROLES), f"unknown roles in CMA_SCHEMATHESIS_ROLES: {RUN_ROLES}"

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": EXAMPLES,
            "mode": "all",
            # Each role sends its own token; generated credentials would only be refused.
            "with-security-parameters": False,
            "database": "none",
        },
        "phases": {"coverage": {"enabled": COVERAGE}, "stateful": {"enabled": False}},
        "checks": {
            # A schema-valid request may still break a business rule (an unknown intray
            # type, a lock with no owner): 422 in a domain code is a fair answer.
            # `schema_valid_requests_pass_validation` below keeps the schema honest.
            "positive_data_acceptance": {"expected-statuses": ["2xx", 401, 403, 404, 409, 422]},
        },
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = WSGIHandler()


@schemathesis.check
def schema_valid_requests_pass_validation(ctx, response, case):
    """A request the published schema allows is never refused by the server's own
    input validation (422 `invalid-input`): the schema is the rule (VAL-1)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    body = response.json()
    if body.get("code") == "invalid-input":
        raise AssertionError(f"schema-valid request refused as invalid input: {body}")
    return None


@pytest.fixture
def wsgi_app():
    """Requests run on the test's own connection: like Django's test client, keep the
    request signals from closing it (and with it the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# role -> operations tested, cases generated, failures; printed after the module.
STATS: dict[str, dict] = {}


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not STATS:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nschemathesis: seed {SEED}, {EXAMPLES} examples,"
            f" coverage {'on' if COVERAGE else 'off'}"
        )
        for role, row in STATS.items():
            reporter.write_line(
                f"  {role:22} operations {len(row['operations']):3}"
                f"  cases {row['cases']:6}  failures {row['failures']}"
            )


def _known(office, name: str, value):
    """Three in four valid ids become a seeded row of the same kind."""
    known = office.ids.get(name)
    if not known or isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return value
    return known[value % len(known)] if value % 4 else value


def _use_seeded_ids(case, office) -> None:
    if case.path_parameters:
        case.path_parameters = {k: _known(office, k, v) for k, v in case.path_parameters.items()}
    if isinstance(case.body, dict):
        case.body = {k: _known(office, k, v) for k, v in case.body.items()}


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], database=None)
@pytest.mark.parametrize("role", RUN_ROLES)
def test_VAL_1_API_2_every_operation_conforms_for_every_role(case, role, office, wsgi_app):
    row = STATS.setdefault(role, {"operations": set(), "cases": 0, "failures": 0})
    row["operations"].add(case.operation.label)
    row["cases"] += 1
    _use_seeded_ids(case, office)
    try:
        case.call_and_validate(headers={"Authorization": f"Bearer {office.tokens[role]}"})
    except Exception:
        row["failures"] += 1
        raise
