"""The reading room's place on the school's home page, its reading time as study time, and its
demo data."""

from django.utils.translation import gettext_lazy

from dangwu.core import hooks
from dangwu.library import permissions as perms
from dangwu.library import selectors
from dangwu.library.demo import build_library
from dangwu.library.files_demo import build_file_library
from dangwu.school.selectors import SCHOOL_LINKS, STUDY_TIME_SOURCES, StudyTimeSource


@hooks.register(SCHOOL_LINKS)
def school_links() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(
            gettext_lazy("Classics reading room"),
            "library:catalogue",
            perms.CLASSICS_READ,
            order=40,
        )
    ]


@hooks.register(STUDY_TIME_SOURCES)
def reading_counts_as_study() -> StudyTimeSource:
    return StudyTimeSource(
        label=gettext_lazy("Reading the classics"), seconds=selectors.reading_seconds
    )


hooks.register("demo_builders")(build_library)


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(
            gettext_lazy("File library"), "library:files_home", perms.FILES_USE, order=60
        )
    ]


hooks.register("demo_builders")(build_file_library)
