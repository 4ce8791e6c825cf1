from django.urls import path

from dangwu.training import views

app_name = "training"

urlpatterns = [
    path("", views.my_plans, name="mine"),
    # 汉字输入练习.
    path("typing/", views.typing_home, name="typing"),
    path("typing/<int:pk>/", views.typing_exercise, name="typing_exercise"),
    path("typing/results/<int:pk>/", views.typing_result, name="typing_result"),
    path("typing/history/", views.typing_history, name="typing_history"),
    path("typing/history.xlsx", views.typing_export, name="typing_export"),
    # 培训计划.
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/completion.xlsx", views.plan_export, name="plan_export"),
]
