"""The training app's places in the menu and in 我的待办, its periodic job and demo data."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangwu import access
from dangwu.core import hooks
from dangwu.core.periodic import PERIODIC_JOBS, PeriodicJob
from dangwu.school.selectors import SCHOOL_LINKS
from dangwu.training import permissions as perms
from dangwu.training import selectors
from dangwu.training.demo import build_training

# 我的待办 lists at most this many training items one by one; the rest are counted in one line.
TODO_SHOWN = 10


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(gettext_lazy("Training plans"), "training:plans", perms.PLAN_VIEW, order=77),
    ]


@hooks.register(SCHOOL_LINKS)
def school_links() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(gettext_lazy("My training"), "training:mine", perms.STUDY, order=20),
        hooks.MenuItem(
            gettext_lazy("Chinese typing practice"), "training:typing", perms.STUDY, order=30
        ),
    ]


@hooks.register(hooks.TODO_PROVIDERS)
def todos(user: Any) -> list[hooks.TodoItem]:
    """The courses to finish and exams to pass under the plans in progress; overdue is urgent."""
    if not access.can(user, perms.STUDY):
        return []
    from dangwu.training.views import item_url

    owed = selectors.obligations_for(user, include_done=False)
    kind = _("Training")
    items = [
        hooks.TodoItem(
            title=(
                _("Study the course: %(title)s")
                if o.kind == "course"
                else _("Pass the exam: %(title)s")
            )
            % {"title": o.title},
            url=item_url(o.kind, o.object_id) or reverse("training:mine"),
            kind=kind,
            due=o.due_on.isoformat(),
            urgent=o.overdue,
        )
        for o in owed[:TODO_SHOWN]
    ]
    if len(owed) > TODO_SHOWN:
        items.append(
            hooks.TodoItem(
                title=_("More training to do (%(count)s in all)") % {"count": len(owed)},
                url=reverse("training:mine"),
                kind=kind,
            )
        )
    return items


@hooks.register(PERIODIC_JOBS)
def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob(
            name="training.send_reminders",
            every=timedelta(days=1),
            # 01:00 UTC, 09:00 in Beijing: at the start of the working day.
            offset=timedelta(hours=1),
            run="dangwu.training.reminders.reminders_send",
        )
    ]


hooks.register("demo_builders")(build_training)
