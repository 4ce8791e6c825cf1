"""The archive in the menu and in the demo data; registers the document providers."""

from django.utils.translation import gettext as _

from dangwu.archive import permissions as perms
from dangwu.archive import sources  # noqa: F401  (registers the archive providers)
from dangwu.archive.demo import build_archive
from dangwu.core import hooks


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(_("Archive"), "archive:catalogue", perms.VIEW, order=55),
        hooks.MenuItem(_("Search documents"), "archive:search", perms.SEARCH, order=56),
    ]


hooks.register("demo_builders")(build_archive)
