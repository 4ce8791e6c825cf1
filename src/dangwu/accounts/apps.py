from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangwu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from dangwu.accounts import signals  # noqa: F401  (audits sign-in events)
