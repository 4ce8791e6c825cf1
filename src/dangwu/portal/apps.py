from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "dangwu.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from dangwu.portal import cache

        cache.connect()
