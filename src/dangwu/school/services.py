"""Writes of the online Party school: courses, lessons, and the study time people are credited.

Course and lesson changes are made by school administrators on their subtree and audited.
Study time comes only from two places, both checked here: the lesson page's heartbeat
(:func:`progress_report`, credited no faster than real time) and time another part of the
platform has measured itself (:func:`lesson_time_credit`, e.g. the typing practice). Nothing
marks a lesson finished by hand.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.activity import page_token, page_token_time
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.files import CheckedFile, files_removed_on_error
from dangwu.core.html import html_to_text, sanitize_html
from dangwu.orgs.models import Organization
from dangwu.school import conf, uploads
from dangwu.school import permissions as perms
from dangwu.school.enums import CourseCategory, CourseStatus, LessonKind
from dangwu.school.models import Course, Lesson, LessonProgress, LessonSlide

TOKEN_SALT = "dangwu.school.beat"  # noqa: S105  (a signing salt, not a secret)
MAX_HOURS = Decimal("40.0")
MAX_REQUIRED_MINUTES = 600
# The most time another part of the platform may credit at once (one sitting of practice).
MAX_CREDIT_SECONDS = 4 * 3600
MAX_SLIDES = 200


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _text(value: str | None, field: str, max_length: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _problem(field, _("This field is required."))
    if len(text) > max_length:
        raise _problem(field, _("At most %(n)d characters are allowed here.") % {"n": max_length})
    return text


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# ----------------------------------------------------------------------------- courses


def _category(value: str) -> str:
    if value not in CourseCategory.values:
        raise _problem("category", _("Choose the category of the course."))
    return value


def _check_classification(*texts: str) -> None:
    if problem := classification_problem(*texts):
        raise _problem("title", problem)


def _check_prerequisites(actor: Any, course: Course | None, chosen: Sequence[Course]) -> None:
    """Refuse a prerequisite that is the course itself, not manageable, or makes a circle."""
    for prerequisite in chosen:
        if course is not None and prerequisite.pk == course.pk:
            raise _problem("prerequisites", _("A course cannot be its own prerequisite."))
        if not access.can(actor, perms.MANAGE, prerequisite) and (
            prerequisite.status != CourseStatus.PUBLISHED
        ):
            raise _problem("prerequisites", _("One of the chosen courses cannot be used here."))
    if course is None:
        return
    # Walk what the chosen courses require in turn: reaching this course would make a circle.
    frontier = {c.pk for c in chosen}
    seen: set[int] = set()
    while frontier:
        if course.pk in frontier:
            raise _problem(
                "prerequisites",
                _(
                    "These prerequisites would make a circle (a course that, in the end, requires "
                    "itself). Please choose others."
                ),
            )
        seen |= frontier
        frontier = (
            set(
                Course.prerequisites.through.objects.filter(
                    from_course_id__in=frontier
                ).values_list("to_course_id", flat=True)
            )
            - seen
        )


@transaction.atomic
def course_create(
    *,
    actor: Any,
    title: str,
    category: str,
    organization: Organization,
    description: str = "",
    prerequisites: Sequence[Course] = (),
) -> Course:
    """Create a draft course owned by ``organization`` (the school administrator's subtree)."""
    access.require(actor, perms.MANAGE, organization)
    values = {
        "title": _text(title, "title", 200),
        "category": _category(category),
        "description": _text(description, "description", 4000, required=False),
    }
    _check_classification(values["title"], values["description"])
    _check_prerequisites(actor, None, prerequisites)
    course = Course.objects.create(
        organization=organization, created_by=_user_or_none(actor), **values
    )
    if prerequisites:
        course.prerequisites.set(prerequisites)
    audit_record(actor=actor, action="school.course_created", target=course)
    return course


@transaction.atomic
def course_update(
    *,
    actor: Any,
    course: Course,
    title: str,
    category: str,
    description: str = "",
    prerequisites: Sequence[Course] | None = None,
) -> Course:
    """Change a course's title, category, description and (when given) prerequisites."""
    access.require(actor, perms.MANAGE, course)
    course.title = _text(title, "title", 200)
    course.category = _category(category)
    course.description = _text(description, "description", 4000, required=False)
    _check_classification(course.title, course.description)
    changed = ["title", "category", "description"]
    if prerequisites is not None:
        _check_prerequisites(actor, course, prerequisites)
        if course.status == CourseStatus.PUBLISHED and any(
            p.status != CourseStatus.PUBLISHED for p in prerequisites
        ):
            raise _problem(
                "prerequisites",
                _("A published course can only require published courses."),
            )
        course.prerequisites.set(prerequisites)
        changed.append("prerequisites")
    course.save(update_fields=["title", "category", "description", "updated_at"])
    audit_record(
        actor=actor, action="school.course_changed", target=course, details={"fields": changed}
    )
    return course


def _lesson_problem(lesson: Lesson) -> str | None:
    """Return what keeps ``lesson`` from being studied, or None when it is ready."""
    if lesson.kind == LessonKind.TEXT and not html_to_text(lesson.body):
        return _("The text lesson “%(title)s” has no text yet.") % {"title": lesson.title}
    if lesson.kind in (LessonKind.PDF, LessonKind.VIDEO) and not lesson.file:
        return _("The lesson “%(title)s” has no file yet.") % {"title": lesson.title}
    if lesson.kind == LessonKind.SLIDES and not lesson.file and not lesson.slides.exists():
        return _("The slides lesson “%(title)s” has no slides yet.") % {"title": lesson.title}
    return None


@transaction.atomic
def course_publish(*, actor: Any, course: Course) -> Course:
    """Open a course for study: it needs lessons, each ready, and published prerequisites."""
    access.require(actor, perms.MANAGE, course)
    if course.status == CourseStatus.PUBLISHED:
        raise DomainError(_("This course is already published."))
    lessons = list(course.lessons.all())
    if not lessons:
        raise DomainError(_("Add at least one lesson before publishing the course."))
    for lesson in lessons:
        if problem := _lesson_problem(lesson):
            raise DomainError(problem)
    drafts = [p.title for p in course.prerequisites.exclude(status=CourseStatus.PUBLISHED)]
    if drafts:
        raise DomainError(
            _("Publish its prerequisites first: %(titles)s.")
            % {"titles": "、".join(f"《{t}》" for t in drafts)}
        )
    course.status = CourseStatus.PUBLISHED
    course.published_at = timezone.now()
    course.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="school.course_published", target=course)
    return course


