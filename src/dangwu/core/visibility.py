"""Visibility levels of published content (DESIGN.md §3): 公开, 内部, 限定范围."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")  # 公开: anyone, and the internet site
    INTERNAL = "internal", _("Internal")  # 内部: any signed-in user
    RESTRICTED = "restricted", _("Restricted")  # 限定范围: named organizations or roles


# Wider levels reach more people; content may never be wider than its container.
_BREADTH = {Visibility.PUBLIC: 3, Visibility.INTERNAL: 2, Visibility.RESTRICTED: 1}


def is_wider(level: str, than: str) -> bool:
    """Return True when ``level`` reaches more people than ``than``."""
    return _BREADTH[Visibility(level)] > _BREADTH[Visibility(than)]
