"""The classics reading room's pages: catalogue, book, reader, bookmarks, import and management.

Views fetch through the selectors and change things only through the services.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.forms import show_refusal
from dangwu.library import permissions as perms
from dangwu.library import selectors, services
from dangwu.library.enums import BookCategory
from dangwu.library.forms import (
    BookFieldsForm,
    BookImportForm,
    BookmarkForm,
    CatalogueFilterForm,
)
from dangwu.library.models import Book, Chapter

PER_PAGE = 30
BOOKMARKS_PER_PAGE = 50
# How long after the last mouse, keyboard, scroll or touch the reader still counts as reading.
ACTIVE_WINDOW_SECONDS = 120


def _minutes(seconds: int) -> int:
    return seconds // 60


def chapter_url(chapter_or_position: Any, paragraph: int | None = None) -> str:
    """Return the reader's address for a chapter, at a paragraph when given (#p-N)."""
    chapter = getattr(chapter_or_position, "chapter", chapter_or_position)
    url = reverse("library:chapter", args=[chapter.book_id, chapter.number])
    return f"{url}#p-{paragraph}" if paragraph else url


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """经典名著: the books by category, a search by title or author, and "continue reading"."""
    form = CatalogueFilterForm(request.GET or None)
    category, query = "", ""
    if form.is_valid():
        category, query = form.cleaned_data["category"], form.cleaned_data["q"]
    books = selectors.books_catalogue(user=request.user, category=category, query=query)
    page = Paginator(books, PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(BookCategory.choices)
    shelves: list[tuple[str, list[Book]]] = []
    for book in page.object_list:
        label = str(labels.get(book.category, book.category))
        if not shelves or shelves[-1][0] != label:
            shelves.append((label, []))
        shelves[-1][1].append(book)
    totals = selectors.reading_totals(user=request.user, today=timezone.localdate())
    recent = selectors.positions_recent(user=request.user)
    return render(
        request,
        "library/catalogue.html",
        {
            "form": form,
            "page": page,
            "shelves": shelves,
            "searching": bool(category or query),
            "recent": [(p, chapter_url(p, p.paragraph)) for p in recent],
            "minutes_today": _minutes(totals.today),
            "minutes_year": _minutes(totals.year),
            "may_manage": access.can(request.user, perms.CLASSICS_MANAGE),
        },
    )


@login_required
def book(request: HttpRequest, book_id: int) -> HttpResponse:
    """A book: its description, table of contents, where I stopped and my bookmarks in it."""
    found = selectors.book_access(user=request.user, pk=book_id)
    position = selectors.position_in(user=request.user, book=found)
    return render(
        request,
        "library/book.html",
        {
            "book": found,
            "chapters": selectors.book_contents(found),
            "position": position,
            "continue_url": chapter_url(position, position.paragraph) if position else "",
            "bookmarks": list(selectors.bookmarks_of(user=request.user, book=found)[:100]),
            "may_manage": access.can(request.user, perms.CLASSICS_MANAGE),
        },
    )


def _reader(
    request: HttpRequest, chapter: Chapter, form: BookmarkForm | None = None, status: int = 200
) -> HttpResponse:
    contents = selectors.book_contents(chapter.book)
    before = next((c for c in reversed(contents) if c.number < chapter.number), None)
    after = next((c for c in contents if c.number > chapter.number), None)
    mark = request.GET.get("mark", "")
    marked = int(mark) if mark.isdigit() and int(mark) < chapter.paragraph_count else None
    if form is None:
        form = BookmarkForm(initial={"paragraph": (marked or 0) + 1})
    position = selectors.position_in(user=request.user, book=chapter.book)
    at = position.paragraph if position and position.chapter_id == chapter.pk else 0
    return render(
        request,
        "library/chapter.html",
        {
            "book": chapter.book,
            "chapter": chapter,
            "blocks": list(enumerate(chapter.blocks)),
            "contents": contents,
            "before": before,
            "after": after,
            "form": form,
            "marked": marked,
            "bookmarks": list(
                selectors.bookmarks_of(user=request.user, book=chapter.book).filter(chapter=chapter)
            ),
            "beat": {
                "url": reverse("library:report", args=[chapter.book_id, chapter.number]),
                "token": services.beat_token(user=request.user, chapter=chapter),
                "interval": services.beat_interval_seconds(),
                "window": ACTIVE_WINDOW_SECONDS,
                "at": at,
            },
        },
        status=status,
    )


@login_required
def chapter(request: HttpRequest, book_id: int, number: int) -> HttpResponse:
    """The reader: one chapter in large type, with the contents, previous/next and bookmarks."""
    found = selectors.chapter_access(user=request.user, book_id=book_id, number=number)
    return _reader(request, found)


@login_required
@require_POST
def report(request: HttpRequest, book_id: int, number: int) -> HttpResponse:
    """The reader page's heartbeat: keep the position, credit the active reading time (JSON)."""
    try:
        found = selectors.chapter_access(user=request.user, book_id=book_id, number=number)
        paragraph = request.POST.get("paragraph")
        result = services.reading_report(
            actor=request.user,
            chapter=found,
            token=request.POST.get("token", ""),
            seconds=request.POST.get("seconds", "0"),  # type: ignore[arg-type]  # checked there
            paragraph=paragraph if paragraph not in (None, "") else None,  # type: ignore[arg-type]
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(
        {
            "credited": result.credited,
            "position_saved": result.position_saved,
            "today_seconds": result.today_seconds,
        }
    )


@login_required
@require_POST
def bookmark_add(request: HttpRequest, book_id: int, number: int) -> HttpResponse:
    """Mark a paragraph of the chapter, with an optional note."""
    found = selectors.chapter_access(user=request.user, book_id=book_id, number=number)
    form = BookmarkForm(request.POST)
    if form.is_valid():
        paragraph = form.cleaned_data["paragraph"] - 1
        try:
            services.bookmark_create(
                actor=request.user,
                chapter=found,
                paragraph=paragraph,
                note=form.cleaned_data["note"],
            )
        except (Forbidden, NotFound):
            raise
        except DomainError as error:
            show_refusal(form, error, "note")
        else:
            messages.success(
                request, _("The bookmark is saved at paragraph %(n)s.") % {"n": paragraph + 1}
            )
            return redirect(chapter_url(found, paragraph))
    return _reader(request, found, form, status=400)


@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    """My bookmarks and notes, in every book or in one."""
    access.require(request.user, perms.CLASSICS_READ)
    only_book = None
    book_id = request.GET.get("book", "")
    if book_id.isdigit() and len(book_id) < 18:
        only_book = selectors.book_access(user=request.user, pk=int(book_id))
    marks = selectors.bookmarks_of(user=request.user, book=only_book)
    page = Paginator(marks, BOOKMARKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/bookmarks.html",
        {
            "page": page,
            "only_book": only_book,
            "items": [(b, chapter_url(b.chapter, b.paragraph)) for b in page.object_list],
        },
    )


@login_required
@require_POST
def bookmark_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of my bookmarks."""
    bookmark = selectors.bookmark_access(user=request.user, pk=pk)
    services.bookmark_delete(actor=request.user, bookmark=bookmark)
    messages.success(request, _("The bookmark is deleted."))
    back = request.POST.get("next", "")
    if back.startswith("/library/") and "//" not in back:
        return redirect(back)
    return redirect("library:bookmarks")


@login_required
def book_import(request: HttpRequest) -> HttpResponse:
    """Import a book from a .txt, .md or .epub file (editors and school administrators)."""
    access.require(request.user, perms.CLASSICS_MANAGE)
    form = BookImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                imported = services.book_import(
                    actor=request.user,
                    upload=data["file"],
                    category=data["category"],
                    title=data["title"],
                    author=data["author"],
                    description=data["description"],
                )
            except DomainError as error:
                show_refusal(form, error, "file")
            else:
                messages.success(
                    request,
                    _("The book “%(title)s” is imported with %(n)s chapters.")
                    % {"title": imported.title, "n": imported.chapter_count},
                )
                return redirect("library:book", imported.pk)
    return render(request, "library/import.html", {"form": form}, status=status)


@login_required
def book_edit(request: HttpRequest, book_id: int) -> HttpResponse:
    """Change a book's title, author, category and description."""
    access.require(request.user, perms.CLASSICS_MANAGE)
    found = selectors.book_access(user=request.user, pk=book_id)
    initial = {f: getattr(found, f) for f in ("title", "author", "category", "description")}
    form = BookFieldsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.book_update(actor=request.user, book=found, **form.cleaned_data)
            except ValidationFailed as error:
                show_refusal(form, error, "title")
            else:
                messages.success(request, _("The book is saved."))
                return redirect("library:book", found.pk)
    return render(request, "library/book_edit.html", {"book": found, "form": form}, status=status)


@login_required
@require_POST
def book_delete(request: HttpRequest, book_id: int) -> HttpResponse:
    """Remove a book, its chapters and the bookmarks in it."""
    access.require(request.user, perms.CLASSICS_MANAGE)
    found = selectors.book_access(user=request.user, pk=book_id)
    services.book_delete(actor=request.user, book=found)
    messages.success(request, _("The book “%(title)s” is removed.") % {"title": found.title})
    return redirect("library:catalogue")
