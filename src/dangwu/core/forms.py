"""Form helpers shared by every app."""

from django import forms

from dangwu.core.errors import ValidationFailed


def apply_problems(form: forms.Form, error: ValidationFailed, default_field: str | None = None):
    """Attach a service's ``(field, message)`` problems to the form fields they concern."""
    problems = error.errors or [(default_field, error.message)]
    for field, message in problems:
        form.add_error(field if field in form.fields else default_field, message)
