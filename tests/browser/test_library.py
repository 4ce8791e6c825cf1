"""The classics reading room in a real browser: a member opens the catalogue, reads a chapter and
scrolls down, leaves, comes back through "continue reading" and lands on the same paragraph; the
page's real beacon credits reading time; the member bookmarks a paragraph with a note; an editor
imports a .txt book. axe-core runs on every page, normal and care mode.

The reading-time interval is shortened to two seconds for the test (``LIBRARY_BEAT_SECONDS``).
"""

import time

import pytest

from dangwu.access import SYSTEM
from dangwu.library import services
from dangwu.library.models import Book, Bookmark, ReadingDay, ReadingPosition
from dangwu.library.tests.factories import text_source, upload
from tests.browser.helpers import zh

pytestmark = pytest.mark.browser

TARGET = 30  # the paragraph (index from 0) the member scrolls to


@pytest.fixture
def fast_beat(settings):
    settings.LIBRARY_BEAT_SECONDS = 2


def _wait_for(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError("the page did not report in time")


def _top_paragraph(page) -> int:
    return page.evaluate(
        """() => {
            const paras = [...document.querySelectorAll('.para[data-index]')];
            const top = paras.find(p => p.getBoundingClientRect().bottom > 40);
            return Number(top.dataset.index);
        }"""
    )


def test_a_member_reads_leaves_and_continues_at_the_same_place(
    site, world, fast_beat, settings, tmp_path
):
    book = services.book_import(
        actor=SYSTEM,
        upload=upload("长书.txt", text_source(chapters=2, paragraphs=60)),
        category="traditional",
        title="长书",
    )
    page = site.page
    site.sign_in("demo-member")

    site.go("/library/classics/")
    assert page.get_by_role("heading", name=zh("Classics reading room"), exact=True).is_visible()
    site.assert_accessible()

    site.follow("长书")
    site.assert_accessible()
    site.follow(zh("Start reading"))
    assert page.url.endswith(f"/library/classics/{book.pk}/1/")
    site.assert_accessible()

    # Read on: the paragraph scrolled to the top is reported as the place.
    page.evaluate(f"document.getElementById('p-{TARGET}').scrollIntoView({{block: 'start'}})")
    page.mouse.wheel(0, 1)
    page.evaluate(f"document.getElementById('p-{TARGET}').scrollIntoView({{block: 'start'}})")
    assert _top_paragraph(page) == TARGET
    position = _wait_for(
        lambda: ReadingPosition.objects.filter(
            user__username="demo-member", paragraph=TARGET
        ).first()
    )
    assert position.chapter.number == 1
    # The real beacon credits the active reading time.
    page.mouse.move(200, 300)
    _wait_for(
        lambda: ReadingDay.objects.filter(user__username="demo-member", seconds__gt=0).exists()
    )

    # Leave, then come back through "continue reading" (after the page's last report, so that
    # the test database, which takes one writer at a time, is not written twice at once).
    settings.LIBRARY_BEAT_SECONDS = 3600
    page.wait_for_load_state("networkidle")
    site.go("/library/classics/")
    site.follow(zh("Continue reading “%(book)s”: %(chapter)s", book="长书", chapter="第一章 测试"))
    assert page.url.endswith(f"#p-{TARGET}")
    page.wait_for_function("() => window.scrollY > 0")
    top = page.evaluate(f"document.getElementById('p-{TARGET}').getBoundingClientRect().top")
    assert 0 <= top < 60
    assert _top_paragraph(page) == TARGET

    # A bookmark with a note at that paragraph.
    with page.expect_navigation():
        page.locator(f"#p-{TARGET} .para-mark").click()
    assert page.get_by_label(zh("Paragraph number")).input_value() == str(TARGET + 1)
    page.get_by_label(zh("Note (only you can see it)")).fill("此段要背下来")
    site.press(zh("Save the bookmark"))
    assert page.url.endswith(f"#p-{TARGET}")
    mark = Bookmark.objects.get()
    assert (mark.paragraph, mark.note) == (TARGET, "此段要背下来")
    assert page.get_by_text("此段要背下来").first.is_visible()
    site.assert_accessible()

    site.go("/library/classics/bookmarks/")
    assert page.get_by_text("此段要背下来").is_visible()
    site.assert_accessible()

    # An editor imports a .txt book.
    page.context.clear_cookies()
    site.sign_in("demo-editor")
    site.go("/library/classics/")
    site.follow(zh("Import a book"))
    site.assert_accessible()
    source = tmp_path / "道德经.txt"
    source.write_text(
        "第一章\n道可道，非常道；名可名，非常名。\n第二章\n天下皆知美之为美，斯恶已。\n"
    )
    page.get_by_label(zh("Book file")).set_input_files(str(source))
    page.get_by_label(zh("Category")).select_option("traditional")
    site.press(zh("Import the book"))
    imported = Book.objects.get(title="道德经")
    assert imported.chapter_count == 2
    assert page.url.endswith(f"/library/classics/{imported.pk}/")
    site.assert_accessible()
    site.follow("第二章")
    assert page.get_by_text("天下皆知美之为美").is_visible()
    site.assert_accessible()

    # The editor changes the book: an empty title is refused on the page, then it is saved.
    site.go(f"/library/classics/{imported.pk}/")
    site.follow(zh("Change the book"))
    site.assert_accessible()
    page.locator("#id_title").fill("")
    site.press(zh("Save the book"))
    assert page.locator(".error-summary").is_visible()
    assert Book.objects.get(pk=imported.pk).title == "道德经"
    site.assert_accessible()
    page.locator("#id_title").fill("道德经（选章）")
    site.press(zh("Save the book"))
    assert page.get_by_text(zh("The book is saved.")).count() == 1
    assert Book.objects.get(pk=imported.pk).title == "道德经（选章）"
    # Leave the reader, so that its beacon is quiet when the test's database goes away.
    site.go("/library/classics/bookmarks/")
    page.wait_for_load_state("networkidle")


def test_an_import_that_is_refused_says_why_in_the_page(site, world, tmp_path):
    from dangwu.portal.tests.files import png

    page = site.page
    site.sign_in("demo-editor")
    site.go("/library/classics/import/")
    fake = tmp_path / "假.txt"
    fake.write_bytes(png())
    page.get_by_label(zh("Book file")).set_input_files(str(fake))
    page.get_by_label(zh("Title"), exact=True).fill("假书")
    site.press(zh("Import the book"))
    assert page.locator(".error-summary").is_visible()
    assert "PNG" in page.locator(".error-summary").inner_text()
    assert page.get_by_label(zh("Title"), exact=True).input_value() == "假书"
    assert not Book.objects.exists()
    site.assert_accessible()
