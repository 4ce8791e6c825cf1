from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "dangwu.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from dangwu.core import checks  # noqa: F401  (registers the deploy checks)

        # Each app's hooks.py, permissions.py and search.py register themselves on import.
        autodiscover_modules("permissions", "hooks", "search")
