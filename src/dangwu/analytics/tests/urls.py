"""Stand-ins for the portal's pages, named like them: the counting tests need no real page."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import include, path


def page(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("<!doctype html><title>page</title><p>正文</p>")


def missing(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponseNotFound("<!doctype html><title>404</title>")


portal = (
    [
        path("", page, name="home"),
        path("c/<slug:slug>/", page, name="column"),
        path("a/<int:pk>/", page, name="article"),
        path("gone/<int:pk>/", missing, name="article"),
        path("mine/", page, name="mine"),
    ],
    "portal",
)

urlpatterns = [path("", include(portal)), path("other/", page, name="other")]
