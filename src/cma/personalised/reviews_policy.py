"""The policy data of reactive management, reviews and the PS Activity reporting
(PS-18..PS-20), read typed from policy/data/personalised.yaml and parameters.yaml."""

from cma.policy.services import parameter

from .policy import Option, _options


def review_max_months() -> int:
    """PS-18: a segment 3 review date is at most this many months ahead."""
    return int(parameter("segment-3-indicator-review-max-months"))


def restricted_review_months() -> tuple[int, int]:
    """PS-19: restricted service customers are reviewed every min-max months."""
    window = parameter("restricted-service-review-months")
    return int(window["min"]), int(window["max"])


def review_intray() -> str:
    return str(parameter("ps-review-intray"))


def indicator_kind() -> str:
    return str(parameter("ps-review-indicator-kind"))


def indicator_reason() -> str:
    return str(parameter("ps-review-indicator-reason"))


def outcomes() -> dict[str, Option]:
    return _options("ps-review-outcomes")


def indicator_actions() -> dict[str, Option]:
    return _options("ps-review-indicator-actions")


def next_steps() -> dict[str, Option]:
    return _options("ps-review-next-steps")


def activity_max_days() -> int:
    return int(parameter("ps-activity-max-days"))


def finalisation_kinds() -> dict[str, str]:
    """{"approved": kind, "rejected": kind} of the activity record (PS-20)."""
    return {str(k): str(v) for k, v in parameter("ps-activity-finalisation-kinds").items()}


def activity_periods() -> dict[str, Option]:
    return _options("ps-activity-periods")


def indicator_max_months() -> int:
    """DOC-5: an indicator kept after segment 3 is reviewed at most this far ahead."""
    return int(parameter("sensitive-indicator-review-max-months"))
