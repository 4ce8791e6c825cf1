"""Demo books for the classics reading room, imported through the real importer.

The texts (demo_texts.py) are ancient and public domain; the demo editor imports them, and the
demo member has a place to continue from, some reading time and a bookmark with a note.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.library import services
from dangwu.library.demo_texts import BOOKS
from dangwu.library.models import Chapter


def build_library(context: DemoContext) -> None:
    editor = User.objects.filter(username="demo-editor").first() or SYSTEM
    books = []
    for name, source, category, title, author, description in BOOKS:
        books.append(
            services.book_import(
                actor=editor,
                upload=SimpleUploadedFile(name, source.encode("utf-8"), "text/plain"),
                category=category,
                title=title,
                author=author,
                description=description,
            )
        )
    context.data["library_books"] = books
    member = User.objects.filter(username="demo-member").first()
    if member is None:
        return
    lunyu = books[0]
    second = Chapter.objects.get(book=lunyu, number=2)
    services.position_save(actor=member, chapter=second, paragraph=10)
    services.bookmark_create(
        actor=member,
        chapter=Chapter.objects.get(book=lunyu, number=1),
        paragraph=3,
        note="每日三省：为人谋是否尽心，与人交是否守信，所学是否温习。",
    )
    today = timezone.localdate()
    for days_ago, minutes in ((1, 25), (3, 40), (6, 15)):
        services.reading_time_record(
            actor=SYSTEM, user=member, day=today - timedelta(days=days_ago), seconds=minutes * 60
        )


build_library.order = 35  # type: ignore[attr-defined]  # read by core.demo.build_demo; after accounts (20)
