"""Forms of the school's management pages; the services check what they carry."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dangwu import access
from dangwu.orgs.models import Organization
from dangwu.school import permissions as perms
from dangwu.school import uploads
from dangwu.school.enums import CourseCategory, LessonKind
from dangwu.school.models import Course, Lesson

FILE_HELP: dict[str, Any] = {
    LessonKind.PDF: _("A PDF document (.pdf). It is shown in the browser."),
    LessonKind.VIDEO: _(
        "A video file (.mp4 or .webm). It is played by the browser; the length is read from "
        "the file."
    ),
    LessonKind.SLIDES: _(
        "A PDF of the slides (.pdf), or one picture (.jpg, .png) at a time: pictures are shown "
        "in the order they are added."
    ),
}
FILE_ACCEPT: dict[str, str] = {
    LessonKind.PDF: uploads.PDF_ACCEPT,
    LessonKind.VIDEO: uploads.VIDEO_ACCEPT,
    LessonKind.SLIDES: uploads.PDF_ACCEPT + "," + uploads.PICTURE_ACCEPT,
}


def _field(form: forms.Form, name: str) -> Any:
    return cast(Any, form.fields[name])


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title of the course"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=CourseCategory.choices)
    organization = forms.ModelChoiceField(
        label=_("Organization offering the course"), queryset=Organization.objects.none()
    )
    description = forms.CharField(
        label=_("What the course is about"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Courses to finish first (prerequisites)"),
        queryset=Course.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A person can start this course only after finishing the courses chosen."),
    )

    def __init__(self, *args: Any, user: Any, course: Course | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organizations = access.visible(user, perms.MANAGE, Organization.objects.all())
        _field(self, "organization").queryset = organizations.order_by("path")
        # The administrator's own (outermost) organization is the usual owner.
        _field(self, "organization").initial = organizations.order_by("path").first()
        if course is not None:
            # The owner does not change once a course exists.
            del self.fields["organization"]
        from dangwu.school.selectors import courses_managed

        candidates = Course.objects.filter(pk__in=courses_managed(user).values("pk")).order_by(
            "category", "title"
        )
        if course is not None:
            candidates = candidates.exclude(pk=course.pk)
        _field(self, "prerequisites").queryset = candidates

    @classmethod
    def initial_for(cls, course: Course) -> dict[str, Any]:
        return {
            "title": course.title,
            "category": course.category,
            "description": course.description,
            "prerequisites": list(course.prerequisites.values_list("pk", flat=True)),
        }


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title of the lesson"), max_length=200)
    hours = forms.DecimalField(
        label=_("Study hours credited (学时)"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Credited when the lesson is completed, for example 0.5 or 1."),
    )
    required_minutes = forms.IntegerField(
        label=_("Minutes of study required"),
        help_text=_(
            "The lesson is completed after this much time really spent on the page (for a "
            "video: or when it has been watched to the end)."
        ),
    )
    body = forms.CharField(
        label=_("Text of the lesson"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "rich-text"}),
        help_text=_("You can paste text from Word; formatting that is not allowed is removed."),
    )
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, kind: str, lesson: Lesson | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == LessonKind.PRACTICE:
            self.fields["body"].label = _("Instructions for the practice")
        elif kind != LessonKind.TEXT:
            self.fields["body"].label = _("Notes shown above the content")
        if kind in FILE_HELP:
            file_field = self.fields["file"]
            file_field.help_text = FILE_HELP[kind]
            file_field.widget.attrs["accept"] = FILE_ACCEPT[kind]
            file_field.required = lesson is None and kind != LessonKind.SLIDES
            if lesson is not None:
                file_field.label = _("Replace the file")
                if kind == LessonKind.SLIDES:
                    file_field.label = _("Replace the PDF or add a picture")
        else:
            del self.fields["file"]

    @classmethod
    def initial_for(cls, lesson: Lesson) -> dict[str, Any]:
        return {
            "title": lesson.title,
            "hours": lesson.hours,
            "required_minutes": lesson.required_minutes,
            "body": lesson.body,
        }

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "hours": data["hours"],
            "required_minutes": data["required_minutes"],
            "body": data.get("body") or "",
            "upload": data.get("file"),
        }


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of lesson"), choices=LessonKind.choices)


class SlideForm(forms.Form):
    file = forms.FileField(
        label=_("Add a picture"),
        help_text=_("A picture (.jpg or .png); it comes after the ones already there."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.PICTURE_ACCEPT}),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
