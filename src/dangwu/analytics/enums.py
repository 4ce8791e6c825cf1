from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    """What kind of page a visit was counted on."""

    HOME = "home", _("Home page")
    COLUMN = "column", _("Column")
    ARTICLE = "article", _("Article")
