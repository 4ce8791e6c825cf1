"""Writes of the classics reading room: importing and managing books, reading reports, bookmarks.

Reading time comes only from the reader page's heartbeat (:func:`reading_report`): the page
claims the seconds it counted as active and visible; the server credits no more than the time
that really passed since the previous credited report (or since the page was served, from its
signed token), writes at most once a minute per person, and refuses (and audits) a claim of more
time than has passed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.activity import page_token, page_token_time
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.core.html import html_to_text
from dangwu.library import permissions as perms
from dangwu.library.books_import import ParsedBook, parse_book
from dangwu.library.enums import BookCategory
from dangwu.library.models import Book, Bookmark, Chapter, ReadingDay, ReadingPosition

TOKEN_SALT = "dangwu.library.reading"  # noqa: S105  (a signing salt, not a secret)
MAX_NOTE = 2000
EXCERPT_LENGTH = 60


def beat_interval_seconds() -> int:
    """How often an open reader page reports reading time (and the least time between writes)."""
    return int(getattr(settings, "LIBRARY_BEAT_SECONDS", 60))


def beat_tolerance_seconds() -> int:
    return int(getattr(settings, "LIBRARY_BEAT_TOLERANCE_SECONDS", 3))


def max_beat_seconds() -> int:
    return int(getattr(settings, "LIBRARY_MAX_BEAT_SECONDS", 600))


def token_hours() -> int:
    return int(getattr(settings, "LIBRARY_TOKEN_HOURS", 12))


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _guard(*texts: str) -> None:
    if problem := classification_problem(*texts):
        raise _problem("file", problem)


# ---------------------------------------------------------------------------------- books


def _book_fields(
    title: str, author: str, category: str, description: str
) -> tuple[str, str, str, str]:
    title, author, description = (title or "").strip(), (author or "").strip(), description or ""
    if not title:
        raise _problem("title", _("Give the book a title."))
    if len(title) > 200:
        raise _problem("title", _("The title may be at most 200 characters long."))
    if len(author) > 100:
        raise _problem("author", _("The author may be at most 100 characters long."))
    if len(description) > 5000:
        raise _problem("description", _("The description may be at most 5000 characters long."))
    if category not in BookCategory.values:
        raise _problem("category", _("Choose the category of the book."))
    if "\x00" in title + author + description:
        raise _problem("title", _("The text contains characters that cannot be stored."))
    if problem := classification_problem(title, description):
        raise _problem("title", problem)
    return title, author, category, description.strip()


@transaction.atomic
def book_import(
    *,
    actor: Any,
    upload: Any,
    category: str,
    title: str = "",
    author: str = "",
    description: str = "",
) -> Book:
    """Import a book from a .txt, .md or .epub upload; all of it or nothing.

    Refused with ``ValidationFailed`` (nothing saved): a file that is not what its name says, a
    zip bomb or a path trick in an EPUB, text in neither UTF-8 nor GB18030, no text, a classified
    mark in the title, the description or any chapter, bad field values.
    """
    access.require(actor, perms.CLASSICS_MANAGE)
    if category not in BookCategory.values:
        raise _problem("category", _("Choose the category of the book."))
    parsed: ParsedBook = parse_book(upload)
    _guard(upload.name or "")
    for chapter in parsed.chapters:
        _guard(chapter.title, chapter.text)
    title, author, category, description = _book_fields(
        title or parsed.title, author or parsed.author, category, description
    )
    book = Book.objects.create(
        title=title,
        author=author,
        category=category,
        description=description,
        source_format=parsed.format,
        source_name=(upload.name or "")[:255],
        chapter_count=len(parsed.chapters),
        created_by=_user_or_none(actor),
    )
    Chapter.objects.bulk_create(
        Chapter(
            book=book,
            number=number,
            title=chapter.title,
            blocks=chapter.blocks,
            paragraph_count=len(chapter.blocks),
        )
        for number, chapter in enumerate(parsed.chapters, 1)
    )
    audit_record(
        actor=actor,
        action="library.book_imported",
        target=book,
        details={"format": parsed.format, "chapters": len(parsed.chapters)},
    )
    return book


@transaction.atomic
def book_update(
    *, actor: Any, book: Book, title: str, author: str, category: str, description: str = ""
) -> Book:
    """Change a book's title, author, category and description."""
    access.require(actor, perms.CLASSICS_MANAGE)
    book.title, book.author, book.category, book.description = _book_fields(
        title, author, category, description
    )
    book.save(update_fields=["title", "author", "category", "description", "updated_at"])
    audit_record(actor=actor, action="library.book_updated", target=book)
    return book


