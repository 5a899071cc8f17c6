from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("trail/", views.trail_page, name="trail"),
    path("trail/export.csv", views.trail_export, name="trail-export"),
    path("trail/verify/", views.chain_check, name="trail-verify"),
]
