from django.db import models
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    """A course of the online Party school: lessons with study hours (学时)."""

    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title