@transaction.atomic
def book_delete(*, actor: Any, book: Book) -> None:
    """Remove a book with its chapters, and everyone's positions and bookmarks in it.

    Reading time already credited stays: it was spent.
    """
    access.require(actor, perms.CLASSICS_MANAGE)
    audit_record(
        actor=actor, action="library.book_deleted", target=book, details={"title": book.title}
    )
    Bookmark.objects.filter(book=book).delete()
    ReadingPosition.objects.filter(book=book).delete()
    book.delete()


# ---------------------------------------------------------------------------------- reading


def _require_reader(actor: Any) -> None:
    access.require(actor, perms.CLASSICS_READ)
    if getattr(actor, "pk", None) is None:  # the platform itself keeps no reading record
        raise Forbidden(_("You do not have permission to do this."))


def beat_token(*, user: Any, chapter: Chapter) -> str:
    """Return the signed token a reader page reports with: who, which chapter, since when."""
    return page_token(salt=TOKEN_SALT, user=user, subject=chapter.pk)


def _token_time(token: str, user: Any, chapter: Chapter) -> datetime:
    return page_token_time(
        token=token,
        salt=TOKEN_SALT,
        user=user,
        subject=chapter.pk,
        max_hours=token_hours(),
        invalid=_("This reading report is not valid. Please reload the page and read on."),
        expired=_("The page has been open too long. Please reload it to read on."),
    )


@dataclass
class ReadingResult:
    """What one report did: the seconds credited, and whether the position was kept."""

    credited: int
    position_saved: bool
    today_seconds: int


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _refused(actor: Any, chapter: Chapter, message: str, details: dict[str, Any]) -> DomainError:
    audit_record(
        actor=actor,
        action="library.reading_time_refused",
        target=chapter.book,
        success=False,
        details=details,
    )
    return DomainError(message)


def position_save(*, actor: Any, chapter: Chapter, paragraph: int) -> ReadingPosition:
    """Remember that ``actor`` stopped at ``paragraph`` of ``chapter`` (one upsert)."""
    _require_reader(actor)
    at = _whole(paragraph)
    if at is None or not 0 <= at < max(chapter.paragraph_count, 1):
        raise _problem("paragraph", _("There is no such paragraph in this chapter."))
    now = timezone.now()
    position, _created = ReadingPosition.objects.update_or_create(
        user_id=actor.pk,
        book_id=chapter.book_id,
        defaults={"chapter": chapter, "paragraph": at, "updated_at": now},
    )
    return position


