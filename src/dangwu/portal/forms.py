"""Forms of the portal's editing pages; the services check and sanitize what they carry."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu import access
from dangwu.core.files import ACCEPT_EXTENSIONS
from dangwu.core.visibility import Visibility
from dangwu.orgs.models import Organization
from dangwu.portal import permissions as perms
from dangwu.portal import selectors
from dangwu.portal.enums import ArticleStatus, SourceKind
from dangwu.portal.models import Article, Column

# The 密级 a writer declares. The platform is non-classified: the three state-secret levels are
# listed so that a writer who has such a text says so and is refused, rather than guessing.
SECRET_LEVELS = [
    ("", _("Not classified")),
    ("内部", _("Internal (not a state secret)")),
    ("秘密", _("Secret")),
    ("机密", _("Confidential")),
    ("绝密", _("Top secret")),
]


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    """Return the form's bound copy of a model choice field, typed so its queryset can be set."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def writable_organizations(user: Any):
    """Return the organizations a writer may choose: their own and one level below.

    An editor of the committee would otherwise get every branch of the city in one list.
    """
    roots = access.scope_paths(user, perms.ARTICLE_WRITE)
    if not roots:
        return Organization.objects.none()
    top_depth = min(path.count("/") - 2 for path in roots)
    return access.visible(user, perms.ARTICLE_WRITE, Organization.objects.all()).filter(
        depth__lte=top_depth + 1
    )


class ArticleForm(forms.Form):
    """An article's fields as its writer fills them in."""

    title = forms.CharField(label=_("Title"), max_length=200)
    subtitle = forms.CharField(label=_("Subtitle"), max_length=200, required=False)
    column: forms.ModelChoiceField[Column] = forms.ModelChoiceField(
        label=_("Column"), queryset=None, empty_label=None
    )
    extra_columns: forms.ModelMultipleChoiceField[Column] = forms.ModelMultipleChoiceField(
        label=_("Also show in these columns"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[("", _("The same as the column")), *Visibility.choices],
        required=False,
        help_text=_("Never wider than the column: an internal column cannot hold public articles."),
    )
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Contributing organization"), queryset=None, empty_label=None
    )
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    source_name = forms.CharField(
        label=_("Source name"),
        max_length=100,
        required=False,
        help_text=_("For example the newspaper or the organization the text comes from."),
    )
    author = forms.CharField(label=_("Author"), max_length=60, required=False)
    secret_level = forms.ChoiceField(
        label=_("Classification level (密级)"),
        choices=SECRET_LEVELS,
        required=False,
        help_text=_(
            "This platform is not approved for classified information: texts marked 秘密, 机密 or "
            "绝密 are refused."
        ),
    )
    pinned = forms.BooleanField(label=_("Pin it at the top of the home page"), required=False)
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "rich-text"}),
        help_text=_("You can paste text from Word; formatting that is not allowed is removed."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = selectors.columns_readable(user).filter(link="")
        _model_choice(self, "column").queryset = columns
        _model_choice(self, "extra_columns").queryset = columns
        organizations = writable_organizations(user)
        _model_choice(self, "organization").queryset = organizations
        if organizations[:2].count() == 1:
            self.fields["organization"].help_text = _("You write for this organization.")

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        """Return the form's initial values for an existing article."""
        return {
            "title": article.title,
            "subtitle": article.subtitle,
            "column": article.column_id,
            "extra_columns": [c.pk for c in article.extra_columns.all()],
            "visibility": article.visibility,
            "organization": article.organization_id,
            "source_kind": article.source_kind,
            "source_name": article.source_name,
            "author": article.author,
            "pinned": article.pinned,
            "body": article.body,
        }

    def service_values(self) -> dict[str, Any]:
        """Return the cleaned values as the article services take them."""
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        data["extra_columns"] = list(data.get("extra_columns") or [])
        return data


class DocxForm(forms.Form):
    """Create a draft from a Word file: the column and the file; the rest is edited after."""

    column: forms.ModelChoiceField[Column] = forms.ModelChoiceField(
        label=_("Column"), queryset=None, empty_label=None
    )
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Contributing organization"), queryset=None, empty_label=None
    )
    file = forms.FileField(
        label=_("Word file (.docx)"),
        help_text=_(
            "Headings, paragraphs, bold and italic text, lists, tables and pictures are kept."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "column").queryset = selectors.columns_readable(user).filter(link="")
        _model_choice(self, "organization").queryset = writable_organizations(user)


class AttachmentForm(forms.Form):
    """One file to attach to an article; its type is checked by content on the server."""

    file = forms.FileField(
        label=_("Add an attachment"),
        help_text=_("PDF, Word, Excel, PowerPoint, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_EXTENSIONS}),
    )


class PublishForm(forms.Form):
    """Publish now, or at a set time (scheduled)."""

    when = forms.ChoiceField(
        label=_("When should it appear?"),
        choices=[("now", _("Now")), ("later", _("At a set time"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label=_("Publish time"),
        required=False,
        help_text=_("Only for a set time, for example 2026-07-01 09:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("when") == "later":
            moment = data.get("publish_at")
            if moment is None:
                self.add_error("publish_at", _("Enter the date and time to publish at."))
            elif moment <= timezone.now():
                self.add_error("publish_at", _("The time to publish at must be in the future."))
        return data

    def moment(self):
        """Return the publish time, or None for now."""
        if self.cleaned_data.get("when") == "later":
            return self.cleaned_data.get("publish_at")
        return None


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the author change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is it withdrawn? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), *ArticleStatus.choices],
        required=False,
    )
