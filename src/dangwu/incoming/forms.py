"""Forms of the incoming documents' pages; the services check what they carry."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.accounts.models import User
from dangwu.core.files import ACCEPT_EXTENSIONS
from dangwu.incoming import selectors
from dangwu.incoming.enums import IncomingStatus, Urgency
from dangwu.incoming.models import IncomingDocument
from dangwu.orgs.models import Organization

# The 密级 a clerk declares. The three state-secret levels are listed so that a clerk holding such
# a document says so and is told to keep it in the confidential register, rather than guessing.
CLASSIFICATIONS = [
    ("非密", _("Not classified")),
    ("内部", _("Internal (not a state secret)")),
    ("秘密", _("Secret")),
    ("机密", _("Confidential")),
    ("绝密", _("Top secret")),
]
DATE = {"type": "date"}


def _choice(form: forms.Form, name: str) -> Any:
    return cast(Any, form.fields[name])


class RegisterForm(forms.Form):
    source = forms.CharField(label=_("Sent by (organization)"), max_length=100)
    source_number = forms.CharField(
        label=_("Its document number"),
        max_length=60,
        required=False,
        help_text=_("For example 市委组〔2026〕12号."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    document_date = forms.DateField(
        label=_("Date of the document"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    received_on = forms.DateField(
        label=_("Date received"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="normal")
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=CLASSIFICATIONS,
        initial="非密",
        help_text=_(
            "Only documents that are not classified or are internal may be registered here. "
            "Documents marked 秘密, 机密 or 绝密 go to the confidential register (涉密不上网)."
        ),
    )
    copies = forms.IntegerField(label=_("Copies received"), min_value=1, max_value=9999, initial=1)
    file = forms.FileField(
        label=_("Scan or file of the document"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_EXTENSIONS}),
    )

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["upload"] = data.pop("file")
        return data


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Add a scan or file"),
        help_text=_("PDF, Word, Excel, PowerPoint, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_EXTENSIONS}),
    )


class ProposeForm(forms.Form):
    proposal = forms.CharField(
        label=_("Proposed handling"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    leader: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Leader to instruct"), queryset=None, empty_label=_("Choose a leader")
    )

    def __init__(self, *args: Any, document: IncomingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "leader").queryset = selectors.leaders_for(document)


class InstructForm(forms.Form):
    instruction = forms.CharField(
        label=_("Your instruction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    people: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    departments: forms.ModelMultipleChoiceField[Organization] = forms.ModelMultipleChoiceField(
        label=_("Departments"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    lead = forms.ChoiceField(
        label=_("Who leads (主办)"),
        required=False,
        help_text=_("Needed when several are assigned."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        help_text=_("Needed for urgent documents."),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, document: IncomingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = list(selectors.assignable_people(document))
        departments = list(selectors.departments_for(document))
        _choice(self, "people").queryset = selectors.assignable_people(document)
        _choice(self, "departments").queryset = selectors.departments_for(document)
        _choice(self, "lead").choices = [
            ("", _("Nobody chosen")),
            *((f"p{p.pk}", p.label) for p in people),
            *((f"d{d.pk}", d.name) for d in departments),
        ]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        people, departments = list(data["people"]), list(data["departments"])
        by_key = {f"p{p.pk}": p for p in people} | {f"d{d.pk}": d for d in departments}
        lead = by_key.get(data["lead"]) if data["lead"] else None
        if data["lead"] and lead is None:
            # A lead not ticked among those assigned: the service says so.
            lead = _NotAssigned()
        return {
            "people": people,
            "departments": departments,
            "lead": lead,
            "deadline": data["deadline"],
        }


class _NotAssigned:
    """A lead chosen but not ticked: never equal to anyone assigned."""


class CirculateForm(forms.Form):
    readers: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("Leaders to read it"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, document: IncomingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "readers").queryset = selectors.leaders_for(document)


class ReadForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompleteForm(forms.Form):
    result = forms.CharField(
        label=_("Result of the handling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *IncomingStatus.choices], required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=[("", _("All")), *Urgency.choices], required=False
    )
    q = forms.CharField(label=_("Title, sender or number contains"), required=False, max_length=100)
