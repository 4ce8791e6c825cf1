from django.urls import path

from dangwu.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_tree, name="tree"),
    path("<int:pk>/", views.organization_detail, name="organization"),
    path("members/", views.member_list, name="members"),
    path("members/export.xlsx", views.member_export, name="members_export"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("import/", views.import_page, name="import"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="import_template"),
]
