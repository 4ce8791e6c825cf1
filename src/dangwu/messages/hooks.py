"""Mail's places in the menu and in 我的待办, and its periodic jobs (digest, retries)."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dangwu import access
from dangwu.core import hooks
from dangwu.core.periodic import PERIODIC_JOBS, PeriodicJob
from dangwu.messages import permissions as perms
from dangwu.messages import selectors
from dangwu.messages.demo import build_mail

# Unread notifications listed one by one in 我的待办; more are summed up in one line.
TODO_NOTIFICATIONS = 5


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(gettext_lazy("Mail"), "mail:inbox", perms.MAILBOX, order=20),
        hooks.MenuItem(
            gettext_lazy("Notifications"), "mail:notifications", perms.NOTIFICATIONS, order=21
        ),
    ]


@hooks.register(hooks.TODO_PROVIDERS)
def todos(user: Any) -> list[hooks.TodoItem]:
    """The newest unread notifications, and how many messages are unread."""
    items: list[hooks.TodoItem] = []
    if access.can(user, perms.NOTIFICATIONS):
        unread = list(
            selectors.unread_notifications(user).only("id", "title", "created_at")[
                : TODO_NOTIFICATIONS + 1
            ]
        )
        items.extend(
            hooks.TodoItem(
                title=n.title,
                url=reverse("mail:notification_open", args=[n.pk]),
                kind=_("Notification"),
            )
            for n in unread[:TODO_NOTIFICATIONS]
        )
        if len(unread) > TODO_NOTIFICATIONS:
            more = selectors.unread_notifications(user).count() - TODO_NOTIFICATIONS
            items.append(
                hooks.TodoItem(
                    title=ngettext(
                        "%(n)d more unread notification", "%(n)d more unread notifications", more
                    )
                    % {"n": more},
                    url=reverse("mail:notifications"),
                    kind=_("Notification"),
                )
            )
    if count := selectors.unread_mail_count(user):
        items.append(
            hooks.TodoItem(
                title=_("Unread mail (%(n)d)") % {"n": count},
                url=reverse("mail:inbox"),
                kind=_("Mail"),
            )
        )
    return items


@hooks.register(PERIODIC_JOBS)
def periodic_jobs() -> list[PeriodicJob]:
    return [
        # 00:00 UTC is 08:00 in Beijing: the digest is there when the working day begins.
        PeriodicJob(
            name="mail.daily_digest",
            every=timedelta(days=1),
            run="dangwu.messages.services.send_daily_digests",
        ),
        # Mails a failed attempt gave back (server down) go out on the next try.
        PeriodicJob(
            name="mail.send_pending",
            every=timedelta(minutes=15),
            run="dangwu.messages.services.send_notification_mails",
        ),
    ]


hooks.register("demo_builders")(build_mail)
