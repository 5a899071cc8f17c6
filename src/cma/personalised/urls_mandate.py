from django.urls import path

from . import views_mandate

urlpatterns = [
    path(
        "mandate/decisions/<int:decision_id>/",
        views_mandate.decision_mandate,
        name="mandate-decision",
    ),
    path(
        "mandate/decisions/<int:decision_id>/<int:customer_id>/request/",
        views_mandate.request_consultation,
        name="mandate-request",
    ),
    path(
        "mandate/decisions/<int:decision_id>/<int:customer_id>/record/",
        views_mandate.record_consultation,
        name="mandate-record",
    ),
]
