from django.urls import path

from . import views, views_call, views_drafting, views_list, views_route

app_name = "decisions"
urlpatterns = [
    path("", views_list.awaiting, name="awaiting"),
    path(
        "call/<int:interaction_id>/explain/<int:decision_id>/",
        views_call.explain_on_call,
        name="call-explain",
    ),
    path("new/<int:customer_id>/", views_drafting.new_decision, name="new"),
    path("<int:decision_id>/edit/", views_drafting.edit_decision, name="edit"),
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
    path(
        "<int:decision_id>/route/<int:customer_id>/",
        views_route.start_route,
        name="start-route",
    ),
    path(
        "<int:decision_id>/route/<int:customer_id>/letter/",
        views_route.route_letter,
        name="route-letter",
    ),
]
