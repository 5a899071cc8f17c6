"""VAL-1, API-2: schemathesis over every operation in the OpenAPI schema, once per role.

Operations come from the schema itself, so new routers join the run the day they are
mounted. Each role signs in with its own bearer token against a seeded office; path
and body ids are often swapped for rows that exist, so requests get past "not found".
Every check runs: no 5xx, every status declared, bodies and content types as declared,
bad data refused, good data accepted, no auth bypass.

`make test` runs a few examples per operation; `.ci/run` runs the same test with
CMA_SCHEMATHESIS_EXAMPLES raised. The seed is fixed (CMA_SCHEMATHESIS_SEED, default 42)
so a failure reproduces."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from cma.api import api
from tests.api.seed import ROLES

EXAMPLES = int(os.environ.get("CMA_SCHEMATHESIS_EXAMPLES", "5"))
SEED = int(os.environ.get("CMA_SCHEMATHESIS_SEED", "42"))

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler on the test's connection: like Django's test client, keep
    request signals from closing the connection (and with it the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": EXAMPLES,
            "mode": "all",
            # Each role sends its own token; generated credentials would only be refused.
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}},
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


def _known(office, name: str, value):
    """Swap three in four valid ids for a seeded one of the same kind."""
    known = office.ids.get(name)
    if not known or isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return value
    return known[value % len(known)] if value % 4 else value


def _use_seeded_ids(case, office) -> None:
    if case.path_parameters:
        case.path_parameters = {k: _known(office, k, v) for k, v in case.path_parameters.items()}
    if isinstance(case.body, dict):
        case.body = {k: _known(office, k, v) for k, v in case.body.items()}


# role -> {"operations": {labels}, "cases": n, "failures": n}, printed after the run.
STATS: dict[str, dict] = {}


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not STATS:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(f"\nschemathesis (seed {SEED}, max examples {EXAMPLES}):")
        for role, row in STATS.items():
            reporter.write_line(
                f"  {role:22} operations {len(row['operations']):3}  cases {row['cases']:6}"
                f"  failures {row['failures']}  {row['phases']}"
            )


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], database=None)
@pytest.mark.parametrize("role", ROLES)
def test_VAL_1_API_2_every_operation_conforms_for_every_role(case, role, office, wsgi_app):
    row = STATS.setdefault(role, {"operations": set(), "cases": 0, "failures": 0, "phases": {}})
    phase = case.meta.phase.name if case.meta else "?"
    row["phases"][phase] = row["phases"].get(phase, 0) + 1
    row["operations"].add(case.operation.label)
    row["cases"] += 1
    _use_seeded_ids(case, office)
    try:
        case.call_and_validate(headers={"Authorization": f"Bearer {office.tokens[role]}"})
    except Exception:
        row["failures"] += 1
        raise
