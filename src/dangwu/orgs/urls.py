from django.urls import path

from dangwu.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_tree, name="tree"),
    path("<int:pk>/", views.organization_detail, name="organization"),
    path("members/", views.member_list, name="members"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
]
