"""Forms of the question bank and exams; the services check the rules again."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.exams.enums import OPTION_LETTERS, Difficulty, PaperMode, QuestionKind
from dangwu.exams.models import Exam, Question
from dangwu.orgs.imports.tables import size_problem
from dangwu.orgs.models import Organization

RULE_ROWS = 4
STATES = [("active", _("In use")), ("retired", _("Retired")), ("all", _("All"))]


class QuestionFilterForm(forms.Form):
    text = forms.CharField(label=_("Words in the question"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *QuestionKind.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=30)
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        required=False,
        choices=[("", _("Any difficulty")), *Difficulty.choices],
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=QuestionKind.choices,
        initial=QuestionKind.SINGLE,
        widget=forms.RadioSelect,
    )
    stem = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    answer = forms.CharField(
        label=_("Correct answer"),
        max_length=500,
        help_text=_(
            "Single choice: one letter (A). Multiple choice: the letters (ACD). True or false: "
            "对 or 错. Fill in the blank: the accepted answers separated by |."
        ),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the correct answer after the exam closes."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Topics such as 党章, 党史, 党规, separated by commas."),
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        choices=Difficulty.choices,
        initial=Difficulty.MEDIUM,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for letter in OPTION_LETTERS:
            self.fields[f"option_{letter}"] = forms.CharField(
                label=_("Option %(letter)s") % {"letter": letter}, required=False, max_length=300
            )

    @property
    def option_fields(self) -> list[Any]:
        return [self[f"option_{letter}"] for letter in OPTION_LETTERS]

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": question.kind,
            "stem": question.stem,
            "answer": {"T": "对", "F": "错"}.get(question.answer, question.answer)
            if question.kind == QuestionKind.TRUE_FALSE
            else question.answer,
            "explanation": question.explanation,
            "tags": "，".join(question.tag_list),
            "difficulty": question.difficulty,
        }
        for letter, text in zip(OPTION_LETTERS, question.options, strict=False):
            initial[f"option_{letter}"] = text
        return initial

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "stem": data["stem"],
            "options": [data.get(f"option_{letter}", "") for letter in OPTION_LETTERS],
            "answer": data["answer"],
            "explanation": data.get("explanation", ""),
            "tags": data.get("tags", ""),
            "difficulty": data["difficulty"],
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The file"),
        help_text=_("An Excel workbook (.xlsx) made from the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (reason := size_problem(upload.size)) is not None:
            raise forms.ValidationError(reason)
        return upload


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return "　" * obj.depth + obj.name


class QuestionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        return f"［{obj.get_kind_display()}·{obj.get_difficulty_display()}］{obj.stem}"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class CourseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


# What a published exam may still change (the services refuse the rest, with the reason).
OPEN_FIELDS = ("title", "description", "closes_at")


class ExamForm(forms.Form):
    """Setting an exam and changing it: one form for both.

    ``locked`` (a published exam) shows every setting but lets only the title, the description
    and the closing time change.
    """

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the exam covers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = OrganizationChoice(
        label=_("Who takes it"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=_("The people of this organization and of every organization under it."),
    )
    course = CourseChoice(
        label=_("Course"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("(none: a stand-alone exam)"),
        help_text=_("The course whose lessons this exam tests, if any."),
    )
    mode = forms.ChoiceField(
        label=_("How the paper is made"),
        choices=PaperMode.choices,
        initial=PaperMode.FIXED,
        widget=forms.RadioSelect,
    )
    questions = QuestionChoice(
        label=_("Questions of the paper"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    points = forms.IntegerField(
        label=_("Points for each question"), min_value=1, max_value=100, initial=10
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"), min_value=1, max_value=600, initial=30
    )
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"), min_value=1, max_value=20, initial=2
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark (percent of the full marks)"), min_value=0, max_value=100, initial=60
    )
    shuffle_options = forms.BooleanField(
        label=_("Show the options of each question in a different order to each person"),
        required=False,
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at (empty: at once)"), required=False, widget=DateTimeInput()
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (empty: open until closed by hand)"),
        required=False,
        widget=DateTimeInput(),
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        questions: QuerySet[Question],
        courses: QuerySet[Any] | None = None,
        locked: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.locked = locked
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ModelChoiceField)  # noqa: S101  (declared above)
        audience.queryset = organizations
        chosen = self.fields["questions"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)  # noqa: S101
        chosen.queryset = questions
        course = self.fields["course"]
        assert isinstance(course, forms.ModelChoiceField)  # noqa: S101
        if courses is None:
            del self.fields["course"]
        else:
            course.queryset = courses
        for i in range(1, RULE_ROWS + 1):
            self.fields[f"rule_{i}_kind"] = forms.ChoiceField(
                label=_("Kind"),
                required=False,
                choices=[("", _("(no rule)")), *QuestionKind.choices],
            )
            self.fields[f"rule_{i}_tag"] = forms.CharField(
                label=_("Tag"), required=False, max_length=30
            )
            self.fields[f"rule_{i}_difficulty"] = forms.ChoiceField(
                label=_("Difficulty"),
                required=False,
                choices=[("", _("Any difficulty")), *Difficulty.choices],
            )
            self.fields[f"rule_{i}_count"] = forms.IntegerField(
                label=_("Number of questions"), required=False, min_value=1, max_value=200
            )
            self.fields[f"rule_{i}_points"] = forms.IntegerField(
                label=_("Points each"), required=False, min_value=1, max_value=100
            )

        if locked:
            for name, field in self.fields.items():
                field.disabled = name not in OPEN_FIELDS

    @staticmethod
    def initial_for(exam: Exam) -> dict[str, Any]:
        """Return the form's values for an exam as it is (to change it)."""
        paper = list(exam.paper.all())
        initial: dict[str, Any] = {
            "title": exam.title,
            "description": exam.description,
            "audience": exam.audience_id,
            "course": exam.course_id,
            "mode": exam.mode,
            "questions": [eq.question_id for eq in paper],
            "points": paper[0].points if paper else 10,
            "time_limit_minutes": exam.time_limit_minutes,
            "attempts_allowed": exam.attempts_allowed,
            "pass_mark": exam.pass_mark,
            "shuffle_options": exam.shuffle_options,
            "opens_at": timezone.localtime(exam.opens_at) if exam.opens_at else None,
            "closes_at": timezone.localtime(exam.closes_at) if exam.closes_at else None,
        }
        for i, rule in enumerate(exam.rules.all(), start=1):
            initial.update(
                {
                    f"rule_{i}_kind": rule.kind,
                    f"rule_{i}_tag": rule.tag,
                    f"rule_{i}_difficulty": rule.difficulty,
                    f"rule_{i}_count": rule.count,
                    f"rule_{i}_points": rule.points,
                }
            )
        return initial

    @property
    def rule_rows(self) -> list[list[Any]]:
        names = ("kind", "tag", "difficulty", "count", "points")
        return [[self[f"rule_{i}_{n}"] for n in names] for i in range(1, RULE_ROWS + 1)]

    def rules(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        found = []
        for i in range(1, RULE_ROWS + 1):
            if data.get(f"rule_{i}_kind"):
                found.append(
                    {
                        "kind": data[f"rule_{i}_kind"],
                        "tag": data.get(f"rule_{i}_tag") or "",
                        "difficulty": data.get(f"rule_{i}_difficulty") or "",
                        "count": data.get(f"rule_{i}_count") or 0,
                        "points": data.get(f"rule_{i}_points") or 1,
                    }
                )
        return found

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        fixed = data["mode"] == PaperMode.FIXED
        return {
            "title": data["title"],
            "description": data.get("description", ""),
            "organization": data["audience"],
            "audience": data["audience"],
            "time_limit_minutes": data["time_limit_minutes"],
            "attempts_allowed": data["attempts_allowed"],
            "pass_mark": data["pass_mark"],
            "shuffle_options": data.get("shuffle_options", False),
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            **({"course": data.get("course")} if "course" in self.fields else {}),
            "questions": list(data.get("questions") or []) if fixed else None,
            "points": data.get("points") or 1,
            "rules": None if fixed else self.rules(),
        }
