from django.urls import path

from . import views, views_calls, views_ending, views_lookup, views_plans

app_name = "contact"
CALL = "interactions/<int:interaction_id>/"
urlpatterns = [
    path("customers/<int:customer_id>/start/", views.start_call, name="start"),
    path(CALL, views.call_screen, name="call"),
    path(CALL + "identity/", views.check_identity, name="identity"),
    path(CALL + "identity-dispute/", views.dispute_identity, name="dispute"),
    path(CALL + "notes/", views_calls.add_note, name="call-note"),
    path(CALL + "messages/", views_calls.leave_message, name="message"),
    path(CALL + "sms/", views_calls.send_sms, name="sms"),
    path(CALL + "transfer-advice/", views_calls.transfer_advice, name="transfer-advice"),
    path(CALL + "transfer/", views_calls.transfer, name="transfer"),
    path(CALL + "plan/", views_plans.create_plan, name="plan"),
    path(CALL + "plan/attempts/", views_plans.record_attempt, name="plan-attempt"),
    path(CALL + "plan/sms/", views_plans.send_plan_sms, name="plan-sms"),
    path(CALL + "plan/letter/", views_plans.issue_plan_letter, name="plan-letter"),
    path(CALL + "warning/", views_ending.record_warning, name="warning"),
    path(CALL + "hold/", views_ending.put_on_hold, name="hold"),
    path(CALL + "end/", views_ending.end_call, name="end"),
    path("notifications/", views_ending.notifications, name="notifications"),
    path(
        "notifications/<int:notification_id>/acknowledge/",
        views_ending.acknowledge,
        name="acknowledge",
    ),
    path("receipts/", views_lookup.receipts, name="receipts"),
    path("live/", views_lookup.live, name="live"),
]
