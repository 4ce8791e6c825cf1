"""Pages of the online Party school: the catalogue, courses, lessons, the learning record, and
the school administrator's pages to build courses.

Every page fetches through the selectors (what the person may not see is answered like a missing
page) and changes things only through the services. Study time is reported by the lesson page's
heartbeat to the API (``/api/v1/school/lessons/{id}/progress``), never by a button.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from dangwu import access
from dangwu.core import hooks
from dangwu.core.actions import act_on_page
from dangwu.core.errors import DomainError, NotFound
from dangwu.core.forms import show_refusal
from dangwu.school import conf, selectors, services
from dangwu.school import permissions as perms
from dangwu.school.enums import YEARLY_HOURS_REQUIRED, CourseStatus, LessonKind
from dangwu.school.forms import CourseForm, KindForm, LessonForm, MoveForm, SlideForm
from dangwu.school.models import Course, Lesson, LessonSlide
from dangwu.school.streaming import ranged_response


def _require_study(request: HttpRequest) -> None:
    if not access.can(request.user, perms.STUDY):
        raise NotFound(_("This page does not exist, or you may not see it."))


def _year_hours(user: Any) -> dict[str, Any]:
    year = timezone.localdate().year
    hours = selectors.study_hours(user_ids=[user.pk], year=year)[user.pk]
    return {
        "year": year,
        "hours": hours,
        "required": YEARLY_HOURS_REQUIRED,
        "left": max(YEARLY_HOURS_REQUIRED - hours, 0),
        "percent": min(int(hours * 100 / YEARLY_HOURS_REQUIRED), 100),
        "minutes_per_hour": conf.minutes_per_study_hour(),
    }


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """网上党校: the courses by category, where to continue, my hours this year."""
    _require_study(request)
    user = request.user
    return render(
        request,
        "school/home.html",
        {
            "catalogue": selectors.catalogue(user),
            "continue_at": selectors.continue_lesson(user),
            "year": _year_hours(user),
            "links": hooks.menu_for(user, selectors.SCHOOL_LINKS),
            "may_manage": access.can(user, perms.MANAGE),
        },
    )


@login_required
@require_safe
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One course: what it is about, its prerequisites, its lessons with my progress."""
    course = selectors.course_access(user=request.user, pk=pk)
    lessons = selectors.course_lessons(user=request.user, course=course)
    done = sum(1 for _lesson, p in lessons if p is not None and p.completed)
    missing = selectors.prerequisites_missing(user=request.user, course=course)
    return render(
        request,
        "school/course.html",
        {
            "course": course,
            "lessons": lessons,
            "done": done,
            "missing": missing,
            "prerequisites": list(course.prerequisites.order_by("title")),
            "may_manage": access.can(request.user, perms.MANAGE, course),
            "is_draft": course.status != CourseStatus.PUBLISHED,
        },
    )


def _practice_url() -> str:
    try:
        return reverse("training:typing")
    except NoReverseMatch:
        return ""


@login_required
@require_safe
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One lesson: its content, my progress, and the heartbeat that reports study time."""
    user = request.user
    lesson = selectors.lesson_access(user=user, pk=pk)
    course = lesson.course
    missing = selectors.prerequisites_missing(user=user, course=course)
    before, after = selectors.neighbours(lesson)
    studying = (
        course.status == CourseStatus.PUBLISHED and access.can(user, perms.STUDY) and not missing
    )
    progress = selectors.progress_of(user=user, lesson=lesson) if studying else None
    seconds = progress.seconds if progress else 0
    context = {
        "lesson": lesson,
        "course": course,
        "missing": missing,
        "before": before,
        "after": after,
        "progress": progress,
        "studying": studying,
        "preview": course.status != CourseStatus.PUBLISHED,
        "slides": list(lesson.slides.all()) if lesson.kind == LessonKind.SLIDES else [],
        "practice_url": _practice_url() if lesson.kind == LessonKind.PRACTICE else "",
        "required_seconds": lesson.required_seconds,
        "minutes_done": seconds // 60,
        "percent": min(seconds * 100 // lesson.required_seconds, 100),
        "status_text": _(
            "You have studied {done} of the {required} minutes this lesson needs."
        ).format(done=seconds // 60, required=lesson.required_minutes),
    }
    if studying and (progress is None or not progress.completed):
        context["beat"] = {
            "url": f"/api/v1/school/lessons/{lesson.pk}/progress",
            "token": services.beat_token(user=user, lesson=lesson),
            "interval": conf.heartbeat_seconds(),
            "window": conf.active_window_seconds(),
            "position": progress.position if progress else 0,
        }
    status = 403 if missing else 200
    return render(request, "school/lesson.html", context, status=status)


@login_required
@require_safe
@xframe_options_sameorigin
def lesson_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The lesson's PDF or video, with byte ranges (the browser's player seeks with them)."""
    lesson = selectors.lesson_access(user=request.user, pk=pk)
    if not lesson.file:
        raise NotFound(_("This file does not exist, or you may not see it."))
    return ranged_response(
        request, lesson.file, content_type=lesson.content_type, name=lesson.original_name
    )