@transaction.atomic
def course_unpublish(*, actor: Any, course: Course) -> Course:
    """Close a course for study (records are kept); refused while a published course needs it."""
    access.require(actor, perms.MANAGE, course)
    if course.status != CourseStatus.PUBLISHED:
        raise DomainError(_("This course is not published."))
    needing = [c.title for c in course.required_by.filter(status=CourseStatus.PUBLISHED)]
    if needing:
        raise DomainError(
            _(
                "Published courses require this one: %(titles)s. Withdraw them, or remove this "
                "prerequisite from them, first."
            )
            % {"titles": "、".join(f"《{t}》" for t in needing)}
        )
    course.status = CourseStatus.DRAFT
    course.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="school.course_unpublished", target=course)
    return course


# ----------------------------------------------------------------------------- lessons


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise _problem("hours", _("Enter the study hours as a number, e.g. 0.5.")) from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        raise _problem(
            "hours", _("Study hours must be more than 0 and at most %(n)s.") % {"n": MAX_HOURS}
        )
    return hours


def _whole(value: object) -> int | None:
    """Return ``value`` if it is a whole number (not a bool, a float or a text), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _minutes(given: object) -> int:
    value = _whole(given)
    if value is None:
        raise _problem("required_minutes", _("Enter the minutes as a whole number."))
    if value < 1 or value > MAX_REQUIRED_MINUTES:
        raise _problem(
            "required_minutes",
            _("The minutes of study must be from 1 to %(n)d.") % {"n": MAX_REQUIRED_MINUTES},
        )
    return value


def _store(
    target: Lesson | LessonSlide, checked: CheckedFile, upload: Any, written: list[str]
) -> None:
    target.original_name = checked.name
    target.content_type = checked.kind.content_type
    target.size = checked.size
    target.sha256 = checked.sha256
    target.file.save("upload", upload, save=False)
    written.append(target.file.name)


def _attach(lesson: Lesson, upload: Any, written: list[str]) -> LessonSlide | None:
    """Check ``upload`` for the lesson's kind and store it; a picture becomes a slide."""
    if lesson.kind == LessonKind.PDF:
        _store(lesson, uploads.check_pdf(upload), upload, written)
    elif lesson.kind == LessonKind.VIDEO:
        checked, duration = uploads.check_video(upload)
        _store(lesson, checked, upload, written)
        lesson.duration_seconds = duration
    elif lesson.kind == LessonKind.SLIDES:
        if _is_pdf_name(upload):
            _store(lesson, uploads.check_pdf(upload), upload, written)
        else:
            return _slide(lesson, upload, written)
    else:
        raise _problem("file", _("This kind of lesson has no file."))
    return None


