"""Forms of the mail pages; the services check what they carry (recipients, text, files)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu import access
from dangwu.access import BUSINESS_ROLES, Role
from dangwu.core.files import ACCEPT_EXTENSIONS
from dangwu.messages import permissions as perms
from dangwu.messages.enums import EmailDelivery
from dangwu.messages.services import BODY_MAX, SUBJECT_MAX, mailbox_users
from dangwu.orgs.models import Organization

ROLE_CHOICES = [(role.value, role.label) for role in Role if role in BUSINESS_ROLES]


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
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class OrganizationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        # The tree's shape in a flat list: one full-width space per level.
        return "\u3000" * obj.depth + obj.name


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label}（{obj.username}）"


class AddresseesForm(forms.Form):
    """People, organizations and (for those who may) roles to write to."""

    people = PersonChoice(
        label=_("People"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = OrganizationChoice(
        label=_("Organizations (their secretary and clerks receive it)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Everyone holding a role in my organizations"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = cast("PersonChoice", self.fields["people"])
        people.queryset = mailbox_users().exclude(pk=user.pk).order_by("display_name", "username")
        organizations = cast("OrganizationChoice", self.fields["organizations"])
        organizations.queryset = Organization.objects.only("id", "name", "depth").order_by("path")
        if not access.can(user, perms.WRITE_TO_ROLE):
            del self.fields["roles"]

    @property
    def addressee_fields(self) -> list[forms.BoundField]:
        """The recipient choices in the order the page shows them: organizations first."""
        return [self[name] for name in ("organizations", "people", "roles") if name in self.fields]

    def addressees(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "people": list(data.get("people") or []),
            "organizations": list(data.get("organizations") or []),
            "roles": list(data.get("roles") or []),
        }


class ComposeForm(AddresseesForm):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; line breaks are kept."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Up to 10 files: PDF, Word, Excel, PowerPoint, JPG or PNG. Nothing classified."
        ),
    )


class ForwardForm(AddresseesForm):
    body = forms.CharField(
        label=_("A note for them (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Notifications by e-mail"),
        choices=EmailDelivery.choices,
        widget=forms.RadioSelect,
    )
