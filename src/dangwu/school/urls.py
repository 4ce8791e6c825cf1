from django.urls import path

from dangwu.school import views

app_name = "school"

urlpatterns = [
    path("", views.home, name="home"),
    path("record/", views.record, name="record"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:pk>/file/", views.lesson_file, name="lesson_file"),
    path("slides/<int:pk>/", views.slide_file, name="slide_file"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.course_create, name="course_create"),
    path("manage/<int:pk>/", views.course_edit, name="course_edit"),
    path("manage/<int:pk>/publish/", views.course_publish, name="course_publish"),
    path("manage/<int:pk>/unpublish/", views.course_unpublish, name="course_unpublish"),
    path("manage/<int:pk>/lessons/new/", views.lesson_create, name="lesson_create"),
    path("manage/lessons/<int:pk>/", views.lesson_edit, name="lesson_edit"),
    path("manage/lessons/<int:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("manage/lessons/<int:pk>/move/", views.lesson_move, name="lesson_move"),
    path("manage/lessons/<int:pk>/slides/", views.slide_add, name="slide_add"),
    path("manage/slides/<int:pk>/remove/", views.slide_remove, name="slide_remove"),
]