def _slide(lesson: Lesson, upload: Any, written: list[str]) -> LessonSlide:
    checked = uploads.check_picture(upload)
    count = lesson.slides.count()
    if count >= MAX_SLIDES:
        raise _problem("file", _("A lesson may have at most %(n)d slides.") % {"n": MAX_SLIDES})
    slide = LessonSlide(lesson=lesson, order=count + 1)
    _store(slide, checked, upload, written)
    slide.save()
    return slide


def _body(kind: str, body: str) -> str:
    cleaned = sanitize_html(body or "")
    text = html_to_text(cleaned)
    if kind == LessonKind.TEXT and not text:
        raise _problem("body", _("Write the text of the lesson."))
    if len(cleaned) > 500_000:
        raise _problem("body", _("The text is too long; please split it into several lessons."))
    if problem := classification_problem(text):
        raise _problem("body", problem)
    return cleaned


@transaction.atomic
def lesson_create(
    *,
    actor: Any,
    course: Course,
    title: str,
    kind: str,
    hours: Any,
    required_minutes: int,
    body: str = "",
    upload: Any = None,
) -> Lesson:
    """Add a lesson at the end of ``course``; a file lesson takes its upload (checked by content).

    Refused, with nothing saved: a missing title, an unknown kind, hours outside (0, 40], minutes
    outside 1–600, a text lesson without text, a file of the wrong type, a classified text.
    """
    access.require(actor, perms.MANAGE, course)
    if kind not in LessonKind.values:
        raise _problem("kind", _("Choose the kind of lesson."))
    lesson = Lesson(
        course=course,
        title=_text(title, "title", 200),
        kind=kind,
        hours=_hours(hours),
        required_minutes=_minutes(required_minutes),
        body=_body(kind, body),
    )
    _check_classification(lesson.title)
    last = course.lessons.aggregate(m=Max("order"))["m"]
    lesson.order = (last or 0) + 1
    with files_removed_on_error(Lesson.file.field.storage) as written:
        if upload is not None:
            if kind in (LessonKind.TEXT, LessonKind.PRACTICE):
                raise _problem("file", _("This kind of lesson has no file."))
            if kind != LessonKind.SLIDES or _is_pdf_name(upload):
                _attach(lesson, upload, written)
        lesson.save()
        if upload is not None and kind == LessonKind.SLIDES and not _is_pdf_name(upload):
            _slide(lesson, upload, written)
        audit_record(
            actor=actor,
            action="school.lesson_created",
            target=lesson,
            details={"course": course.pk, "kind": kind},
        )
    return lesson


def _is_pdf_name(upload: Any) -> bool:
    return str(getattr(upload, "name", "")).lower().endswith(".pdf")


@transaction.atomic
def lesson_update(
    *,
    actor: Any,
    lesson: Lesson,
    title: str,
    hours: Any,
    required_minutes: int,
    body: str = "",
    upload: Any = None,
) -> Lesson:
    """Change a lesson (its kind stays); a new upload replaces the file or adds a slide.

    Hours credited to people who already completed it stay as they were.
    """
    access.require(actor, perms.MANAGE, lesson.course)
    lesson.title = _text(title, "title", 200)
    lesson.hours = _hours(hours)
    lesson.required_minutes = _minutes(required_minutes)
    lesson.body = _body(lesson.kind, body)
    _check_classification(lesson.title)
    old_file = lesson.file.name if lesson.file else ""
    fields = ["title", "hours", "required_minutes", "body", "updated_at"]
    with files_removed_on_error(Lesson.file.field.storage) as written:
        if upload is not None:
            if lesson.kind in (LessonKind.TEXT, LessonKind.PRACTICE):
                raise _problem("file", _("This kind of lesson has no file."))
            if _attach(lesson, upload, written) is None:
                fields += ["file", "original_name", "content_type", "size", "sha256"]
                fields.append("duration_seconds")
        lesson.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="school.lesson_changed",
            target=lesson,
            details={"file_replaced": bool(written) and "file" in fields},
        )
    if old_file and "file" in fields and old_file != lesson.file.name:
        storage = Lesson.file.field.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return lesson


