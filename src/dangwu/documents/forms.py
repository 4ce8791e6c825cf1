"""Forms of the documents pages; the services check what they carry."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangwu import access
from dangwu.core.files import ACCEPT_EXTENSIONS
from dangwu.documents import permissions as perms
from dangwu.documents.enums import (
    Classification,
    Disclosure,
    DocType,
    GroupRule,
    ReceiptStatus,
    Urgency,
)
from dangwu.documents.models import Document, RecipientGroup
from dangwu.documents.services import disabled_types
from dangwu.orgs.enums import OrgKind
from dangwu.orgs.models import Organization

# The platform is non-classified: state-secret levels are offered so that a drafter who has such
# a text says so and is refused (涉密不上网), rather than choosing 内部 by mistake.
CLASSIFICATION_CHOICES = [
    *Classification.choices,
    ("秘密", _("Secret (秘密)")),
    ("机密", _("Confidential (机密)")),
    ("绝密", _("Top secret (绝密)")),
]


def _choice(form: forms.Form, name: str) -> forms.ModelMultipleChoiceField[Any]:
    return cast("forms.ModelMultipleChoiceField[Any]", form.fields[name])


def issuing_organizations(user: Any) -> QuerySet[Organization]:
    """Return the organizations the user may draft for: the outermost ones granted."""
    roots = access.scope_paths(user, perms.DOCUMENT_DRAFT)
    return Organization.objects.filter(path__in=roots)


def recipient_organizations() -> QuerySet[Organization]:
    """Return the organizations a document may go to, in tree order (Party groups excluded)."""
    return Organization.objects.exclude(kind=OrgKind.GROUP).only("id", "name", "path", "depth")


class OrganizationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Indented by depth, so the list reads as the tree.
        return "　" * max(0, obj.depth - 1) + obj.name


class DocumentForm(forms.Form):
    """A document's fields as the drafter fills them in."""

    doc_type = forms.ChoiceField(label=_("Type"))
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Issuing organization"), queryset=None, empty_label=None
    )
    issuer_mark = forms.CharField(
        label=_("Issuer mark"),
        max_length=60,
        help_text=_("Printed in red at the top, for example 中共某某市直属机关工作委员会文件."),
    )
    code = forms.CharField(
        label=_("Issuer code (机关代字)"),
        max_length=20,
        help_text=_("The number is added at sign-off, for example 市直工〔2026〕3号."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="normal")
    classification = forms.ChoiceField(
        label=_("Classification (密级)"),
        choices=CLASSIFICATION_CHOICES,
        initial="none",
        help_text=_("This platform is not approved for classified documents (涉密不上网)."),
    )
    disclosure = forms.ChoiceField(
        label=_("Disclosure (公开属性)"),
        choices=[("", _("Choose…")), *Disclosure.choices],
    )
    main_groups: forms.ModelMultipleChoiceField[RecipientGroup] = forms.ModelMultipleChoiceField(
        label=_("Main recipients: saved groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    main_organizations = OrganizationChoices(
        label=_("Main recipients (主送): organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl to choose several."),
    )
    copy_groups: forms.ModelMultipleChoiceField[RecipientGroup] = forms.ModelMultipleChoiceField(
        label=_("Copy recipients: saved groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    copy_organizations = OrganizationChoices(
        label=_("Copy recipients (抄送): organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    main_line = forms.CharField(
        label=_("Main recipients as printed"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to print the names chosen above, for example 各机关党委."),
    )
    copy_line = forms.CharField(
        label=_("Copy recipients as printed"), max_length=500, required=False
    )
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "rich-text"}),
        help_text=_("You can paste text from Word; formatting that is not allowed is removed."),
    )
    contact = forms.CharField(
        label=_("Contact person and phone"),
        max_length=100,
        required=False,
        help_text=_("For example 联系人：张三，电话：1234567."),
    )
    reply_required = forms.BooleanField(label=_("The recipients must reply"), required=False)
    reply_due = forms.DateTimeField(
        label=_("Reply by"),
        required=False,
        help_text=_("Only when a reply is asked for, for example 2026-07-01 17:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    late_replies_closed = forms.BooleanField(
        label=_("Refuse replies after that time"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blocked = disabled_types()
        cast(forms.ChoiceField, self.fields["doc_type"]).choices = [
            ("", _("Choose…")),
            *[(v, label) for v, label in DocType.choices if v not in blocked],
        ]
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = issuing_organizations(
            user
        )
        groups = RecipientGroup.objects.all()
        _choice(self, "main_groups").queryset = groups
        _choice(self, "copy_groups").queryset = groups
        organizations = recipient_organizations()
        _choice(self, "main_organizations").queryset = organizations
        _choice(self, "copy_organizations").queryset = organizations

    @classmethod
    def initial_for(cls, document: Document) -> dict[str, Any]:
        """Return the form's initial values for an existing document."""
        values: dict[str, Any] = {
            name: getattr(document, name)
            for name in (
                "doc_type",
                "issuer_mark",
                "code",
                "title",
                "urgency",
                "classification",
                "disclosure",
                "main_line",
                "copy_line",
                "body",
                "contact",
                "reply_required",
                "reply_due",
                "late_replies_closed",
            )
        }
        values["organization"] = document.organization_id
        for name in ("main_groups", "copy_groups", "main_organizations", "copy_organizations"):
            values[name] = [o.pk for o in getattr(document, name).all()]
        return values

    def service_values(self) -> dict[str, Any]:
        """Return the cleaned values as the document services take them."""
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        for name in ("main_groups", "copy_groups", "main_organizations", "copy_organizations"):
            data[name] = list(data.get(name) or [])
        return data


class _DistinctIds:
    """Give the fields ids of their own: several of these forms share a page."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class CommentForm(_DistinctIds, forms.Form):
    id_prefix = "review"
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignForm(CommentForm):
    id_prefix = "sign"


class ReturnForm(_DistinctIds, forms.Form):
    id_prefix = "return"
    comment = forms.CharField(
        label=_("What should the drafter change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FileForm(_DistinctIds, forms.Form):
    id_prefix = "file"
    file = forms.FileField(
        label=_("Add an attachment"),
        help_text=_("PDF, Word, Excel, PowerPoint, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_EXTENSIONS}),
    )


class AssignForm(_DistinctIds, forms.Form):
    id_prefix = "assign"
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Who handles it?"), queryset=None, empty_label=_("Choose a person…")
    )
    note = forms.CharField(
        label=_("Instructions (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = users


class NoteForm(_DistinctIds, forms.Form):
    id_prefix = "note"
    text = forms.CharField(
        label=_("What has been done?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReplyForm(_DistinctIds, forms.Form):
    id_prefix = "reply"
    text = forms.CharField(
        label=_("Reply"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, JPG or PNG."),
        widget=MultipleFileInput(attrs={"accept": ACCEPT_EXTENSIONS}),
    )


STATE_CHOICES = [
    ("", _("All")),
    *ReceiptStatus.choices,
    ("overdue", _("Overdue")),
]


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=60)
    rule = forms.ChoiceField(label=_("Which organizations?"), choices=GroupRule.choices)
    organizations = OrganizationChoices(
        label=_("The organizations (for a list)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "organizations").queryset = recipient_organizations()
