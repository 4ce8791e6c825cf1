from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dangwu.api"
    label = "api"
    verbose_name = "API"
