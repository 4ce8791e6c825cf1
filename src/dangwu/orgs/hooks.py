from django.utils.translation import gettext_lazy as _

from dangwu.core import hooks
from dangwu.orgs import permissions as perms
from dangwu.orgs.demo import build_organizations


@hooks.register(hooks.MENU_ITEMS)
def menu_items():
    return [
        hooks.MenuItem(_("Organizations"), "orgs:tree", perms.ORG_VIEW, order=20),
        hooks.MenuItem(_("Members"), "orgs:members", perms.MEMBER_VIEW, order=30),
        # Organization and member imports share one page; those keeping the records use it.
        hooks.MenuItem(_("Import"), "orgs:import", perms.MEMBER_MANAGE, order=35),
    ]


hooks.register("demo_builders")(build_organizations)
