"""The portal's places in the menu and in 我的待办, and its demo data."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core import hooks
from dangwu.portal import permissions as perms
from dangwu.portal import selectors
from dangwu.portal.demo import build_portal
from dangwu.portal.enums import ArticleStatus

RETURNED_SHOWN = 10


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(_("Party-building website"), "portal:home", None, order=10),
        hooks.MenuItem(_("My articles"), "portal:mine", perms.ARTICLE_WRITE, order=40),
        hooks.MenuItem(_("Review articles"), "portal:review", perms.ARTICLE_REVIEW, order=41),
    ]


@hooks.register(hooks.TODO_PROVIDERS)
def todos(user: Any) -> list[hooks.TodoItem]:
    """Reviewers: how many articles wait for review. Writers: their returned articles."""
    items: list[hooks.TodoItem] = []
    if access.can(user, perms.ARTICLE_REVIEW):
        waiting = selectors.articles_to_review(user).count()
        if waiting:
            items.append(
                hooks.TodoItem(
                    title=_("Articles waiting for review (%(n)d)") % {"n": waiting},
                    url=reverse("portal:review"),
                    kind=_("Articles"),
                )
            )
    if access.can(user, perms.ARTICLE_WRITE):
        returned = (
            selectors.articles_editable(user)
            .filter(status=ArticleStatus.RETURNED, created_by=user)
            .only("id", "title", "updated_at")
            .select_related(None)
            .order_by("-updated_at")[:RETURNED_SHOWN]
        )
        items.extend(
            hooks.TodoItem(
                title=_("Returned for changes: %(title)s") % {"title": article.title},
                url=reverse("portal:manage", args=[article.pk]),
                kind=_("Articles"),
                urgent=True,
            )
            for article in returned
        )
    return items


hooks.register("demo_builders")(build_portal)
