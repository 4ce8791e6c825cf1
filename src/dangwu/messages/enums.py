from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailDelivery(models.TextChoices):
    """How a person wants the platform's notifications by e-mail."""

    EACH = "each", _("One e-mail for each notification")
    DIGEST = "digest", _("One e-mail a day with everything new (daily digest)")


class AddresseeKind(models.TextChoices):
    """What a message was addressed to, as the sender chose it."""

    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")
    ROLE = "role", _("Role")
