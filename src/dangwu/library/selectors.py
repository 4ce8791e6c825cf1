"""Reads of the classics reading room, each with a fixed number of queries.

Books are read by every business user; positions, bookmarks, notes and reading time are
selected by the person's own id only, so nobody ever sees another's.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.library import permissions as perms
from dangwu.library.models import Book, Bookmark, Chapter, ReadingDay, ReadingPosition

BOOK_LIST_FIELDS = ("id", "title", "author", "category", "chapter_count", "description")
MAX_QUERY = 100


def _not_found() -> NotFound:
    return NotFound(_("This book does not exist, or you may not see it."))


def books_catalogue(*, user: Any, category: str = "", query: str = "") -> QuerySet[Book]:
    """Return the books ``user`` may read, by category and title, filtered (one query)."""
    access.require(user, perms.CLASSICS_READ)
    books = Book.objects.only(*BOOK_LIST_FIELDS).order_by("category", "title", "id")
    if category:
        books = books.filter(category=category)
    query = " ".join((query or "").split())[:MAX_QUERY]
    for word in query.split(" ") if query else []:
        books = books.filter(Q(title__icontains=word) | Q(author__icontains=word))
    return books


def book_access(*, user: Any, pk: int) -> Book:
    """Return the book ``pk`` if ``user`` may read it; the same NotFound for missing and not."""
    if not access.can(user, perms.CLASSICS_READ):
        raise _not_found()
    book = Book.objects.filter(pk=pk).first()
    if book is None:
        raise _not_found()
    return book


def book_contents(book: Book) -> list[Chapter]:
    """Return the table of contents of ``book`` (numbers and titles, one query)."""
    return list(
        Chapter.objects.filter(book=book)
        .only("id", "book_id", "number", "title", "paragraph_count")
        .order_by("number")
    )


def chapter_access(*, user: Any, book_id: int, number: int) -> Chapter:
    """Return chapter ``number`` of book ``book_id`` with its book (one query), or NotFound."""
    if not access.can(user, perms.CLASSICS_READ):
        raise _not_found()
    chapter = Chapter.objects.select_related("book").filter(book_id=book_id, number=number).first()
    if chapter is None:
        raise NotFound(_("This chapter does not exist, or you may not see it."))
    return chapter


def chapter_by_id(*, user: Any, pk: int) -> Chapter:
    """Return chapter ``pk`` with its book (one query), or NotFound."""
    if not access.can(user, perms.CLASSICS_READ):
        raise _not_found()
    chapter = Chapter.objects.select_related("book").filter(pk=pk).first()
    if chapter is None:
        raise NotFound(_("This chapter does not exist, or you may not see it."))
    return chapter


def position_in(*, user: Any, book: Book) -> ReadingPosition | None:
    """Return where ``user`` stopped in ``book``, with the chapter's number and title."""
    return (
        ReadingPosition.objects.filter(user_id=user.pk, book=book)
        .select_related("chapter")
        .only("id", "paragraph", "updated_at", "book_id", "chapter__number", "chapter__title")
        .first()
    )


def positions_recent(*, user: Any, limit: int = 3) -> list[ReadingPosition]:
    """Return the books ``user`` read last, with where they stopped (one query)."""
    return list(
        ReadingPosition.objects.filter(user_id=user.pk)
        .select_related("book", "chapter")
        .only(
            "id",
            "paragraph",
            "updated_at",
            "book__id",
            "book__title",
            "chapter__id",
            "chapter__book_id",
            "chapter__number",
            "chapter__title",
        )
        .order_by("-updated_at", "-id")[:limit]
    )


def bookmarks_of(*, user: Any, book: Book | None = None) -> QuerySet[Bookmark]:
    """Return ``user``'s own bookmarks (all, or in ``book``), newest first, with chapter titles."""
    bookmarks = (
        Bookmark.objects.filter(user_id=user.pk)
        .select_related("book", "chapter")
        .only(
            "id",
            "paragraph",
            "excerpt",
            "note",
            "created_at",
            "user_id",
            "book__id",
            "book__title",
            "chapter__id",
            "chapter__book_id",
            "chapter__number",
            "chapter__title",
        )
        .order_by("-created_at", "-id")
    )
    if book is not None:
        bookmarks = bookmarks.filter(book=book)
    return bookmarks


def bookmark_access(*, user: Any, pk: int) -> Bookmark:
    """Return ``user``'s own bookmark ``pk``; anyone else's is answered as missing."""
    owner = getattr(user, "pk", None)
    bookmark = Bookmark.objects.filter(pk=pk, user_id=owner).first() if owner else None
    if bookmark is None or not access.can(user, perms.CLASSICS_READ):
        raise NotFound(_("This bookmark does not exist, or it is not yours."))
    return bookmark


def reading_seconds(
    *, user_ids: Iterable[int], years: Iterable[int] | None = None
) -> dict[tuple[int, int], int]:
    """Return the active reading seconds per (person, year) of ``user_ids`` (one query).

    ``years`` limits the years (all when None). Days are Asia/Shanghai days; a person who did
    not read in a year has no entry for it. The school counts this toward study hours (学时).
    """
    rows = ReadingDay.objects.filter(user_id__in=list(user_ids))
    if years is not None:
        rows = rows.filter(day__year__in=list(years))
    totals = (
        rows.annotate(year=ExtractYear("day"))
        .values("user_id", "year")
        .annotate(total=Sum("seconds"))
        .values_list("user_id", "year", "total")
    )
    return {(user_id, year): int(total or 0) for user_id, year, total in totals}


@dataclass(frozen=True)
class ReadingTotals:
    today: int
    year: int


def reading_totals(*, user: Any, today: Any) -> ReadingTotals:
    """Return ``user``'s reading seconds today and this year (one query)."""
    totals = ReadingDay.objects.filter(user_id=user.pk, day__year=today.year).aggregate(
        year=Sum("seconds"), today=Sum("seconds", filter=Q(day=today))
    )
    return ReadingTotals(today=int(totals["today"] or 0), year=int(totals["year"] or 0))
