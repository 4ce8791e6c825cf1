from django.urls import path

from dangwu.submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.submission_create, name="create"),
    path("<int:pk>/", views.submission_detail, name="detail"),
    path("<int:pk>/edit/", views.submission_edit, name="edit"),
    path("<int:pk>/submit/", views.submission_submit, name="submit"),
    path("<int:pk>/approve/", views.submission_approve, name="approve"),
    path("<int:pk>/send-back/", views.submission_send_back, name="send_back"),
    path("<int:pk>/adopt/", views.submission_adopt, name="adopt"),
    path("<int:pk>/return/", views.submission_return, name="return"),
    path("<int:pk>/decline/", views.submission_decline, name="decline"),
    path("<int:pk>/forward/", views.submission_forward, name="forward"),
    path("<int:pk>/contact/", views.contact_reveal, name="contact"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("<int:pk>/files/<int:file_pk>/remove/", views.file_remove, name="file_remove"),
    path("files/<uuid:key>/", views.file_download, name="file"),
    path("inbox/", views.inbox, name="inbox"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/points/", views.points_set, name="points"),
    path("ranking.xlsx", views.ranking_export, name="ranking_export"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("settings/<int:org_pk>/", views.org_settings, name="settings"),
]
