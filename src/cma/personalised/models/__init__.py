"""Personalised Services (seed 003; PS-1..PS-11): referrals and their actioning
checklist, reallocation, the Personalised Services Plan with its issues and every
version, segment decisions, first contact, face-to-face meetings, letter skips and the
options recorded in the plan.

Codes (referral sources, step codes, reason codes, classifications, option kinds,
checklist items, location kinds) are policy data in `policy/data/personalised.yaml`;
the columns only hold the code. States are fixed by the process, so they are choices.
"""

from cma.personalised.models.activity import ActivityEntry, ConsultationState, PsConsultation
from cma.personalised.models.contact import (
    AfterContact,
    FaceToFace,
    FaceToFaceState,
    FirstContact,
    LetterSkip,
)
from cma.personalised.models.finalisation import (
    ExitAdvice,
    FinalisationRequest,
    FinalisationState,
)
from cma.personalised.models.plans import (
    ApprovalState,
    IssueStatus,
    OptionStatus,
    PlanOption,
    PlanState,
    PsIssue,
    PsIssueEvent,
    PsPlan,
    PsPlanVersion,
    SegmentDecision,
)
from cma.personalised.models.referrals import (
    ActioningStep,
    Reallocation,
    ReallocationState,
    Referral,
    ReferralState,
)

__all__ = [
    "ActioningStep",
    "ActivityEntry",
    "AfterContact",
    "ApprovalState",
    "ConsultationState",
    "ExitAdvice",
    "FaceToFace",
    "FaceToFaceState",
    "FinalisationRequest",
    "FinalisationState",
    "FirstContact",
    "IssueStatus",
    "LetterSkip",
    "OptionStatus",
    "PlanOption",
    "PlanState",
    "PsConsultation",
    "PsIssue",
    "PsIssueEvent",
    "PsPlan",
    "PsPlanVersion",
    "Reallocation",
    "ReallocationState",
    "Referral",
    "ReferralState",
    "SegmentDecision",
]
