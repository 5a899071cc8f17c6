"""Bulk re-assign from the team queue: all of the chosen intrays or none of them."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from cma.audit.services import record_refusal
from cma.customers import access
from cma.errors import DomainError, PermissionDenied, Unmet, ValidationFailed

from ..errors import IntrayNotFound
from ..models import Intray, IntrayEvent
from .intrays import assign_intray

MAX_BULK = 200
ACTION = "work.intray.bulk_assigned"


def versions_of(intray_ids: list[int]) -> dict[int, int]:
    """Each intray's version: the id of its latest history event (every move of an
    intray writes one), so any change since a page loaded shows as a new version."""
    rows = (
        IntrayEvent.objects.filter(intray_id__in=intray_ids)
        .values("intray_id")
        .annotate(v=Max("id"))
        .values_list("intray_id", "v")
    )
    return {i: v or 0 for i, v in rows}


def reassign_intrays(
    *,
    actor: Any,
    items: list[tuple[int, int]],
    owner_user: Any = None,
    owner_team: Any = None,
    owner_area: Any = None,
    reason: str = "",
) -> list[Intray]:
    """Re-assign each (intray id, version as loaded) to one owner in one transaction.
    Refuses, naming each, any intray changed by someone since it was loaded, and then
    re-assigns none; each re-assigned intray is audited by `assign_intray`. Every
    intray's customer meets the one door first: one out of scope (or gone) is a 404."""
    try:
        ids = _admissible(actor, items)
    except DomainError as exc:
        record_refusal(actor=actor, action=ACTION, error=exc)
        raise
    for intray in Intray.objects.select_related("customer").filter(pk__in=ids).order_by("id"):
        access.admit(actor, intray.customer, action=ACTION)  # refuses and audits alone
    try:
        with transaction.atomic():
            return _reassign(actor, dict(items), ids, owner_user, owner_team, owner_area, reason)
    except DomainError as exc:
        record_refusal(actor=actor, action=ACTION, error=exc)
        raise


def _admissible(actor: Any, items: list[tuple[int, int]]) -> list[int]:
    if not actor.has_perm("work.view_team_queue"):
        raise PermissionDenied("only Team Leaders re-assign work from the team queue")
    if not items:
        raise ValidationFailed("choose at least one intray to re-assign", field="intray_ids")
    if len(items) > MAX_BULK:
        raise ValidationFailed(f"re-assign at most {MAX_BULK} intrays at once", field="intray_ids")
    ids = sorted({pk for pk, _ in items})
    found = set(Intray.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise IntrayNotFound(f"no such intray: {missing[0]}", field="intray_ids")
    return ids


def _reassign(
    actor: Any,
    wanted: dict[int, int],
    ids: list[int],
    owner_user: Any,
    owner_team: Any,
    owner_area: Any,
    reason: str,
) -> list[Intray]:
    # Lock every chosen row first, in id order (no deadlock between two bulk moves).
    rows = {
        i.pk: i
        for i in Intray.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk__in=ids)
        .order_by("id")
    }
    current = versions_of(ids)
    problems: list[tuple[str | None, str]] = []
    for pk in ids:
        if pk not in rows:
            problems.append(("intray_ids", f"intray {pk} does not exist"))
        elif current.get(pk, 0) != wanted[pk]:
            problems.append(
                ("intray_ids", f"intray {pk} was changed by someone since the page loaded")
            )
    if problems:
        raise Unmet.from_problems("nothing was re-assigned", problems)
    done: list[Intray] = []
    for pk in ids:
        try:
            done.append(
                assign_intray(
                    intray=rows[pk],
                    actor=actor,
                    owner_user=owner_user,
                    owner_team=owner_team,
                    owner_area=owner_area,
                    reason=reason,
                )
            )
        except DomainError as exc:
            if exc.field in ("owner", "reason") and "already has" not in exc.message:
                raise  # about the whole form, not one intray
            problems.append(("intray_ids", f"intray {pk}: {exc.message}"))
    if problems:
        raise Unmet.from_problems("nothing was re-assigned", problems)
    return done
