"""The public site's intake form (``DANGWU_SITE=public``): no account, an intake code."""

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dangwu.core.errors import DomainError
from dangwu.core.forms import show_refusal
from dangwu.core.request_context import address_of
from dangwu.submissions.enums import SubmissionKind
from dangwu.submissions.intake import TooMany, intake_submit
from dangwu.submissions.models import IntakeAccess


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class IntakeForm(forms.Form):
    organization = forms.ChoiceField(label=_("Organization"))
    code = forms.CharField(
        label=_("Intake code"),
        max_length=20,
        help_text=_("The code your organization's secretary gave you, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty when you upload a Word file: its first heading is used."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SubmissionKind.choices)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    word_file = forms.FileField(
        label=_("Word file (.docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
        help_text=_("Instead of typing the text: headings, lists, tables and pictures are kept."),
    )
    photos = MultipleFileField(
        label=_("Photos (JPG or PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png", "multiple": True}),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(IntakeAccess.objects.values_list("organization_code", "organization_name"))
        field = cast("forms.ChoiceField", self.fields["organization"])  # declared above
        field.choices = [("", _("Choose your organization")), *choices]


def intake(request: HttpRequest) -> HttpResponse:
    """The intake form; after sending, a receipt number to quote when calling the committee."""
    if request.method != "POST":
        return render(request, "submissions/intake.html", {"form": IntakeForm()})
    form = IntakeForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = intake_submit(
                organization_code=data["organization"],
                code=data["code"],
                title=data["title"],
                kind=data["kind"],
                text=data["text"],
                upload=data["word_file"] or None,
                photos=data["photos"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                address=address_of(request),
            )
        except TooMany as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            show_refusal(form, error, "text")
        else:
            return render(
                request,
                "submissions/intake_done.html",
                {"receipt": str(item.uuid)[:8].upper(), "title": item.title},
            )
    return render(request, "submissions/intake.html", {"form": form}, status=status)
