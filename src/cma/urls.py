from django.contrib import admin
from django.urls import include, path

from cma.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("work/", include("cma.work.urls")),
    path("notes/", include("cma.notes.urls")),
    path("letters/", include("cma.letters.urls")),
    path("contact/", include("cma.contact.urls")),
    path("decisions/", include("cma.decisions.urls")),
    path("ps/", include("cma.personalised.urls")),
    path("collection/", include("cma.collection.urls")),
    path("reporting/", include("cma.reporting.urls")),
    path("", include("cma.web.urls")),
]
