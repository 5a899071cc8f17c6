from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_access

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("customers/search/", views.customer_search, name="customer-search"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer-detail"),
    path(
        "customers/<int:customer_id>/sections/<slug:section>/",
        views.customer_section,
        name="customer-section",
    ),
    path(
        "customers/<int:customer_id>/emergency-access/",
        views_access.emergency_access,
        name="emergency-access",
    ),
    path("emergency-access/", views_access.emergency_reviews, name="emergency-reviews"),
    path(
        "emergency-access/<int:grant_id>/review/",
        views_access.emergency_review,
        name="emergency-review",
    ),
]
