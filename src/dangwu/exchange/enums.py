from django.db import models
from django.utils.translation import gettext_lazy as _


class Site(models.TextChoices):
    """The two deployments (DESIGN.md §3); ``DANGWU_SITE`` says which one this is."""

    INTERNAL = "internal", _("Internal site")  # 内网
    PUBLIC = "public", _("Public site")  # 互联网


class Direction(models.TextChoices):
    EXPORT = "export", _("Sent")
    IMPORT = "import", _("Received")


class Action(models.TextChoices):
    """What a record asks the receiving site to do with the object named by its uuid."""

    UPSERT = "upsert", _("Create or update")
    DELETE = "delete", _("Remove")
