"""The public site's intake form, mounted by ``dangwu.urls_public``."""

from django.urls import path

from dangwu.submissions import public_views

app_name = "intake"

urlpatterns = [path("", public_views.intake, name="form")]