@login_required
@require_safe
def slide_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One picture of a slides lesson."""
    slide = LessonSlide.objects.filter(pk=pk).only("lesson_id").first()
    if slide is None:
        raise NotFound(_("This file does not exist, or you may not see it."))
    selectors.lesson_access(user=request.user, pk=slide.lesson_id)
    slide = LessonSlide.objects.get(pk=pk)
    return ranged_response(
        request, slide.file, content_type=slide.content_type, name=slide.original_name
    )


@login_required
@require_safe
def record(request: HttpRequest) -> HttpResponse:
    """My learning record: 学时 per year against the yearly requirement, lessons completed."""
    _require_study(request)
    user = request.user
    return render(
        request,
        "school/record.html",
        {
            "year": _year_hours(user),
            "years": selectors.hours_by_year(user),
            "completed": selectors.lessons_completed(user),
            "total_minutes": selectors.seconds_studied(user) // 60,
        },
    )


# ------------------------------------------------------------------------------- management


def _require_manager(request: HttpRequest) -> None:
    access.require(request.user, perms.MANAGE)


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """The courses the school administrator manages, in any state."""
    _require_manager(request)
    return render(
        request, "school/manage.html", {"courses": list(selectors.courses_managed(request.user))}
    )


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    """Create a draft course."""
    _require_manager(request)
    form = CourseForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                course = services.course_create(
                    actor=request.user,
                    title=data["title"],
                    category=data["category"],
                    organization=data["organization"],
                    description=data["description"],
                    prerequisites=list(data["prerequisites"]),
                )
            except DomainError as error:
                show_refusal(form, error, "title")
            else:
                messages.success(request, _("The course is created. Now add its lessons."))
                return redirect("school:course_edit", pk=course.pk)
        return render(request, "school/course_form.html", {"form": form}, status=400)
    return render(request, "school/course_form.html", {"form": form})


def _course_edit_context(request: HttpRequest, course: Course, form: CourseForm) -> dict:
    return {
        "course": course,
        "form": form,
        "lessons": list(course.lessons.defer("body").order_by("order", "id")),
        "kind_form": KindForm(),
    }


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a course, and see and arrange its lessons; publish or withdraw it."""
    course = selectors.course_manage_access(user=request.user, pk=pk)
    if request.method == "POST":
        form = CourseForm(request.POST, user=request.user, course=course)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.course_update(
                    actor=request.user,
                    course=course,
                    title=data["title"],
                    category=data["category"],
                    description=data["description"],
                    prerequisites=list(data["prerequisites"]),
                )
            except DomainError as error:
                show_refusal(form, error, "title")
            else:
                messages.success(request, _("The course is saved."))
                return redirect("school:course_edit", pk=course.pk)
        course.refresh_from_db()
        context = _course_edit_context(request, course, form)
        return render(request, "school/course_edit.html", context, status=400)
    form = CourseForm(initial=CourseForm.initial_for(course), user=request.user, course=course)
    return render(request, "school/course_edit.html", _course_edit_context(request, course, form))


def _course_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    """Run ``action(actor=..., course=...)`` for a button on the course's page."""
    course = selectors.course_manage_access(user=request.user, pk=pk)
    return act_on_page(
        request,
        action=lambda: action(actor=request.user, course=course),
        done=done,
        back=reverse("school:course_edit", args=[course.pk]),
    )


@login_required
@require_POST
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_action(
        request, pk, services.course_publish, _("The course is published: people can study it.")
    )


@login_required
@require_POST
def course_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_action(
        request,
        pk,
        services.course_unpublish,
        _("The course is withdrawn. Study records are kept."),
    )


