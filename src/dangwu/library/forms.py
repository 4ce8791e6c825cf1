"""Forms of the classics reading room; the services do the checking that matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu.library.books_import import ACCEPT
from dangwu.library.enums import BookCategory
from dangwu.library.services import MAX_NOTE


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
