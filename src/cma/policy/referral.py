"""Loading the referral guidelines (CMA-8): checks across entries and files, then upsert."""

from typing import Any

from . import models


def problems(data: dict[str, Any], area_codes: set[str]) -> list[tuple[list[Any], str]]:
    """Cross-entry problems as (path, message): duplicate codes, unknown areas or issues."""
    found: list[tuple[list[Any], str]] = []
    issue_codes: dict[str, int] = {}
    for i, kind in enumerate(data["issue_kinds"]):
        if kind["code"] in issue_codes:
            found.append((["issue_kinds", i, "code"], f"{kind['code']!r} is already used"))
        issue_codes.setdefault(kind["code"], i)
        if kind["area"] not in area_codes:
            found.append((["issue_kinds", i, "area"], f"unknown business area {kind['area']!r}"))
    seen: set[str] = set()
    for i, rule in enumerate(data["rules"]):
        if rule["code"] in seen:
            found.append((["rules", i, "code"], f"{rule['code']!r} is already used"))
        seen.add(rule["code"])
        for key in ("route_to_area", "follow_up_to_area"):
            if key in rule and rule[key] not in area_codes:
                found.append((["rules", i, key], f"unknown business area {rule[key]!r}"))
        for key in ("issues", "unless_issues"):
            for j, code in enumerate(rule.get(key, [])):
                if code not in issue_codes:
                    found.append((["rules", i, key, j], f"unknown issue kind {code!r}"))
    return found


def apply(data: dict[str, Any]) -> int:
    areas = {a.code: a for a in models.BusinessArea.objects.all()}
    kinds = []
    for pos, item in enumerate(data["issue_kinds"]):
        row = dict(item)
        models.ReferralIssueKind.objects.update_or_create(
            code=row.pop("code"),
            defaults={
                **row,
                "area": areas[row["area"]],
                "description": row.get("description", ""),
                "position": pos,
                "active": True,
            },
        )
        kinds.append(item["code"])
    models.ReferralIssueKind.objects.exclude(code__in=kinds).update(active=False)
    rules = []
    for pos, item in enumerate(data["rules"]):
        models.ReferralRule.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "reason": item["reason"],
                "position": pos,
                "customer_facts": item.get("customer_facts", []),
                "officer_facts": item.get("officer_facts", []),
                "issues": item.get("issues", []),
                "unless_issues": item.get("unless_issues", []),
                "activity": item.get("activity", ""),
                "route_to": item.get("route_to", ""),
                "route_to_area": areas.get(item.get("route_to_area", "")),
                "follow_up_to_area": areas.get(item.get("follow_up_to_area", "")),
                "active": True,
            },
        )
        rules.append(item["code"])
    models.ReferralRule.objects.exclude(code__in=rules).update(active=False)
    return len(kinds) + len(rules)
