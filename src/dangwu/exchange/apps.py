from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "dangwu.exchange"
    label = "exchange"
    verbose_name = _("Exchange between the sites")

    def ready(self) -> None:
        # The record kinds register themselves on import (core.hooks style: no central list).
        from dangwu.exchange import portal  # noqa: F401
