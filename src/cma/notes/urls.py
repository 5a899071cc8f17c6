from django.urls import path

from . import views, views_sensitive

app_name = "notes"
urlpatterns = [
    path("customers/<int:customer_id>/", views.customer_notes, name="customer-notes"),
    path("customers/<int:customer_id>/new/", views.new_note, name="new-note"),
    path("<int:note_id>/", views.note_detail, name="note-detail"),
    path("<int:note_id>/correct/", views.correct_note, name="correct-note"),
    path("customers/<int:customer_id>/stacking/new/", views.new_stacking, name="new-stacking"),
    path("stacking/<int:document_id>/", views.stacking_detail, name="stacking-detail"),
    path("stacking/<int:document_id>/notepad/", views.stacking_notepad, name="stacking-notepad"),
    path("stacking/<int:document_id>/pointer/", views.stacking_pointer, name="stacking-pointer"),
    path("customers/<int:customer_id>/sensitive/", views_sensitive.sensitive, name="sensitive"),
    path("customers/<int:customer_id>/at-risk/", views_sensitive.mark_at_risk, name="mark-at-risk"),
    path(
        "customers/<int:customer_id>/at-risk/end/", views_sensitive.end_at_risk, name="end-at-risk"
    ),
    path(
        "customers/<int:customer_id>/indicators/",
        views_sensitive.add_indicator,
        name="add-indicator",
    ),
    path(
        "indicators/<int:indicator_id>/review/",
        views_sensitive.review_indicator,
        name="review-indicator",
    ),
    path(
        "customers/<int:customer_id>/restricted-service/",
        views_sensitive.create_restriction,
        name="create-restriction",
    ),
    path(
        "restricted-service/<int:arrangement_id>/review/",
        views_sensitive.propose_restriction_review,
        name="propose-restriction-review",
    ),
    path("restricted-service/approvals/", views_sensitive.approvals, name="approvals"),
    path(
        "restricted-service/reviews/<int:review_id>/decide/", views_sensitive.decide, name="decide"
    ),
]
