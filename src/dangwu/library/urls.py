from django.urls import path

from dangwu.library import files_views, views

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
    path("files/", files_views.home, name="files_home"),
    path("files/search/", files_views.search_page, name="files_search"),
    path("files/folders/new/", files_views.folder_create, name="files_folder_create"),
    path("files/folders/<int:pk>/", files_views.folder, name="files_folder"),
    path("files/folders/<int:pk>/upload/", files_views.upload, name="files_upload"),
    path(
        "files/folders/<int:pk>/new/", files_views.subfolder_create, name="files_subfolder_create"
    ),
    path("files/folders/<int:pk>/edit/", files_views.folder_edit, name="files_folder_edit"),
    path("files/folders/<int:pk>/delete/", files_views.folder_delete, name="files_folder_delete"),
    path(
        "files/folders/<int:pk>/audience/",
        files_views.folder_audience,
        name="files_folder_audience",
    ),
    path("files/quotas/", files_views.quotas, name="files_quotas"),
    path("files/quotas/<int:pk>/", files_views.quota_edit, name="files_quota_edit"),
    path("files/<int:pk>/", files_views.file, name="files_file"),
    path("files/<int:pk>/download/", files_views.download, name="files_download"),
    path("files/<int:pk>/preview/", files_views.preview, name="files_preview"),
    path("files/<int:pk>/delete/", files_views.delete, name="files_delete"),
]
