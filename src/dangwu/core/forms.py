"""Form helpers shared by every app."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed


def show_refusal(form: forms.Form, error: DomainError, default_field: str | None = None) -> None:
    """Show a service's refusal on the form; a refusal of permission is not a form problem."""
    if isinstance(error, (Forbidden, NotFound)):
        raise error
    if isinstance(error, ValidationFailed):
        apply_problems(form, error, default_field)
    else:
        form.add_error(None, error.message)


def apply_problems(form: forms.Form, error: ValidationFailed, default_field: str | None = None):
    """Attach a service's ``(field, message)`` problems to the form fields they concern."""
    problems = error.errors or [(default_field, error.message)]
    for field, message in problems:
        form.add_error(field if field in form.fields else default_field, message)


class DateRangeForm(forms.Form):
    """A form whose optional ``date_from``/``date_to`` fields must not be in reverse order.

    Subclasses declare the two date fields (with their own labels).
    """

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
