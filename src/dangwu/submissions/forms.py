"""Forms of the submissions pages; the services check, sanitize and guard what they carry."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu import access
from dangwu.core.files import ACCEPT_EXTENSIONS
from dangwu.core.forms import DateRangeForm
from dangwu.orgs.models import Organization
from dangwu.portal import selectors as portal_selectors
from dangwu.portal.forms import SECRET_LEVELS
from dangwu.portal.models import Column
from dangwu.submissions import permissions as perms
from dangwu.submissions.enums import SENT, FileRole, SubmissionKind, SubmissionStatus
from dangwu.submissions.models import Call


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def writable_organizations(user: Any) -> Any:
    """Return the organizations ``user`` may submit for: their grants' organizations and one
    level below (a committee-wide clerk would otherwise get every branch of the city), and a
    member's own organization when it lets members submit."""
    roots = access.scope_paths(user, perms.SUBMISSION_WRITE)
    query = Organization.objects.none()
    if roots:
        top_depth = min(path.count("/") - 2 for path in roots)
        query = access.visible(user, perms.SUBMISSION_WRITE, Organization.objects.all()).filter(
            depth__lte=top_depth + 1
        )
    member = getattr(user, "member", None)
    if member is not None:
        own = Organization.objects.filter(
            pk=member.organization_id, submission_settings__members_may_submit=True
        )
        query = query | own
    return query.order_by("path")


def article_columns(user: Any) -> Any:
    return portal_selectors.columns_readable(user).filter(link="").order_by("order", "name")


class SubmissionForm(forms.Form):
    """An item as its writer fills it in: written in the editor, or a Word file."""

    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("For the organization"), queryset=None, empty_label=None
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty when you upload a Word file: its first heading is used."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SubmissionKind.choices)
    word_file = forms.FileField(
        label=_("Word file (.docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
        help_text=_(
            "Instead of typing the text: headings, lists, tables and pictures are kept. A new "
            "file replaces the text."
        ),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "rich-text"}),
        help_text=_("You can paste text from Word; formatting that is not allowed is removed."),
    )
    suggested_column: forms.ModelChoiceField[Column] = forms.ModelChoiceField(
        label=_("Suggested column"),
        queryset=None,
        required=False,
        empty_label=_("Let the editors decide"),
    )
    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=_("Answers the call for submissions"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        help_text=_("Only the editors see it, masked unless they ask for it."),
    )
    secret_level = forms.ChoiceField(
        label=_("Classification level (密级)"),
        choices=SECRET_LEVELS,
        required=False,
        help_text=_(
            "This platform is not approved for classified information: texts marked 秘密, 机密 or "
            "绝密 are refused."
        ),
    )

    def __init__(self, *args: Any, user: Any, calls: list[Call] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _model_choice(self, "organization").queryset = writable_organizations(user)
        _model_choice(self, "suggested_column").queryset = article_columns(user)
        _model_choice(self, "call").queryset = Call.objects.filter(
            pk__in=[c.pk for c in calls or []]
        )
        if not calls:
            del self.fields["call"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("word_file") and not (data.get("title") or "").strip():
            self.add_error("title", _("The title is required."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        data["upload"] = data.pop("word_file", None) or None
        return data


class FileForm(forms.Form):
    role = forms.ChoiceField(
        label=_("What is it"),
        choices=[(FileRole.PHOTO, _("Photo")), (FileRole.ATTACHMENT, _("Attachment"))],
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_EXTENSIONS}),
        help_text=_("Photos: JPG or PNG. Attachments: PDF, Word, Excel, PowerPoint, JPG, PNG."),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class AdoptForm(forms.Form):
    column: forms.ModelChoiceField[Column] = forms.ModelChoiceField(
        label=_("Column"), queryset=None, empty_label=None
    )
    publish = forms.BooleanField(
        label=_("Publish it now (otherwise it becomes a draft article for the portal's review)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _model_choice(self, "column").queryset = article_columns(user)


class InboxFilterForm(DateRangeForm):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(depth__lte=1).order_by("path"),
        required=False,
        empty_label=_("All"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *SubmissionKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), *[(v, lbl) for v, lbl in SubmissionStatus.choices if v in SENT]],
        required=False,
    )
    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PeriodForm(DateRangeForm):
    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> tuple[date, date]:
        """Return the chosen period; this year by default."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("date_from") or date(today.year, 1, 1)
        end = data.get("date_to") or date(today.year, 12, 31)
        return start, end


class CallForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("What is asked for"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    due_on = forms.DateField(label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}))
    all_organizations = forms.BooleanField(
        label=_("Ask every organization directly under the committee"), required=False
    )
    organizations: forms.ModelMultipleChoiceField[Organization] = forms.ModelMultipleChoiceField(
        label=_("Or only these organizations"),
        queryset=Organization.objects.filter(depth=1).order_by("path"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SettingsForm(forms.Form):
    requires_approval = forms.BooleanField(
        label=_("I approve every item before it is sent to the committee"), required=False
    )
    members_may_submit = forms.BooleanField(
        label=_("Members of the organization may write and send items"), required=False
    )


class PointsForm(forms.Form):
    """The scoring table: points per adoption for each place of use."""

    internal = forms.IntegerField(label=_("Internal column"), min_value=0, max_value=100)
    public = forms.IntegerField(label=_("Public column"), min_value=0, max_value=100)
    upward = forms.IntegerField(label=_("Forwarded upward"), min_value=0, max_value=100)