@transaction.atomic
def lesson_delete(*, actor: Any, lesson: Lesson) -> None:
    """Delete a lesson nobody has studied yet (study records are never thrown away)."""
    access.require(actor, perms.MANAGE, lesson.course)
    if lesson.progress.exists():
        raise DomainError(
            _(
                "People have already studied this lesson, so it cannot be deleted: their study "
                "records would be lost. You can withdraw the course instead."
            )
        )
    names = [lesson.file.name] if lesson.file else []
    names += [s.file.name for s in lesson.slides.all()]
    audit_record(
        actor=actor,
        action="school.lesson_deleted",
        target=lesson.course,
        details={"lesson": lesson.pk, "title": lesson.title},
    )
    lesson.delete()
    storage = Lesson.file.field.storage

    def remove_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def lesson_move(*, actor: Any, lesson: Lesson, direction: str) -> Lesson:
    """Move a lesson one place up or down in its course."""
    access.require(actor, perms.MANAGE, lesson.course)
    if direction not in ("up", "down"):
        raise _problem("direction", _("Choose up or down."))
    lessons = list(
        Lesson.objects.select_for_update()
        .filter(course_id=lesson.course_id)
        .only("id", "order")
        .order_by("order", "id")
    )
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(lessons):
        raise DomainError(_("The lesson is already at that end of the course."))
    lessons[index], lessons[other] = lessons[other], lessons[index]
    for position, item in enumerate(lessons, start=1):
        item.order = position
    Lesson.objects.bulk_update(lessons, ["order"])
    lesson.order = next(item.order for item in lessons if item.pk == lesson.pk)
    audit_record(
        actor=actor, action="school.lesson_moved", target=lesson, details={"to": lesson.order}
    )
    return lesson


@transaction.atomic
def lesson_slide_add(*, actor: Any, lesson: Lesson, upload: Any) -> LessonSlide:
    """Add a picture at the end of a slides lesson."""
    access.require(actor, perms.MANAGE, lesson.course)
    if lesson.kind != LessonKind.SLIDES:
        raise _problem("file", _("Only a slides lesson has pictures."))
    with files_removed_on_error(LessonSlide.file.field.storage) as written:
        slide = _slide(lesson, upload, written)
        audit_record(actor=actor, action="school.slide_added", target=lesson)
    return slide


@transaction.atomic
def lesson_slide_remove(*, actor: Any, slide: LessonSlide) -> None:
    """Remove one picture of a slides lesson."""
    lesson = slide.lesson
    access.require(actor, perms.MANAGE, lesson.course)
    name = slide.file.name
    slide.delete()
    audit_record(actor=actor, action="school.slide_removed", target=lesson)
    storage = LessonSlide.file.field.storage
    transaction.on_commit(lambda: storage.delete(name))


# ----------------------------------------------------------------------------- studying


def require_startable(*, user: Any, course: Course) -> None:
    """Refuse (in Chinese, naming them) while the course's prerequisites are not completed."""
    from dangwu.school.selectors import prerequisites_missing

    missing = prerequisites_missing(user=user, course=course)
    if missing:
        raise DomainError(
            _("Before this course, please finish: %(titles)s.")
            % {"titles": "、".join(f"《{c.title}》" for c in missing)}
        )


def _require_study(actor: Any, lesson: Lesson) -> None:
    access.require(actor, perms.STUDY, lesson.course)
    if getattr(actor, "pk", None) is None:  # the platform itself has no study record
        raise Forbidden(_("You do not have permission to do this."))
    if lesson.course.status != CourseStatus.PUBLISHED:
        raise NotFound(_("This lesson does not exist, or you may not see it."))


