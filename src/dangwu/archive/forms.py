"""Forms of the archive's pages; the services check what they carry."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu.archive import conf
from dangwu.archive.enums import Classification, Retention


class ArchiveForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, max_length=40)
    source = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    retention = forms.ChoiceField(
        label=_("Retention period"),
        choices=[("", _("Choose")), *Retention.choices],
    )
    unit = forms.CharField(
        label=_("Unit or subject code"),
        max_length=10,
        initial=conf.default_unit,
        help_text=_("Capital letters or digits, for example BGS for the office."),
    )
    pages = forms.IntegerField(
        label=_("Pages with content"), min_value=1, max_value=100000, initial=1
    )
    remarks = forms.CharField(label=_("Remarks"), max_length=200, required=False)


class RearchiveForm(forms.Form):
    doc_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    responsible = forms.CharField(label=_("Responsible body"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    pages = forms.IntegerField(label=_("Pages with content"), min_value=1, max_value=100000)
    remarks = forms.CharField(label=_("Remarks"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Why is it corrected?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reason is kept with the new version and in the audit log."),
    )

    def service_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CatalogueFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    retention = forms.ChoiceField(
        label=_("Retention period"), choices=[("", _("All")), *Retention.choices], required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101  (declared just above)
        field.choices = [("", _("All years")), *((y, str(y)) for y in years)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Search in"),
        required=False,
        choices=[
            ("", _("Incoming documents and the archive")),
            ("incoming.document", _("Incoming documents")),
            ("archive.item", _("Archive")),
        ],
    )
    page = forms.IntegerField(min_value=1, max_value=50, required=False)
