from django.urls import path

from dangwu.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
