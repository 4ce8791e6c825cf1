"""The reading room's API: books, chapters, progress, bookmarks; refusals with their codes."""

import pytest

from dangwu.library import services
from dangwu.library.models import Bookmark, ReadingPosition
from dangwu.library.tests.factories import book_with, chapter_of

pytestmark = pytest.mark.django_db
API = "/api/v1/library"


def test_books_are_listed_with_category_and_search(api_for):
    book_with(title="论语")
    book_with(title="道德经")
    answer = api_for("member").get(f"{API}/books", q="论语").json()
    assert answer["count"] == 1 and answer["items"][0]["title"] == "论语"
    assert api_for("member").get(f"{API}/books", category="secret").status_code == 422


def test_a_book_has_its_contents_and_my_position(api_for, world):
    book = book_with(chapters=3)
    services.position_save(actor=world.user("member"), chapter=chapter_of(book, 2), paragraph=4)
    answer = api_for("member").get(f"{API}/books/{book.pk}").json()
    assert [c["number"] for c in answer["chapters"]] == [1, 2, 3]
    assert (answer["position"]["chapter"], answer["position"]["paragraph"]) == (2, 4)


def test_a_chapter_has_its_paragraphs_neighbours_and_a_token(api_for):
    book = book_with(chapters=3, paragraphs=2)
    answer = api_for("member").get(f"{API}/books/{book.pk}/chapters/2").json()
    assert len(answer["paragraphs"]) == 2
    assert (answer["previous"], answer["next"]) == (1, 3) and answer["token"]


def test_administrators_get_404_for_books(api_for):
    book = book_with()
    assert api_for("sysadmin").get(f"{API}/books/{book.pk}").status_code == 404
    assert api_for("auditor").get(f"{API}/books").status_code == 403


def test_progress_is_reported_and_read_back(api_for):
    book = book_with()
    caller = api_for("member")
    token = caller.get(f"{API}/books/{book.pk}/chapters/1").json()["token"]
    answer = caller.post(
        f"{API}/progress", {"book_id": book.pk, "chapter": 1, "token": token, "paragraph": 3}
    )
    assert answer.status_code == 200 and answer.json()["position_saved"]
    progress = caller.get(f"{API}/progress").json()
    assert progress["positions"][0]["paragraph"] == 3 and progress["today_seconds"] == 0


def test_a_forged_time_report_is_400_and_keeps_nothing(api_for):
    book = book_with()
    caller = api_for("member")
    token = caller.get(f"{API}/books/{book.pk}/chapters/1").json()["token"]
    answer = caller.post(
        f"{API}/progress",
        {"book_id": book.pk, "chapter": 1, "token": token, "seconds": 500, "paragraph": 1},
    )
    assert answer.status_code == 400 and answer.json()["detail"]
    assert not ReadingPosition.objects.exists()
    bad = caller.post(
        f"{API}/progress", {"book_id": book.pk, "chapter": 1, "token": "x", "seconds": -1}
    )
    assert bad.status_code == 422


def test_bookmarks_are_created_listed_and_deleted_only_by_their_owner(api_for):
    book = book_with()
    member = api_for("member")
    created = member.post(
        f"{API}/bookmarks", {"book_id": book.pk, "chapter": 2, "paragraph": 1, "note": "记"}
    )
    assert created.status_code == 201 and created.json()["chapter"] == 2
    mark_id = created.json()["id"]
    assert member.get(f"{API}/bookmarks", book_id=book.pk).json()["count"] == 1
    assert api_for("editor").get(f"{API}/bookmarks").json()["count"] == 0
    assert api_for("editor").delete(f"{API}/bookmarks/{mark_id}").status_code == 404
    assert member.delete(f"{API}/bookmarks/{mark_id}").status_code == 204
    assert not Bookmark.objects.exists()


def test_a_bookmark_outside_the_chapter_is_400(api_for):
    book = book_with(paragraphs=2)
    answer = api_for("member").post(
        f"{API}/bookmarks", {"book_id": book.pk, "chapter": 1, "paragraph": 5}
    )
    assert answer.status_code == 400
    assert not Bookmark.objects.exists()