def reading_report(
    *,
    actor: Any,
    chapter: Chapter,
    token: str,
    seconds: int = 0,
    paragraph: int | None = None,
) -> ReadingResult:
    """Keep the reader's position and credit the active reading time the page reports.

    ``seconds`` is what the page counted as active and visible since its previous report. The
    credit is at most the time elapsed since the person's previous credited report (or since the
    page was served); it is written at most once per ``LIBRARY_BEAT_SECONDS`` per person (an
    earlier report keeps only the position). Refused, nothing credited: an invalid or expired
    token, a claim of more seconds than have passed (audited), seconds not a whole number.
    """
    _require_reader(actor)
    claimed = _whole(seconds)
    if claimed is None or claimed < 0:
        raise _problem("seconds", _("The seconds read must be a whole number, 0 or more."))
    if claimed == 0 and paragraph is None:
        # Nothing reported, nothing to check or write.
        return ReadingResult(credited=0, position_saved=False, today_seconds=0)
    issued = _token_time(token, actor, chapter)
    if paragraph is not None:
        at = _whole(paragraph)
        if at is None or not 0 <= at < max(chapter.paragraph_count, 1):
            raise _problem("paragraph", _("There is no such paragraph in this chapter."))
    now = timezone.now()
    today = timezone.localdate(now)
    last = (
        ReadingDay.objects.filter(user_id=actor.pk)
        .order_by("-last_beat_at")
        .values("day", "seconds", "last_beat_at")
        .first()
    )
    today_seconds = last["seconds"] if last and last["day"] == today else 0
    saved = paragraph is not None
    if claimed == 0:
        if paragraph is not None:
            position_save(actor=actor, chapter=chapter, paragraph=paragraph)
        return ReadingResult(credited=0, position_saved=saved, today_seconds=today_seconds)
    if claimed > max_beat_seconds():
        raise _refused(
            actor,
            chapter,
            _(
                "This report claims more reading time than one report may carry; nothing is "
                "counted."
            ),
            {"claimed": claimed},
        )
    since = max(issued, last["last_beat_at"]) if last else issued
    elapsed = max((now - since).total_seconds(), 0.0)
    if claimed > elapsed + beat_tolerance_seconds():
        raise _refused(
            actor,
            chapter,
            _(
                "This report claims %(claimed)d seconds of reading, but only %(elapsed)d seconds "
                "have passed since the last one. Nothing is counted."
            )
            % {"claimed": claimed, "elapsed": int(elapsed)},
            {"claimed": claimed, "elapsed": int(elapsed)},
        )
    # The report is genuine: its position is kept whether or not its time is written now.
    if paragraph is not None:
        position_save(actor=actor, chapter=chapter, paragraph=paragraph)
    if last and now - last["last_beat_at"] < timedelta(
        seconds=beat_interval_seconds() - beat_tolerance_seconds()
    ):
        # At most one write a minute per person: an early report (a second tab) is not counted.
        return ReadingResult(credited=0, position_saved=saved, today_seconds=today_seconds)
    credit = int(min(claimed, elapsed))
    changed = ReadingDay.objects.filter(user_id=actor.pk, day=today).update(
        seconds=F("seconds") + credit, last_beat_at=now
    )
    if not changed:
        try:
            with transaction.atomic():
                ReadingDay.objects.create(
                    user_id=actor.pk, day=today, seconds=credit, last_beat_at=now
                )
        except IntegrityError:  # a report from another tab created the day just now
            return ReadingResult(credited=0, position_saved=saved, today_seconds=today_seconds)
    return ReadingResult(
        credited=credit, position_saved=saved, today_seconds=today_seconds + credit
    )


# ---------------------------------------------------------------------------------- bookmarks


@transaction.atomic
def bookmark_create(*, actor: Any, chapter: Chapter, paragraph: int, note: str = "") -> Bookmark:
    """Mark a paragraph of a chapter for ``actor``, with an optional note only they see."""
    _require_reader(actor)
    at = _whole(paragraph)
    if at is None or not 0 <= at < chapter.paragraph_count:
        raise _problem("paragraph", _("There is no such paragraph in this chapter."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise _problem("note", _("A note may be at most %(n)s characters long.") % {"n": MAX_NOTE})
    if "\x00" in note:
        raise _problem("note", _("The text contains characters that cannot be stored."))
    if problem := classification_problem(note):
        raise _problem("note", problem)
    excerpt = html_to_text(chapter.blocks[at])[:EXCERPT_LENGTH]
    bookmark = Bookmark.objects.create(
        user_id=actor.pk,
        book_id=chapter.book_id,
        chapter=chapter,
        paragraph=at,
        excerpt=excerpt,
        note=note,
    )
    return bookmark


@transaction.atomic
def bookmark_delete(*, actor: Any, bookmark: Bookmark) -> None:
    """Delete one of ``actor``'s own bookmarks (the selector already refused others')."""
    _require_reader(actor)
    if bookmark.user_id != actor.pk:
        raise Forbidden(_("You do not have permission to do this."))
    bookmark.delete()


@transaction.atomic
def reading_time_record(*, actor: Any, user: Any, day: Any, seconds: int) -> ReadingDay:
    """Add ``seconds`` of reading on ``day`` for ``user``, as the platform (demo data, imports).

    Only the system may do this: people's time comes from the reader's heartbeat alone.
    """
    if actor is not access.SYSTEM:
        raise Forbidden(_("You do not have permission to do this."))
    given = _whole(seconds)
    if given is None or not 0 < given <= 86400:
        raise _problem("seconds", _("The seconds read must be a whole number, 0 or more."))
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())
    row, created = ReadingDay.objects.get_or_create(
        user_id=user.pk,
        day=day,
        defaults={"seconds": given, "last_beat_at": min(noon, timezone.now() - timedelta(hours=1))},
    )
    if not created:
        ReadingDay.objects.filter(pk=row.pk).update(seconds=F("seconds") + given)
        row.refresh_from_db(fields=["seconds"])
    return row
