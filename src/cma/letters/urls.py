from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("customers/<int:customer_id>/new/", views.new_letter, name="new"),
    path("customers/<int:customer_id>/preview/", views.preview, name="preview"),
    path("customers/<int:customer_id>/preview.pdf", views.preview_pdf, name="preview-pdf"),
    path("customers/<int:customer_id>/issue/", views.issue, name="issue"),
    path("<int:letter_id>/download/", views.download, name="download"),
]
