"""Forms of the training pages: the typing exercise and the plan editor."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangwu import access
from dangwu.access import Role
from dangwu.orgs.enums import OrgKind
from dangwu.orgs.models import Organization
from dangwu.training import permissions as perms
from dangwu.training import selectors
from dangwu.training.enums import TargetKind
from dangwu.training.models import TrainingPlan
from dangwu.training.services import MAX_SECONDS, MAX_TYPED

# The roles a plan may target: those who study (not the three administrators).
TARGET_ROLES = [(r.value, r.label) for r in Role if r in access.BUSINESS_ROLES]


class TypingForm(forms.Form):
    """What the exercise page sends: the start token, the typed text and the measured seconds."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    typed = forms.CharField(
        label=_("Type the text here"),
        max_length=MAX_TYPED,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "class": "typing-input",
                "autocomplete": "off",
                "spellcheck": "false",
                "lang": "zh-CN",
            }
        ),
    )
    # Measured by the page from the first character typed; without JavaScript the server
    # counts from the moment the page was opened.
    seconds = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_SECONDS
    )


def planning_organizations(user: Any) -> QuerySet[Organization]:
    """Return the organizations a plan may belong to: the user's subtrees, without branches."""
    scope = access.scope_q(user, perms.PLAN_MANAGE)
    return (
        Organization.objects.filter(scope)
        .exclude(kind__in=[OrgKind.BRANCH, OrgKind.GROUP])
        .only("id", "name", "path", "depth")
    )


def target_organizations(user: Any) -> QuerySet[Organization]:
    """Return the organizations a plan may target (Party groups left out: too small)."""
    scope = access.scope_q(user, perms.PLAN_MANAGE)
    return (
        Organization.objects.filter(scope)
        .exclude(kind=OrgKind.GROUP)
        .only("id", "name", "path", "depth")
    )


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "　" * max(0, obj.depth) + obj.name


class OrganizationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "　" * max(0, obj.depth) + obj.name


class PlanForm(forms.Form):
    """A training plan as its planner fills it in."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the plan is for"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organization = OrganizationChoice(
        label=_("Organization the plan belongs to"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=_("Only people of this organization and those under it can be assigned."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 2026-03-01."),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Items not done by this day are overdue and reminded."),
    )
    courses: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Courses to study"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exams: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Exams to pass"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_organizations = OrganizationChoices(
        label=_("Organizations taking part (with everyone under them)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl to choose more than one."),
    )
    target_roles = forms.MultipleChoiceField(
        label=_("Everyone holding these roles in the organization"),
        choices=TARGET_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_users = forms.CharField(
        label=_("Named people (user names, one per line)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from dangwu.exams.models import Exam
        from dangwu.school.models import Course

        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = planning_organizations(
            user
        )
        cast(
            forms.ModelMultipleChoiceField, self.fields["target_organizations"]
        ).queryset = target_organizations(user)
        cast(forms.ModelMultipleChoiceField, self.fields["courses"]).queryset = Course.objects.only(
            "id", "title"
        ).order_by("title", "id")
        cast(forms.ModelMultipleChoiceField, self.fields["exams"]).queryset = Exam.objects.only(
            "id", "title"
        ).order_by("title", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, due = data.get("starts_on"), data.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", _("The due date is before the start date."))
        return data

    def clean_target_users(self) -> list[Any]:
        users, unknown = selectors.users_by_username(
            self.cleaned_data.get("target_users", "").splitlines()
        )
        if unknown:
            raise forms.ValidationError(
                _("There is no user named %(names)s."), params={"names": "、".join(unknown)}
            )
        return users

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "organization": data["organization"],
            "starts_on": data["starts_on"],
            "due_on": data["due_on"],
            "courses": list(data["courses"]),
            "exams": list(data["exams"]),
            "target_organizations": list(data["target_organizations"]),
            "target_roles": list(data["target_roles"]),
            "target_users": list(data["target_users"]),
        }

    @staticmethod
    def initial_for(plan: TrainingPlan) -> dict[str, Any]:
        items = selectors.plan_items(plan)
        targets = selectors.plan_targets(plan)
        return {
            "title": plan.title,
            "description": plan.description,
            "organization": plan.organization_id,
            "starts_on": plan.starts_on,
            "due_on": plan.due_on,
            "courses": [i.course_id for i in items if i.course_id],
            "exams": [i.exam_id for i in items if i.exam_id],
            "target_organizations": [
                t.organization_id for t in targets if t.kind == TargetKind.ORGANIZATION
            ],
            "target_roles": [t.role for t in targets if t.kind == TargetKind.ROLE],
            "target_users": "\n".join(selectors.usernames(targets)),
        }


class PeopleFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everyone")),
            ("incomplete", _("Only those not finished")),
            ("complete", _("Only those finished")),
        ],
    )
