"""`cma staff`: create staff users and manage integration API tokens."""

import getpass
import os
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cma.staff.models import ApiToken, Role, Team, User
from cma.staff.services import (
    create_staff_user,
    end_sessions,
    issue_api_token,
    revoke_api_token,
    set_active,
)

PASSWORD_ENV = "CMA_NEW_PASSWORD"  # noqa: S105 - the name of a variable, not a secret


class Command(BaseCommand):
    help = (
        "Staff: `create-user USERNAME --role ROLE [--team NAME]` (password from "
        f"${PASSWORD_ENV} or prompted), `token issue USERNAME NAME [--customer-facing]`, "
        "`token revoke PREFIX`, `end-sessions USERNAME`, `deactivate USERNAME`, "
        "`reactivate USERNAME`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create-user",
            help=f"Create a staff user; the password comes from ${PASSWORD_ENV} or a prompt.",
        )
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--team", help="team name (sets the office state for working days)")
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")

        for name, text in (
            ("end-sessions", "End every session of a user (they must sign in again)."),
            ("deactivate", "Deactivate a user: ends their sessions and revokes their tokens."),
            ("reactivate", "Reactivate a user (no old session or token comes back)."),
        ):
            sub.add_parser(name, help=text).add_argument("username")

        token = sub.add_parser("token", help="Issue or revoke integration API tokens.")
        tokens = token.add_subparsers(dest="token_action", required=True)
        issue = tokens.add_parser("issue", help="Issue a token; the secret is printed once.")
        issue.add_argument("username")
        issue.add_argument("name", help="what the token is for, e.g. finance-feed")
        issue.add_argument(
            "--customer-facing",
            action="store_true",
            help="for a customer-facing integration: never sees internal data",
        )
        revoke = tokens.add_parser("revoke", help="Revoke the active token with this prefix.")
        # Named with its cma_ start: the 8 characters alone may begin with "-", which
        # argparse would read as an option.
        revoke.add_argument("prefix", help="cma_ and the 8 characters after it (shown when issued)")

    def handle(self, *args, action, **options):
        if action == "create-user":
            self._create_user(**options)
        elif action in ("end-sessions", "deactivate", "reactivate"):
            self._end_access(action, options["username"])
        elif options["token_action"] == "issue":  # noqa: S105
            self._issue(**options)
        else:
            self._revoke(options["prefix"])

    # -- create-user ---------------------------------------------------------------

    def _create_user(self, *, username, role, team, first_name, last_name, **_):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        team_row = None
        if team:
            team_row = Team.objects.filter(name=team).first()
            if team_row is None:
                raise CommandError(f"no team named {team!r}")
        password = self._password()
        candidate = User(username=username, first_name=first_name, last_name=last_name)
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as exc:
            raise CommandError("password refused: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            user = create_staff_user(
                username=username,
                password=password,
                role=role,
                team=team_row,
                first_name=first_name,
                last_name=last_name,
            )
        where = f" in {team_row.name} ({team_row.state})" if team_row else ""
        self.stdout.write(f"created {user.username}: {user.get_role_display()}{where}")

    def _password(self) -> str:
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env is not None:
            return from_env
        if not sys.stdin.isatty():
            raise CommandError(f"no terminal to ask for the password: set ${PASSWORD_ENV}")
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("the two passwords differ")
        return first

    # -- ending access (SES-2) ------------------------------------------------------

    def _end_access(self, action: str, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if action == "end-sessions":
            ended = end_sessions(user=user, actor=None)
            self.stdout.write(f"ended {ended} session(s) of {username}")
            return
        active = action == "reactivate"
        if user.is_active == active:
            raise CommandError(f"{username} is already {'active' if active else 'inactive'}")
        set_active(user=user, active=active, actor=None)
        self.stdout.write(f"{action}d {username}")

    # -- tokens --------------------------------------------------------------------

    def _issue(self, *, username, name, customer_facing, **_):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        token, raw = issue_api_token(user=user, name=name, customer_facing=customer_facing)
        self.stdout.write(raw)
        self.stderr.write(
            f"issued token cma_{token.prefix} ({name}) for {username}; "
            "the secret above is shown only once: store it now"
        )

    def _revoke(self, prefix: str) -> None:
        prefix = prefix.removeprefix("cma_")[:8]
        matches = list(ApiToken.objects.filter(prefix=prefix, revoked_at=None)[:2])
        if not matches:
            raise CommandError(f"no active token with prefix {prefix!r}")
        if len(matches) > 1:
            raise CommandError(f"prefix {prefix!r} matches several tokens; revoke in the admin")
        token = revoke_api_token(token=matches[0], actor=None)
        self.stdout.write(
            f"revoked token cma_{token.prefix} ({token.name}) of {token.user.username}"
        )