def beat_token(*, user: Any, lesson: Lesson) -> str:
    """Return the signed token a lesson page reports with: who, which lesson, since when."""
    return page_token(salt=TOKEN_SALT, user=user, subject=lesson.pk)


def _token_time(token: str, user: Any, lesson: Lesson) -> datetime:
    return page_token_time(
        token=token,
        salt=TOKEN_SALT,
        user=user,
        subject=lesson.pk,
        max_hours=conf.beat_token_hours(),
        invalid=_(
            "This study report is not valid. Please reload the lesson page and go on studying."
        ),
        expired=_("The lesson page has been open too long. Please reload it to go on studying."),
    )


@dataclass
class BeatResult:
    """What one report did: the progress after it and the seconds it credited."""

    progress: LessonProgress
    credited: int
    completed_now: bool


def _forged(actor: Any, lesson: Lesson, message: str, details: dict[str, Any]) -> DomainError:
    # Recorded outside any transaction (none is open here), so the refusal stays on record.
    audit_record(
        actor=actor, action="school.progress_refused", target=lesson, success=False, details=details
    )
    return DomainError(message)


def _other_lesson_beat(actor: Any, lesson: Lesson) -> Any:
    return (
        LessonProgress.objects.filter(user_id=actor.pk, last_beat_at__isnull=False)
        .exclude(lesson_id=lesson.pk)
        .order_by("-last_beat_at")
        .values("last_beat_at")[:1]
    )


def progress_report(
    *, actor: Any, lesson: Lesson, seconds: int, token: str, position: int | None = None
) -> BeatResult:
    """Credit the study time a lesson page reports (the heartbeat); one conditional UPDATE.

    ``seconds`` is the time the page counted as active since its previous report; ``position``
    is how far a video has been watched without skipping. The server credits at most the real
    time elapsed since the previous report (or since the page was served, from ``token``).
    Refused, crediting nothing: more seconds than elapsed (a forged report, audited), a video
    position advancing faster than real time (audited), time overlapping a report on another
    lesson, an invalid or stale token, prerequisites not completed. A report of 0 seconds
    without a position changes nothing and only returns the progress.
    """
    _require_study(actor, lesson)
    claimed = _whole(seconds)
    if claimed is None or claimed < 0:
        raise _problem("seconds", _("The seconds studied must be a whole number, 0 or more."))
    seconds = claimed
    if seconds > conf.max_beat_seconds():
        raise _forged(
            actor,
            lesson,
            _("This report claims more study time than one report may carry; nothing is counted."),
            {"claimed": seconds},
        )
    at = _whole(position)
    if position is not None and (at is None or not 0 <= at <= 86400):
        raise _problem("position", _("The video position must be a whole number of seconds."))
    if seconds == 0 and position is None:
        # Nothing claimed, nothing to check or write: answer the progress as it stands.
        current = LessonProgress.objects.filter(user_id=actor.pk, lesson_id=lesson.pk).first()
        return BeatResult(
            progress=current or LessonProgress(user_id=actor.pk, lesson=lesson),
            credited=0,
            completed_now=False,
        )
    issued = _token_time(token, actor, lesson)
    now = timezone.now()
    row = (
        LessonProgress.objects.filter(user_id=actor.pk, lesson_id=lesson.pk)
        .annotate(other_beat=Subquery(_other_lesson_beat(actor, lesson)))
        .first()
    )
    if row is None:
        require_startable(user=actor, course=lesson.course)
        other = _other_lesson_beat(actor, lesson).first()
        other_beat = other["last_beat_at"] if other else None
        since, prior_seconds, prior_position = issued, 0, 0
    else:
        if row.completed_at is not None:
            return BeatResult(progress=row, credited=0, completed_now=False)
        other_beat = row.other_beat
        since = max(issued, row.last_beat_at) if row.last_beat_at else issued
        prior_seconds, prior_position = row.seconds, row.position
    elapsed = max((now - since).total_seconds(), 0.0)
    tolerance = conf.beat_tolerance_seconds()
    if seconds > elapsed + tolerance:
        raise _forged(
            actor,
            lesson,
            _(
                "This report claims %(claimed)d seconds of study, but only %(elapsed)d seconds "
                "have passed since the last one. Nothing is counted."
            )
            % {"claimed": seconds, "elapsed": int(elapsed)},
            {"claimed": seconds, "elapsed": int(elapsed)},
        )
    new_position = prior_position
    if position is not None and lesson.kind == LessonKind.VIDEO:
        if position > prior_position + elapsed + tolerance:
            raise _forged(
                actor,
                lesson,
                _(
                    "The video cannot have advanced %(advance)d seconds in %(elapsed)d seconds. "
                    "Nothing is counted."
                )
                % {"advance": position - prior_position, "elapsed": int(elapsed)},
                {"position": position, "previous": prior_position, "elapsed": int(elapsed)},
            )
        new_position = max(prior_position, position)
        if lesson.duration_seconds:
            new_position = min(new_position, lesson.duration_seconds)
    if seconds and other_beat is not None and other_beat > now - timedelta(seconds=seconds):
        raise DomainError(
            _(
                "Time is being counted on another lesson at the same time; only one lesson at a "
                "time counts. This report was not counted."
            )
        )
    credit = int(min(seconds, elapsed))
    total = prior_seconds + credit
    video_done = bool(
        lesson.kind == LessonKind.VIDEO
        and lesson.duration_seconds
        and new_position >= lesson.duration_seconds - 1
    )
    completing = total >= lesson.required_seconds or video_done
    if row is None:
        try:
            with transaction.atomic():
                created = LessonProgress.objects.create(
                    user_id=actor.pk,
                    lesson=lesson,
                    seconds=credit,
                    position=new_position,
                    started_at=since,
                    last_beat_at=now,
                    completed_at=now if completing else None,
                    hours=lesson.hours if completing else Decimal("0.0"),
                )
        except IntegrityError:
            raise _simultaneous() from None
        return BeatResult(progress=created, credited=credit, completed_now=completing)
    values: dict[str, Any] = {
        "seconds": F("seconds") + credit,
        "position": new_position,
        "last_beat_at": now,
    }
    if completing:
        values.update(completed_at=now, hours=lesson.hours)
    # Conditional: another report (another tab) that got in first leaves this one uncounted.
    changed = LessonProgress.objects.filter(
        pk=row.pk, last_beat_at=row.last_beat_at, completed_at__isnull=True
    ).update(**values)
    if not changed:
        raise _simultaneous()
    row.seconds, row.position, row.last_beat_at = total, new_position, now
    if completing:
        row.completed_at, row.hours = now, lesson.hours
    return BeatResult(progress=row, credited=credit, completed_now=completing)


