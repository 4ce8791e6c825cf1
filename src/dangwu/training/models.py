from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingPlan(models.Model):
    """A training plan (培训计划): courses and exams owed by organizations, roles or people."""

    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")

    def __str__(self) -> str:
        return self.title
