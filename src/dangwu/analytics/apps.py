from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "dangwu.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from dangwu.analytics.buffer import flush_if_due

        # After the response has gone out: the page that recorded a visit never waits for it.
        request_finished.connect(flush_if_due, dispatch_uid="analytics.flush_if_due")
