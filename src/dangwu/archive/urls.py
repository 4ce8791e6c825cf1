from django.urls import path

from dangwu.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("catalogue.xlsx", views.catalogue_export, name="export"),
    path("new/", views.item_create, name="create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/correct/", views.item_rearchive, name="rearchive"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("search/", views.document_search, name="search"),
]
