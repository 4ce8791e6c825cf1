"""The submissions app's places in the menu and in 我的待办, its exchange kinds and demo data."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangwu import access
from dangwu.core import hooks
from dangwu.submissions import (
    exchange,  # noqa: F401  (registers the record kinds)
    selectors,
)
from dangwu.submissions import permissions as perms
from dangwu.submissions.demo import build_submissions
from dangwu.submissions.enums import SubmissionStatus

TODO_SHOWN = 10


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(
            gettext_lazy("My submissions"), "submissions:mine", perms.SUBMISSION_MINE, order=40
        ),
        hooks.MenuItem(
            gettext_lazy("Submissions inbox"),
            "submissions:inbox",
            perms.SUBMISSION_REVIEW,
            order=41,
        ),
        hooks.MenuItem(
            gettext_lazy("Submissions ranking"),
            "submissions:ranking",
            perms.SUBMISSION_RANKING,
            order=42,
        ),
    ]


@hooks.register(hooks.TODO_PROVIDERS)
def todos(user: Any) -> list[hooks.TodoItem]:
    """Returned items to fix, items to approve, calls to answer, and the editors' inbox."""
    items: list[hooks.TodoItem] = []
    kind = _("Submissions")
    if not getattr(user, "is_authenticated", False):
        return items
    returned = selectors.my_submissions(user).filter(status=SubmissionStatus.RETURNED)
    items.extend(
        hooks.TodoItem(
            title=_("Returned, change and send again: %(title)s") % {"title": s.title},
            url=reverse("submissions:detail", args=[s.pk]),
            kind=kind,
            urgent=True,
        )
        for s in returned[:TODO_SHOWN]
    )
    if access.can(user, perms.SUBMISSION_APPROVE):
        items.extend(
            hooks.TodoItem(
                title=_("Approve before it is sent: %(title)s") % {"title": s.title},
                url=reverse("submissions:detail", args=[s.pk]),
                kind=kind,
            )
            for s in selectors.awaiting_approval(user)[:TODO_SHOWN]
        )
    if access.can(user, perms.SUBMISSION_WRITE):
        items.extend(
            hooks.TodoItem(
                title=_("Call for submissions: %(title)s") % {"title": c.title},
                url=reverse("submissions:create") + f"?call={c.pk}",
                kind=kind,
                due=c.due_on.isoformat(),
            )
            for c in selectors.calls_open_for(user)[:TODO_SHOWN]
        )
    if access.can(user, perms.SUBMISSION_REVIEW):
        waiting = selectors.inbox(
            user, selectors.InboxFilter(status=SubmissionStatus.SUBMITTED)
        ).count()
        if waiting:
            items.append(
                hooks.TodoItem(
                    title=_("Items waiting for a decision: %(count)d") % {"count": waiting},
                    url=reverse("submissions:inbox"),
                    kind=kind,
                )
            )
    return items


hooks.register("demo_builders")(build_submissions)
