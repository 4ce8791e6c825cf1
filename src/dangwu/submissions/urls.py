from django.urls import path  # noqa: F401  (patterns arrive with the views)

app_name = "submissions"

urlpatterns: list = []
