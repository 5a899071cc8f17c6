from django.urls import path

from . import views_approvals, views_caseload, views_contact
from .urls_mandate import urlpatterns as mandate_urlpatterns

app_name = "personalised"
urlpatterns: list = [
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
    *mandate_urlpatterns,
]
