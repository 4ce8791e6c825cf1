from django.db import models
from django.utils.translation import gettext_lazy as _


class Retention(models.TextChoices):
    """保管期限 and its code in the 档号 (DA/T 22-2015)."""

    PERMANENT = "Y", _("Permanent")  # 永久
    YEARS_30 = "D30", _("30 years")  # 定期30年
    YEARS_10 = "D10", _("10 years")  # 定期10年


class Classification(models.TextChoices):
    """密级 of an archived item: this non-classified platform holds no other."""

    NON_SECRET = "非密", _("Not classified")
    INTERNAL = "内部", _("Internal (not a state secret)")


# 档案门类代码 of 文书档案.
CATEGORY = "WS"
