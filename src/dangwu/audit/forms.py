from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu.audit.labels import action_choices
from dangwu.audit.selectors import AuditFilters
from dangwu.core.forms import DateRangeForm

_RESULTS = {"success": True, "failure": False}


class AuditFilterForm(DateRangeForm):
    """The audit page's filters (GET); every field is optional."""

    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    target = forms.CharField(label=_("Object"), required=False, max_length=255)
    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All")), ("success", _("Succeeded")), ("failure", _("Failed"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", _("All")), *action_choices()]

    def filters(self) -> AuditFilters:
        """Return the validated filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return AuditFilters(
            user=data.get("user", "").strip(),
            action=data.get("action", ""),
            target=data.get("target", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            success=_RESULTS.get(data.get("result", "")),
        )
