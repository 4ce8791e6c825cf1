from django.urls import path

from dangwu.exams import views

app_name = "exams"

urlpatterns = [
    # Taking exams.
    path("", views.exam_list, name="list"),
    path("<int:pk>/", views.exam_detail, name="detail"),
    path("<int:pk>/start/", views.attempt_start, name="start"),
    path("attempts/<int:pk>/", views.attempt_page, name="attempt"),
    path("attempts/<int:pk>/answer/", views.answer_save, name="answer"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="submit"),
    path("attempts/<int:pk>/result/", views.attempt_result, name="result"),
    path("attempts/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate"),
    # Setting exams.
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.exam_create, name="create"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.exam_edit, name="edit"),
    path("manage/<int:pk>/publish/", views.exam_publish, name="publish"),
    path("manage/<int:pk>/close/", views.exam_close, name="close"),
    # The question bank.
    path("bank/", views.bank, name="bank"),
    path("bank/new/", views.question_create, name="question_create"),
    path("bank/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("bank/<int:pk>/retire/", views.question_deactivate, name="question_deactivate"),
    path("bank/import/", views.bank_import, name="import"),
    path("bank/template.xlsx", views.bank_template, name="template"),
    path("bank/export.xlsx", views.bank_export, name="export"),
    # Statistics.
    path("statistics/", views.stats_list, name="stats"),
    path("statistics/<int:pk>/", views.exam_stats, name="exam_stats"),
    path("statistics/<int:pk>/export.xlsx", views.stats_export, name="stats_export"),
]
