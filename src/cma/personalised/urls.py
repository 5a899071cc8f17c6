from .urls_mandate import urlpatterns as mandate_urlpatterns

app_name = "personalised"
urlpatterns: list = [*mandate_urlpatterns]
