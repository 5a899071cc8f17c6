from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("customers/search/", views.customer_search, name="customer-search"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer-detail"),
]
