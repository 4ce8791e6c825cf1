from django.urls import path

from dangwu.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("export.xlsx", views.audit_export_xlsx, name="export"),
]
