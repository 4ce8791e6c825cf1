from django.contrib.auth import views as auth_views
from django.urls import path

from dangwu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
