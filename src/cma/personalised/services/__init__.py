"""Every write of Personalised Services. Import from here: `from cma.personalised import
services`. Each feature has its own module (the second PS helper adds theirs below)."""

from .actioning import checklist, record_step
from .finalisation import readiness, request_finalisation
from .finalisation_decision import decide_finalisation
from .plans import add_issue, approve_plan, change_issue_status, create_plan, update_plan
from .reallocation import assign_reallocated, decide_reallocation, request_reallocation
from .referrals import create_referral
from .segments import approve_segment, decide_segment, suggestion_for

__all__ = [
    "add_issue",
    "approve_plan",
    "approve_segment",
    "assign_reallocated",
    "change_issue_status",
    "checklist",
    "create_plan",
    "create_referral",
    "decide_finalisation",
    "decide_reallocation",
    "decide_segment",
    "readiness",
    "record_step",
    "request_finalisation",
    "request_reallocation",
    "suggestion_for",
    "update_plan",
]
