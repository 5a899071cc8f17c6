"""Write the API contract, docs/openapi.json, from the code (`make openapi`), or with
--check fail when the committed contract and the code's schema differ (`.ci/run`), so
every API change shows in review."""

import json
import os
import sys
from pathlib import Path

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def current() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cma.settings.test")
    import django

    django.setup()
    from cma.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = current()
    if "--check" in argv:
        committed = CONTRACT.read_text() if CONTRACT.exists() else ""
        if committed != text:
            print(
                "docs/openapi.json differs from the code's schema: run `make openapi` "
                "and commit the result",
                file=sys.stderr,
            )
            return 1
        print("docs/openapi.json matches the code")
        return 0
    CONTRACT.write_text(text)
    print("wrote docs/openapi.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
