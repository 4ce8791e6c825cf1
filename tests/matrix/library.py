"""Access matrix cases of the library app's classics reading room (see tests/matrix/__init__.py).

Every business user reads the books and keeps their own position, time and bookmarks (the three
administrators see no Party content); editors and school administrators import and manage books.
A bookmark is its owner's alone: anyone else gets 404.
"""

from tests.matrix import BUSINESS, Case

MANAGERS = frozenset({"editor", "schooladmin"})
OWNER = frozenset({"member"})
API = "/api/v1/library"


class _Text:
    """A small book file the test client can send any number of times (the cases are shared)."""

    name = "论语.txt"

    def read(self, *args) -> bytes:
        return "学而第一\n子曰：学而时习之。\n".encode()


def _book(world) -> int:
    from dangwu.library.tests.factories import book_with

    return book_with().pk


def _bookmark(world) -> int:
    from dangwu.library import services
    from dangwu.library.tests.factories import book_with, chapter_of

    chapter = chapter_of(book_with())
    return services.bookmark_create(actor=world.user("member"), chapter=chapter, paragraph=0).pk


CASES: list[Case] = [
    Case("library:catalogue", "get", lambda w: "/library/classics/", BUSINESS),
    Case("library:book", "get", lambda w: f"/library/classics/{_book(w)}/", BUSINESS),
    Case("library:chapter", "get", lambda w: f"/library/classics/{_book(w)}/1/", BUSINESS),
    Case("library:report", "post", lambda w: f"/library/classics/{_book(w)}/1/report/", BUSINESS),
    Case(
        "library:bookmark_add",
        "post",
        lambda w: f"/library/classics/{_book(w)}/1/bookmarks/",
        BUSINESS,
        {"paragraph": "1", "note": "记"},
    ),
    Case("library:bookmarks", "get", lambda w: "/library/classics/bookmarks/", BUSINESS),
    Case(
        "library:bookmark_delete",
        "post",
        lambda w: f"/library/classics/bookmarks/{_bookmark(w)}/delete/",
        OWNER,
    ),
    Case("library:book_import", "get", lambda w: "/library/classics/import/", MANAGERS),
    Case(
        "library:book_import",
        "post",
        lambda w: "/library/classics/import/",
        MANAGERS,
        {"file": _Text(), "category": "traditional", "title": ""},
    ),
    Case("library:book_edit", "get", lambda w: f"/library/classics/{_book(w)}/edit/", MANAGERS),
    Case(
        "library:book_edit",
        "post",
        lambda w: f"/library/classics/{_book(w)}/edit/",
        MANAGERS,
        {"title": "新名", "author": "", "category": "other", "description": ""},
    ),
    Case(
        "library:book_delete", "post", lambda w: f"/library/classics/{_book(w)}/delete/", MANAGERS
    ),
    # ------------------------------------------------------------------ API
    Case("api:classics_book_list", "get", lambda w: f"{API}/books", BUSINESS),
    Case("api:classics_book_detail", "get", lambda w: f"{API}/books/{_book(w)}", BUSINESS),
    Case(
        "api:classics_chapter_detail",
        "get",
        lambda w: f"{API}/books/{_book(w)}/chapters/1",
        BUSINESS,
    ),
    Case("api:classics_progress_detail", "get", lambda w: f"{API}/progress", BUSINESS),
    Case(
        "api:classics_progress_report",
        "post",
        lambda w: f"{API}/progress",
        BUSINESS,
        lambda w: {"book_id": _book(w), "chapter": 1, "token": "-", "seconds": 0},
    ),
    Case("api:classics_bookmark_list", "get", lambda w: f"{API}/bookmarks", BUSINESS),
    Case(
        "api:classics_bookmark_create",
        "post",
        lambda w: f"{API}/bookmarks",
        BUSINESS,
        lambda w: {"book_id": _book(w), "chapter": 1, "paragraph": 0, "note": "记"},
    ),
    Case(
        "api:classics_bookmark_delete",
        "delete",
        lambda w: f"{API}/bookmarks/{_bookmark(w)}",
        OWNER,
    ),
]
