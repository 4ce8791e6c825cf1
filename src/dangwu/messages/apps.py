from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagesConfig(AppConfig):
    name = "dangwu.messages"
    label = "mail"
    verbose_name = _("Mail and notifications")
