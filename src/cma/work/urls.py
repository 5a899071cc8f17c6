from django.urls import path

from . import queue_views, views

app_name = "work"
urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("next/", views.take_next, name="next"),
    path("team/", queue_views.team_queue, name="team-queue"),
    path("team/reassign/", queue_views.team_reassign, name="team-reassign"),
    path("escalations/<int:escalation_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("intrays/<int:intray_id>/", views.intray_detail, name="intray"),
    path("intrays/<int:intray_id>/<slug:action>/", views.intray_action, name="intray-action"),
    path("customers/<int:customer_id>/intrays/new/", views.intray_new, name="intray-new"),
    path("customers/<int:customer_id>/route/", views.route, name="route"),
    path("customers/<int:customer_id>/<slug:action>/", views.customer_lock, name="customer-lock"),
]
