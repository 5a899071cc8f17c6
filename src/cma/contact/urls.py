from django.urls import path

from . import views, views_lookup

app_name = "contact"
urlpatterns = [
    path("customers/<int:customer_id>/start/", views.start_call, name="start"),
    path("interactions/<int:interaction_id>/", views.call_screen, name="call"),
    path("interactions/<int:interaction_id>/identity/", views.check_identity, name="identity"),
    path(
        "interactions/<int:interaction_id>/identity-dispute/",
        views.dispute_identity,
        name="dispute",
    ),
    path("receipts/", views_lookup.receipts, name="receipts"),
    path("live/", views_lookup.live, name="live"),
]
