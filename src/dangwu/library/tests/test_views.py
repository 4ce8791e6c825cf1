"""Pages: catalogue, book, reader, bookmarks, import and management; query-count pins."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dangwu.library import services
from dangwu.library.models import Book, Bookmark, ReadingPosition
from dangwu.library.tests.factories import book_with, chapter_of, text_source, upload
from dangwu.portal.tests.files import png

pytestmark = pytest.mark.django_db


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def test_the_catalogue_lists_books_and_says_where_to_continue(client_for, world):
    member = world.user("member")
    book = book_with(title="论语")
    services.position_save(actor=member, chapter=chapter_of(book, 2), paragraph=3)
    page = client_for("member").get("/library/classics/").content.decode()
    assert "论语" in page
    assert f"/library/classics/{book.pk}/2/#p-3" in page


def test_the_catalogue_page_costs_the_same_queries_with_more_books(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("member")
    member = world.user("member")
    for i in range(3):
        services.position_save(
            actor=member, chapter=chapter_of(book_with(title=f"书{i}")), paragraph=1
        )
    client.get("/library/classics/")
    with django_assert_max_num_queries(12) as few:
        client.get("/library/classics/")
    for i in range(20):
        book_with(title=f"再{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/library/classics/").status_code == 200


def test_the_catalogue_searches_by_title(client_for):
    book_with(title="论语")
    book_with(title="道德经")
    page = client_for("member").get("/library/classics/", {"q": "道德"}).content.decode()
    assert "道德经" in page and "论语" not in page


def test_the_reader_shows_the_paragraphs_with_anchors_and_the_chapters_around(client_for):
    book = book_with(chapters=3, paragraphs=4)
    page = client_for("member").get(f"/library/classics/{book.pk}/2/").content.decode()
    assert 'id="p-0"' in page and 'id="p-3"' in page and 'id="p-4"' not in page
    assert f"/library/classics/{book.pk}/1/" in page and f"/library/classics/{book.pk}/3/" in page
    assert "data-token=" in page and "reader.js" in page


def test_the_reader_page_costs_the_same_queries_with_more_bookmarks(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("member")
    book = book_with(chapters=5, paragraphs=20)
    chapter = chapter_of(book, 2)
    url = f"/library/classics/{book.pk}/2/"
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for paragraph in range(10):
        services.bookmark_create(
            actor=world.user("member"), chapter=chapter, paragraph=paragraph, note="记"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_missing_chapter_is_404(client_for):
    book = book_with(chapters=1)
    assert client_for("member").get(f"/library/classics/{book.pk}/9/").status_code == 404


def test_the_report_keeps_the_position_and_answers_json(client_for, world):
    book = book_with()
    chapter = chapter_of(book)
    token = services.beat_token(user=world.user("member"), chapter=chapter)
    response = client_for("member").post(
        f"/library/classics/{book.pk}/1/report/", {"token": token, "paragraph": "4", "seconds": "0"}
    )
    assert response.status_code == 200 and response.json()["position_saved"] is True
    assert ReadingPosition.objects.get().paragraph == 4


def test_a_forged_report_is_refused_with_a_chinese_reason(client_for, world):
    book = book_with()
    chapter = chapter_of(book)
    token = services.beat_token(user=world.user("member"), chapter=chapter)
    with translation.override("zh-hans"):
        response = client_for("member").post(
            f"/library/classics/{book.pk}/1/report/",
            {"token": token, "paragraph": "1", "seconds": "500"},
            headers={"accept-language": "zh-hans"},
        )
    assert response.status_code == 400 and response.json()["detail"]
    assert not ReadingPosition.objects.exists()


def test_a_member_adds_a_bookmark_with_a_note_and_sees_it(client_for, world):
    book = book_with()
    client = client_for("member")
    response = client.post(
        f"/library/classics/{book.pk}/1/bookmarks/", {"paragraph": "3", "note": "好句"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#p-2")
    mark = Bookmark.objects.get()
    assert (mark.paragraph, mark.note) == (2, "好句")
    assert "好句" in client.get("/library/classics/bookmarks/").content.decode()
    assert "好句" not in client_for("editor").get("/library/classics/bookmarks/").content.decode()


def test_a_bad_bookmark_keeps_the_input_and_says_what_to_fix(client_for):
    book = book_with(paragraphs=2)
    response = client_for("member").post(
        f"/library/classics/{book.pk}/1/bookmarks/", {"paragraph": "9", "note": "我的笔记"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "我的笔记" in page and _zh("There is no such paragraph in this chapter.") in page
    assert not Bookmark.objects.exists()


def test_my_bookmarks_page_costs_the_same_queries_with_more_bookmarks(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("member")
    book = book_with()
    services.bookmark_create(actor=world.user("member"), chapter=chapter_of(book), paragraph=0)
    client.get("/library/classics/bookmarks/")
    with django_assert_max_num_queries(10) as few:
        client.get("/library/classics/bookmarks/")
    for paragraph in range(1, 5):
        services.bookmark_create(
            actor=world.user("member"), chapter=chapter_of(book, 2), paragraph=paragraph
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/library/classics/bookmarks/").status_code == 200


def test_deleting_another_persons_bookmark_is_404(client_for, world):
    mark = services.bookmark_create(
        actor=world.user("member"), chapter=chapter_of(book_with()), paragraph=0
    )
    url = f"/library/classics/bookmarks/{mark.pk}/delete/"
    assert client_for("editor").post(url).status_code == 404
    assert Bookmark.objects.count() == 1
    assert client_for("member").post(url).status_code == 302
    assert not Bookmark.objects.exists()


def test_an_editor_imports_a_text_book(client_for):
    response = client_for("editor").post(
        "/library/classics/import/",
        {"file": upload("论语.txt", text_source(3)), "category": "traditional", "title": ""},
    )
    book = Book.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "library:book", args=[book.pk]
    )
    assert (book.title, book.chapter_count) == ("论语", 3)


def test_an_import_of_a_png_named_txt_says_why_and_saves_nothing(client_for):
    response = client_for("editor").post(
        "/library/classics/import/",
        {"file": upload("书.txt", png()), "category": "traditional", "title": "书名"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "PNG" in page and 'value="书名"' in page
    assert not Book.objects.exists()


def test_a_member_may_not_import(client_for):
    assert client_for("member").get("/library/classics/import/").status_code == 403


def test_an_editor_changes_and_removes_a_book_through_the_pages(client_for):
    book = book_with()
    client = client_for("editor")
    response = client.post(
        f"/library/classics/{book.pk}/edit/",
        {"title": "新书名", "author": "某", "category": "other", "description": ""},
    )
    assert response.status_code == 302
    assert Book.objects.get().title == "新书名"
    bad = client.post(
        f"/library/classics/{book.pk}/edit/",
        {"title": "", "author": "某", "category": "other"},
    )
    assert bad.status_code == 400
    assert client.post(f"/library/classics/{book.pk}/delete/").status_code == 302
    assert not Book.objects.exists()
