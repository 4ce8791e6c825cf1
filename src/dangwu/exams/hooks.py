"""The exams app's places in the menu and in 我的待办, its periodic job and demo data."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangwu import access
from dangwu.core import hooks
from dangwu.core.periodic import PERIODIC_JOBS, PeriodicJob
from dangwu.exams import permissions as perms
from dangwu.exams import selectors
from dangwu.exams.demo import build_exams
from dangwu.exams.enums import ExamStatus
from dangwu.school.selectors import SCHOOL_LINKS

# 我的待办 lists at most this many exams one by one; the rest are counted in one line.
TODO_SHOWN = 5
# How many open exams are looked at for 我的待办 (newest first).
TODO_LOOKED_AT = 50


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(gettext_lazy("Question bank"), "exams:bank", perms.BANK_MANAGE, order=81),
        hooks.MenuItem(gettext_lazy("Exam statistics"), "exams:stats", perms.STATS_VIEW, order=82),
    ]


@hooks.register(SCHOOL_LINKS)
def school_links() -> list[hooks.MenuItem]:
    return [hooks.MenuItem(gettext_lazy("Exams"), "exams:list", perms.EXAM_TAKE, order=10)]


@hooks.register(hooks.TODO_PROVIDERS)
def todos(user: Any) -> list[hooks.TodoItem]:
    """Exams open to the person that they have not passed and still have attempts for, and
    attempts in progress (urgent: their time is running). Two queries.

    A course's own quizzes are not listed until started: they are taken with the course, and
    what a person owes of a course reaches 我的待办 through training plans."""
    if not access.can(user, perms.EXAM_TAKE):
        return []
    now = timezone.now()
    exams = list(
        selectors.exams_open_to(user)
        .filter(status=ExamStatus.PUBLISHED)
        .exclude(closes_at__lte=now)
        .exclude(opens_at__gt=now)
        .select_related(None)
        .only("id", "title", "attempts_allowed", "closes_at", "course_id")[:TODO_LOOKED_AT]
    )
    kind = _("Exams")
    items: list[hooks.TodoItem] = []
    for standing in selectors.standings(user=user, exams=exams):
        exam = standing.exam
        due = (
            timezone.localtime(exam.closes_at).strftime("%Y-%m-%d %H:%M")
            if exam.closes_at
            else None
        )
        if standing.in_progress:
            items.append(
                hooks.TodoItem(
                    title=_("Exam in progress: %(title)s") % {"title": exam.title},
                    url=reverse("exams:attempt", args=[standing.in_progress]),
                    kind=kind,
                    urgent=True,
                    due=due,
                )
            )
        elif not standing.passed and standing.left and exam.course_id is None:
            items.append(
                hooks.TodoItem(
                    title=_("Take the exam: %(title)s") % {"title": exam.title},
                    url=reverse("exams:detail", args=[exam.pk]),
                    kind=kind,
                    urgent=bool(exam.closes_at and exam.closes_at - now < timedelta(days=1)),
                    due=due,
                )
            )
    items.sort(key=lambda item: not item.urgent)
    if len(items) > TODO_SHOWN:
        more = hooks.TodoItem(title=_("More exams to take"), url=reverse("exams:list"), kind=kind)
        items = [*items[:TODO_SHOWN], more]
    return items


@hooks.register(PERIODIC_JOBS)
def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob(
            name="exams.close_expired",
            every=timedelta(minutes=1),
            run="dangwu.exams.services.close_expired_job",
        )
    ]


hooks.register("demo_builders")(build_exams)
