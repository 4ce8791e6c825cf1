from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "dangwu.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from dangwu.core import checks  # noqa: F401  (registers the deploy checks)
        from dangwu.core.sqlite_stats import optimize_if_due

        request_finished.connect(optimize_if_due, dispatch_uid="core.sqlite_optimize")

        # Each app's hooks.py, permissions.py and search.py register themselves on import.
        autodiscover_modules("permissions", "hooks", "search")
