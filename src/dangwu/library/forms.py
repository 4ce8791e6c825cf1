"""Forms of the classics reading room; the services do the checking that matters."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu.core.files import ACCEPT_EXTENSIONS
from dangwu.library.books_import import ACCEPT
from dangwu.library.enums import BookCategory
from dangwu.library.services import MAX_NOTE
from dangwu.orgs.models import Organization


class CatalogueFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *BookCategory.choices],
    )
    q = forms.CharField(label=_("Title or author"), required=False, max_length=100, strip=True)


class BookFieldsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    author = forms.CharField(label=_("Author"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=BookCategory.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class BookImportForm(BookFieldsForm):
    file = forms.FileField(
        label=_("Book file"),
        help_text=_(
            "Plain text (.txt, UTF-8 or GB18030), Markdown (.md) or EPUB (.epub). Chapters start "
            "at headings such as “第一章”, “第一回” or “学而第一” (in Markdown: # headings); a "
            "file without headings becomes one chapter."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to take the title from the file."),
    )
    field_order = ["file", "category", "title", "author", "description"]


class BookmarkForm(forms.Form):
    paragraph = forms.IntegerField(label=_("Paragraph number"), min_value=1)
    note = forms.CharField(
        label=_("Note (only you can see it)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ------------------------------------------------------------------ the file library (资料交换)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": ACCEPT_EXTENSIONS})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class OrganizationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return "\u3000" * obj.depth + obj.name


class LibraryUploadForm(forms.Form):
    """One or more files for a folder; each is checked by the service on its own."""

    files = MultipleFileField(  # type: ignore[assignment]  # the field is named like the input
        label=_("Files"),
        help_text=_(
            "You may choose several files at once. PDF, Word, Excel, PowerPoint, JPG and PNG "
            "files are accepted. A file with the same name as one in the folder becomes its "
            "new version."
        ),
    )


class FolderForm(forms.Form):
    """A new folder: a subfolder, or (from the library's home) a top-level one."""

    name = forms.CharField(label=_("Folder name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class TopFolderForm(FolderForm):
    kind = forms.ChoiceField(label=_("Kind of folder"), choices=())
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("For an organization's folder or an exchange folder."),
    )
    audience_all = forms.BooleanField(
        label=_("Visible to every organization (committee folders)"), required=False
    )
    audience = OrganizationChoice(
        label=_("Or visible to these organizations (committee folders)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], organizations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations
        cast(
            forms.ModelChoiceField, self.fields["audience"]
        ).queryset = Organization.objects.filter(parent__isnull=False, depth__lte=1)


class FolderRenameForm(forms.Form):
    name = forms.CharField(label=_("New name of the folder"), max_length=100)


class FolderAudienceForm(forms.Form):
    """Who sees a committee folder, as at creation."""

    audience_all = forms.BooleanField(label=_("Visible to every organization"), required=False)
    audience = OrganizationChoice(
        label=_("Or visible to these organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each chosen organization's whole subtree sees the folder. With nothing chosen, only "
            "the committee sees it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["audience"]
        ).queryset = Organization.objects.filter(parent__isnull=False, depth__lte=1)


class QuotaFilterForm(forms.Form):
    q = forms.CharField(label=_("Organization name contains"), max_length=60, required=False)


MB = 1024 * 1024
GB = 1024 * MB


class QuotaForm(forms.Form):
    """An organization's quota in MB or GB; empty: the default."""

    amount = forms.DecimalField(
        label=_("Quota"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty to use the default quota."),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=[("GB", "GB"), ("MB", "MB")], initial="GB")

    def quota_bytes(self) -> int | None:
        amount = self.cleaned_data["amount"]
        if amount is None:
            return None
        return int(amount * (GB if self.cleaned_data["unit"] == "GB" else MB))


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), max_length=100, required=False)
