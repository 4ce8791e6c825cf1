from django.urls import path

from dangwu.library import views

app_name = "library"

urlpatterns = [
    path("classics/", views.catalogue, name="catalogue"),
    path("classics/import/", views.book_import, name="book_import"),
    path("classics/bookmarks/", views.bookmarks, name="bookmarks"),
    path("classics/bookmarks/<int:pk>/delete/", views.bookmark_delete, name="bookmark_delete"),
    path("classics/<int:book_id>/", views.book, name="book"),
    path("classics/<int:book_id>/edit/", views.book_edit, name="book_edit"),
    path("classics/<int:book_id>/delete/", views.book_delete, name="book_delete"),
    path("classics/<int:book_id>/<int:number>/", views.chapter, name="chapter"),
    path("classics/<int:book_id>/<int:number>/report/", views.report, name="report"),
    path("classics/<int:book_id>/<int:number>/bookmarks/", views.bookmark_add, name="bookmark_add"),
]
