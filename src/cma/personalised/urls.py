app_name = "personalised"
urlpatterns: list = []
