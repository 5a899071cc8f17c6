from django.urls import path

from . import views, views_figures

app_name = "collection"
urlpatterns = [
    path("figures/", views_figures.figures_page, name="figures"),
    path(
        "calls/<int:interaction_id>/mca/<int:case_id>/",
        views.record_mca,
        name="mca",
    ),
    path("calls/<int:interaction_id>/leads/", views.record_lead, name="lead"),
    path(
        "calls/<int:interaction_id>/payee-update/", views.record_payee_update, name="payee-update"
    ),
    path("calls/<int:interaction_id>/issues/", views.raise_issue, name="issue"),
    path("calls/<int:interaction_id>/referrals/", views.refer, name="referral"),
]
