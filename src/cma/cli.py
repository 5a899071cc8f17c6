"""The `cma` command: Django's command runner with the project's settings.

Every subcommand (`cma policy load`, `cma audit verify`, `cma import customers ...`)
is a management command, so each has `--help` and exits non-zero with one line on error.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cma.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
