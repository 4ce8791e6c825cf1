"""The school in the main menu and in the demo data (我的待办 for courses is the training app's)."""

from django.utils.translation import gettext_lazy

from dangwu.core import hooks
from dangwu.school import permissions as perms
from dangwu.school.demo import build_school


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(gettext_lazy("Online Party school"), "school:home", perms.STUDY, order=70),
        hooks.MenuItem(gettext_lazy("Manage courses"), "school:manage", perms.MANAGE, order=71),
    ]


hooks.register("demo_builders")(build_school)