@login_required
def lesson_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a lesson of the chosen kind at the end of the course."""
    course = selectors.course_manage_access(user=request.user, pk=pk)
    kind_form = KindForm(request.GET or request.POST or None)
    if not kind_form.is_valid():
        raise DomainError(_("Choose the kind of lesson."))
    kind = kind_form.cleaned_data["kind"]
    context: dict[str, Any] = {"course": course, "kind": kind, "kind_label": LessonKind(kind).label}
    if request.method != "POST":
        initial = {"hours": "0.5", "required_minutes": 20}
        context["form"] = LessonForm(kind=kind, initial=initial)
        return render(request, "school/lesson_form.html", context)
    form = LessonForm(request.POST, request.FILES, kind=kind)
    context["form"] = form
    if form.is_valid():
        try:
            lesson = services.lesson_create(
                actor=request.user, course=course, kind=kind, **form.service_values()
            )
        except DomainError as error:
            show_refusal(form, error, "title")
        else:
            messages.success(request, _("The lesson is added."))
            return redirect("school:lesson_edit", pk=lesson.pk)
    return render(request, "school/lesson_form.html", context, status=400)


def _lesson_edit_context(lesson: Lesson, form: LessonForm, slide_form: SlideForm) -> dict:
    return {
        "course": lesson.course,
        "lesson": lesson,
        "kind": lesson.kind,
        "kind_label": lesson.get_kind_display(),
        "form": form,
        "slide_form": slide_form,
        "slides": list(lesson.slides.all()),
    }


@login_required
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a lesson, replace its file; for slides, see and remove its pictures."""
    lesson = selectors.lesson_manage_access(user=request.user, pk=pk)
    if request.method != "POST":
        form = LessonForm(initial=LessonForm.initial_for(lesson), kind=lesson.kind, lesson=lesson)
        return render(
            request, "school/lesson_form.html", _lesson_edit_context(lesson, form, SlideForm())
        )
    form = LessonForm(request.POST, request.FILES, kind=lesson.kind, lesson=lesson)
    if form.is_valid():
        try:
            services.lesson_update(actor=request.user, lesson=lesson, **form.service_values())
        except DomainError as error:
            show_refusal(form, error, "title")
        else:
            messages.success(request, _("The lesson is saved."))
            return redirect("school:lesson_edit", pk=lesson.pk)
    lesson.refresh_from_db()
    context = _lesson_edit_context(lesson, form, SlideForm())
    return render(request, "school/lesson_form.html", context, status=400)


@login_required
@require_POST
def lesson_delete(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_manage_access(user=request.user, pk=pk)
    return act_on_page(
        request,
        action=lambda: services.lesson_delete(actor=request.user, lesson=lesson),
        done=_("The lesson is deleted."),
        back=reverse("school:course_edit", args=[lesson.course_id]),
    )


@login_required
@require_POST
def lesson_move(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_manage_access(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Choose up or down."))
    return act_on_page(
        request,
        action=lambda: services.lesson_move(
            actor=request.user, lesson=lesson, direction=form.cleaned_data["direction"]
        ),
        done=_("The lesson is moved."),
        back=reverse("school:course_edit", args=[lesson.course_id]) + "#lessons",
    )


@login_required
@require_POST
def slide_add(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_manage_access(user=request.user, pk=pk)
    slide_form = SlideForm(request.POST, request.FILES)
    if slide_form.is_valid():
        try:
            services.lesson_slide_add(
                actor=request.user, lesson=lesson, upload=slide_form.cleaned_data["file"]
            )
        except DomainError as error:
            show_refusal(slide_form, error, "file")
        else:
            messages.success(request, _("The picture is added."))
            return redirect("school:lesson_edit", pk=lesson.pk)
    form = LessonForm(initial=LessonForm.initial_for(lesson), kind=lesson.kind, lesson=lesson)
    context = _lesson_edit_context(lesson, form, slide_form)
    return render(request, "school/lesson_form.html", context, status=400)


@login_required
@require_POST
def slide_remove(request: HttpRequest, pk: int) -> HttpResponse:
    slide = LessonSlide.objects.filter(pk=pk).only("lesson_id").first()
    if slide is None:
        raise NotFound(_("This file does not exist, or you may not see it."))
    lesson = selectors.lesson_manage_access(user=request.user, pk=slide.lesson_id)
    services.lesson_slide_remove(actor=request.user, slide=LessonSlide.objects.get(pk=pk))
    messages.success(request, _("The picture is removed."))
    return redirect("school:lesson_edit", pk=lesson.pk)
