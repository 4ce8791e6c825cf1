from django.urls import path

from dangwu.incoming import views

app_name = "incoming"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_register, name="register"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/files/", views.document_file_add, name="file_add"),
    path("<int:pk>/propose/", views.document_propose, name="propose"),
    path("<int:pk>/instruct/", views.document_instruct, name="instruct"),
    path("<int:pk>/assign/", views.document_assign, name="assign"),
    path("<int:pk>/circulate/", views.document_circulate, name="circulate"),
    path("<int:pk>/read/", views.document_read, name="read"),
    path("<int:pk>/complete/", views.document_complete, name="complete"),
    path("files/<int:pk>/", views.file_download, name="file"),
]
