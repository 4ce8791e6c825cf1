"""Incoming documents in the menu, in 我的待办, and in the demo data."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core import hooks
from dangwu.incoming import permissions as perms
from dangwu.incoming import selectors
from dangwu.incoming.demo import build_incoming
from dangwu.incoming.enums import IncomingStatus, Urgency

SHOWN = 10


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [hooks.MenuItem(_("Incoming documents"), "incoming:list", perms.VIEW, order=50)]


@hooks.register(hooks.TODO_PROVIDERS)
def todos(user: Any) -> list[hooks.TodoItem]:
    """Leaders: documents to instruct and to read. Assignees: documents to handle.

    Clerks: how many wait for their proposal or for assignment. One query, two for clerks.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    texts = (
        ("to_instruct", _("Give your instruction: %(title)s")),
        ("to_read", _("Read in circulation: %(title)s")),
        ("to_handle", _("Handle: %(title)s")),
    )
    items = [
        hooks.TodoItem(
            title=text % {"title": document.title},
            url=reverse("incoming:detail", args=[document.pk]),
            kind=_("Incoming documents"),
            urgent=document.urgency != Urgency.NORMAL,
        )
        for document in selectors.todo_documents(user)[:SHOWN]
        for reason, text in texts
        if getattr(document, reason)
    ]
    if access.can(user, perms.REGISTER):
        waiting = (
            selectors.documents_visible(user)
            .filter(status__in=[IncomingStatus.REGISTERED, IncomingStatus.INSTRUCTED])
            .count()
        )
        if waiting:
            items.append(
                hooks.TodoItem(
                    title=_("Incoming documents to route (%(n)d)") % {"n": waiting},
                    url=reverse("incoming:list"),
                    kind=_("Incoming documents"),
                )
            )
    return items


hooks.register("demo_builders")(build_incoming)
