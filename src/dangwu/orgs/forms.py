from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu.orgs.imports import size_problem

IMPORT_KINDS = [
    ("members", _("Members")),
    ("organizations", _("Organizations")),
]


class ImportForm(forms.Form):
    """What to import and the file; the file's contents are checked by the import itself."""

    kind = forms.ChoiceField(
        label=_("What does the file contain?"),
        choices=IMPORT_KINDS,
        initial="members",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("The file"),
        help_text=_("An Excel workbook (.xlsx) or a .csv file made from one of the templates."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if (reason := size_problem(upload.size)) is not None:
            raise forms.ValidationError(reason)
        return upload
