from django.db import models
from django.utils.translation import gettext_lazy as _


class Exam(models.Model):
    """An exam: a fixed paper or one drawn from the question bank by rules."""

    title = models.CharField(_("title"), max_length=200)
    course = models.ForeignKey(
        "school.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exams",
        verbose_name=_("course"),
    )

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self) -> str:
        return self.title
