from django.urls import path

from dangwu.documents import views

app_name = "documents"

urlpatterns = [
    # Issuing (发文).
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("groups/", views.groups, name="groups"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/submit/", views.document_submit, name="submit"),
    path("<int:pk>/review/", views.document_review, name="review"),
    path("<int:pk>/return/", views.document_return, name="return"),
    path("<int:pk>/sign/", views.document_sign, name="sign"),
    path("<int:pk>/distribute/", views.document_distribute, name="distribute"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("<int:pk>/files/<int:file_pk>/remove/", views.file_remove, name="file_remove"),
    path("<int:pk>/print/", views.document_print, name="print"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/receipts/", views.dashboard, name="dashboard"),
    path("<int:pk>/receipts.xlsx", views.dashboard_export, name="export"),
    path("files/<uuid:key>/", views.file_download, name="file"),
    # Receiving (签收, 办理, 答复).
    path("received/", views.inbox, name="inbox"),
    path("received/<int:pk>/", views.receipt_detail, name="receipt"),
    path("received/<int:pk>/sign/", views.receipt_sign, name="receipt_sign"),
    path("received/<int:pk>/assign/", views.receipt_assign, name="receipt_assign"),
    path("received/<int:pk>/notes/", views.receipt_note, name="receipt_note"),
    path("received/<int:pk>/reply/", views.receipt_reply, name="receipt_reply"),
]
