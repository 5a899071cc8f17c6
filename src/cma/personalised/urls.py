from django.urls import path

from . import (
    views_approvals,
    views_caseload,
    views_contact,
    views_finalisation,
    views_plan,
    views_referrals,
    views_segment,
)
from .urls_mandate import urlpatterns as mandate_urlpatterns

app_name = "personalised"
urlpatterns: list = [
    # The PS core's pages (PS-1..PS-6): referrals and their checklist, the plan, segments.
    path("referrals/new/<int:customer_id>/", views_referrals.new_referral, name="referral-new"),
    path("referrals/<int:referral_id>/", views_referrals.referral_page, name="referral"),
    path(
        "referrals/<int:referral_id>/steps/<slug:step>/",
        views_referrals.record_step,
        name="referral-step",
    ),
    path("plans/<int:ps_plan_id>/", views_plan.plan_page, name="plan"),
    path("plans/<int:ps_plan_id>/edit/", views_plan.edit_plan, name="plan-edit"),
    path("plans/<int:ps_plan_id>/issues/", views_plan.add_issue, name="plan-issue-add"),
    path("plans/<int:ps_plan_id>/approve/", views_plan.approve_plan, name="plan-approve"),
    path(
        "plans/<int:ps_plan_id>/versions/<int:number>/",
        views_plan.version_page,
        name="plan-version",
    ),
    path("issues/<int:ps_issue_id>/status/", views_plan.issue_status, name="issue-status"),
    path("plans/<int:ps_plan_id>/segment/", views_segment.decide_segment, name="plan-segment"),
    path(
        "segment-decisions/<int:segment_decision_id>/approval/",
        views_segment.approve_segment,
        name="segment-approval",
    ),
    path("caseload/", views_caseload.caseload, name="caseload"),
    path("approvals/", views_approvals.approvals, name="approvals"),
    path("plans/<int:ps_plan_id>/contact/", views_contact.contact_page, name="contact"),
    path(
        "plans/<int:ps_plan_id>/contact/<slug:step>/",
        views_contact.contact_step,
        name="contact-step",
    ),
    path(
        "face-to-face/<int:meeting_id>/<slug:move>/",
        views_approvals.decide_meeting,
        name="meeting-move",
    ),
    path("letter-skips/<int:skip_id>/decide/", views_approvals.decide_skip, name="skip-decide"),
    # Finalisation and exit (PS-13..PS-17).
    path(
        "plans/<int:ps_plan_id>/finalisation/",
        views_finalisation.finalisation_page,
        name="plan-finalisation",
    ),
    path(
        "finalisations/<int:finalisation_id>/decide/",
        views_finalisation.decide_finalisation,
        name="finalisation-decide",
    ),
    *mandate_urlpatterns,
]
