from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("<int:decision_id>/", views.decision_page, name="decision"),
    path("<int:decision_id>/<slug:move>/", views.move, name="move"),
    path(
        "<int:decision_id>/explanation/<int:customer_id>/",
        views.explanation_page,
        name="explanation",
    ),
    path(
        "<int:decision_id>/explanation/<int:customer_id>/record/",
        views.record_explanation,
        name="record-explanation",
    ),
]
