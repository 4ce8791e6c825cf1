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


# ------------------------------------------------------------------ the file library (资料交换)
# An exchange folder between the committee and 第一机关党委: the committee's people (roles on
# the root) and the secretaries and clerks of 第一机关党委 see it and upload; the other
# organization's secretary gets 404, like the member of a branch and the administrators.

FILE_USERS = BUSINESS
EXCHANGE_SIDES = frozenset({"leader", "editor", "clerk", "orgclerk", "secretary", "schooladmin"})
FOLDER_MAKERS = frozenset({"clerk", "orgclerk", "secretary", "other_secretary"})  # secretaries: own
FILES = "/library/files"


class _Pdf:
    """A small PDF the test client can send any number of times (the cases are shared)."""

    name = "材料.pdf"

    def read(self, *args) -> bytes:
        from dangwu.core.samples import pdf as demo_pdf

        return demo_pdf("学习材料")


def _exchange(world) -> int:
    from dangwu.library.tests.files_factories import exchange

    return exchange(world).pk


def _stored(world) -> int:
    from dangwu.access import SYSTEM
    from dangwu.library import files_services
    from dangwu.library.models import Folder
    from dangwu.library.tests.files_factories import pdf_file

    folder = Folder.objects.get(pk=_exchange(world))
    return files_services.file_upload(actor=SYSTEM, folder=folder, upload=pdf_file()).file_id


CASES += [
    Case("library:files_home", "get", lambda w: f"{FILES}/", FILE_USERS),
    Case("library:files_search", "get", lambda w: f"{FILES}/search/?q=材料", FILE_USERS),
    Case("library:files_folder_create", "get", lambda w: f"{FILES}/folders/new/", FOLDER_MAKERS),
    Case(
        "library:files_folder", "get", lambda w: f"{FILES}/folders/{_exchange(w)}/", EXCHANGE_SIDES
    ),
    Case(
        "library:files_upload",
        "post",
        lambda w: f"{FILES}/folders/{_exchange(w)}/upload/",
        EXCHANGE_SIDES,
        lambda w: {"files": _Pdf()},
    ),
    Case(
        "library:files_subfolder_create",
        "post",
        lambda w: f"{FILES}/folders/{_exchange(w)}/new/",
        frozenset({"clerk", "orgclerk", "secretary"}),
        {"name": "二〇二六年"},
    ),
    Case("library:files_file", "get", lambda w: f"{FILES}/{_stored(w)}/", EXCHANGE_SIDES),
    Case(
        "library:files_download", "get", lambda w: f"{FILES}/{_stored(w)}/download/", EXCHANGE_SIDES
    ),
    Case(
        "library:files_preview", "get", lambda w: f"{FILES}/{_stored(w)}/preview/", EXCHANGE_SIDES
    ),
    Case(
        "library:files_delete",
        "post",
        lambda w: f"{FILES}/{_stored(w)}/delete/",
        frozenset({"clerk", "orgclerk", "secretary"}),
    ),
    Case("api:files_folder_list", "get", lambda w: f"{API}/folders", FILE_USERS),
    Case(
        "api:files_file_list",
        "get",
        lambda w: f"{API}/folders/{_exchange(w)}/files",
        EXCHANGE_SIDES,
    ),
    # Sent as JSON by the matrix: no files, nothing stored (201) for who may upload.
    Case(
        "api:files_upload", "post", lambda w: f"{API}/folders/{_exchange(w)}/files", EXCHANGE_SIDES
    ),
    Case(
        "api:files_download", "get", lambda w: f"{API}/files/{_stored(w)}/download", EXCHANGE_SIDES
    ),
    Case("api:files_search", "get", lambda w: f"{API}/files/search?q=材料", FILE_USERS),
]


# Renaming, deleting and re-sharing folders, and quotas: a top-level committee or exchange folder
# is changed by the committee's secretaries and clerks only (the partner's secretary manages
# inside it); quotas likewise. The other organization's secretary gets 404 for the folder.
COMMITTEE_MANAGERS = frozenset({"clerk", "orgclerk"})


def _committee(world) -> int:
    from dangwu.library.tests.files_factories import folder

    return folder(world, audience_all=True).pk


CASES += [
    Case(
        "library:files_folder_edit",
        "get",
        lambda w: f"{FILES}/folders/{_exchange(w)}/edit/",
        COMMITTEE_MANAGERS,
    ),
    Case(
        "library:files_folder_edit",
        "post",
        lambda w: f"{FILES}/folders/{_exchange(w)}/edit/",
        COMMITTEE_MANAGERS,
        {"name": "交换资料"},
    ),
    Case(
        "library:files_folder_delete",
        "post",
        lambda w: f"{FILES}/folders/{_exchange(w)}/delete/",
        COMMITTEE_MANAGERS,
    ),
    Case(
        "library:files_folder_audience",
        "get",
        lambda w: f"{FILES}/folders/{_committee(w)}/audience/",
        COMMITTEE_MANAGERS,
    ),
    Case(
        "library:files_folder_audience",
        "post",
        lambda w: f"{FILES}/folders/{_committee(w)}/audience/",
        COMMITTEE_MANAGERS,
        lambda w: {"audience": [w.orgs["org1"].pk]},
    ),
    Case("library:files_quotas", "get", lambda w: f"{FILES}/quotas/?q=机关", COMMITTEE_MANAGERS),
    Case(
        "library:files_quota_edit",
        "get",
        lambda w: f"{FILES}/quotas/{w.orgs['org1'].pk}/",
        COMMITTEE_MANAGERS,
    ),
    Case(
        "library:files_quota_edit",
        "post",
        lambda w: f"{FILES}/quotas/{w.orgs['org1'].pk}/",
        COMMITTEE_MANAGERS,
        {"amount": "3", "unit": "GB"},
    ),
]
