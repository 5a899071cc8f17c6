"""The API contract is committed (docs/openapi.json): any change to an operation, a
schema or a status shows in review. Regenerate it with `make openapi`."""

import json
from pathlib import Path

from cma.api import api

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_contract_matches_the_code():
    current = json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True) + "\n"
    assert CONTRACT.exists(), "docs/openapi.json is missing: run `make openapi`"
    assert CONTRACT.read_text() == current, "docs/openapi.json is stale: run `make openapi`"
