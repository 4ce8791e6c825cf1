from django.urls import path

from dangwu.messages import views

app_name = "mail"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.message_page, name="message"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    # By uuid: a forwarded file is the same row under several messages.
    path("files/<uuid:key>/", views.file_download, name="file"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/email/", views.preferences, name="preferences"),
]