def _simultaneous() -> DomainError:
    return DomainError(
        _(
            "Another report for this lesson arrived at the same moment (is it open twice?); this "
            "one was not counted."
        )
    )


@transaction.atomic
def lesson_time_credit(*, actor: Any, lesson: Lesson, seconds: int) -> LessonProgress:
    """Add study time the caller has measured itself (e.g. typing practice) to ``actor``'s lesson.

    Completes the lesson when its required time is reached. Refused: seconds not a whole number
    from 1 to 4 hours, a lesson of a course that is not published, prerequisites not completed.
    """
    _require_study(actor, lesson)
    given = _whole(seconds)
    if given is None or given < 1:
        raise _problem("seconds", _("The seconds studied must be a whole number, 1 or more."))
    seconds = given
    if seconds > MAX_CREDIT_SECONDS:
        raise _problem(
            "seconds",
            _("At most %(n)d hours can be credited at once.") % {"n": MAX_CREDIT_SECONDS // 3600},
        )
    row = LessonProgress.objects.select_for_update().filter(user_id=actor.pk, lesson=lesson).first()
    if row is None:
        require_startable(user=actor, course=lesson.course)
        row = LessonProgress.objects.create(user_id=actor.pk, lesson=lesson)
    if row.completed_at is None:
        row.seconds += seconds
        fields = ["seconds"]
        if row.seconds >= lesson.required_seconds:
            row.completed_at, row.hours = timezone.now(), lesson.hours
            fields += ["completed_at", "hours"]
        row.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="school.time_credited",
        target=lesson,
        details={"seconds": seconds, "completed": row.completed_at is not None},
    )
    return row
