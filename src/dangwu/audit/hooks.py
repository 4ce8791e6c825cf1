from django.utils.translation import gettext_lazy as _

from dangwu.audit import permissions as perms
from dangwu.core import hooks


@hooks.register(hooks.MENU_ITEMS)
def menu_items():
    return [hooks.MenuItem(_("Audit log"), "audit:list", perms.AUDIT_VIEW, order=90)]
