"""An article made from a Word file, in a real browser: upload, check, review, return, publish.

axe-core runs on every page visited, in normal and in care mode.
"""

import itertools
import re

import pytest

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Article, Attachment
from dangwu.portal.services import column_create
from dangwu.portal.tests.files import pdf, rich_docx
from tests.browser.helpers import zh

pytestmark = pytest.mark.browser

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The Title paragraph of files.rich_docx: it becomes the article's title.
TITLE = "关于开展主题党日活动的通知"
NEW_TITLE = "关于开展五月主题党日活动的通知"
COMMENT = "请把标题写明月份。"
NOT_ACCEPTED = "This file cannot be used here. Accepted are: %(kinds)s."
NOT_A_DOCX = (
    "The content of this file is not one of the accepted types (%(kinds)s). It may be damaged, "
    "or another kind of file that was only renamed."
)
FILE_ADDRESS = re.compile(r"^/portal/files/([0-9a-f-]{36})/$")


@pytest.fixture
def columns(world):
    return [
        column_create(actor=SYSTEM, slug="dongtai", name="机关党建动态", visibility="public"),
        column_create(actor=SYSTEM, slug="tongzhi", name="工委通知通告", visibility="internal"),
    ]


def _sign_out(site) -> None:
    site.press(zh("Sign out"))


def _upload(site, *, name: str, data: bytes, mime: str) -> None:
    page = site.page
    page.select_option("#id_column", label="工委通知通告")
    page.get_by_label(zh("Word file (.docx)")).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    site.press(zh("Create the draft"))


def _pictures_loaded(site, selector: str) -> list[str]:
    """Return the src of every picture under ``selector``, asserting the browser showed it."""
    images = site.page.locator(f"{selector} img")
    assert images.count() > 0
    sources = []
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        image.evaluate("img => img.complete || new Promise(done => img.onload = done)")
        assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")
        sources.append(image.get_attribute("src"))
    return sources


def _assert_converted(site, article: Article) -> None:
    """The body shows the Word file's headings, bold, italic, lists, table and picture.

    The editor writes bold and italic as <b> and <i> when the body is saved through it.
    """
    page = site.page
    body = page.locator(".article-body")
    assert body.get_by_role("heading", name="一、活动安排").count() == 1
    assert body.get_by_role("heading", name="二、参加人员").count() == 1
    assert body.locator("strong, b").inner_text() == "高度重视"
    assert body.locator("em, i").inner_text() == "认真组织"
    assert body.locator("ul > li").all_inner_texts() == ["学习党章", "重温入党誓词"]
    assert body.locator("ol > li").all_inner_texts() == ["第一步：集中学习"]
    cells = body.locator("table td").all_inner_texts()
    assert [c.strip() for c in cells] == ["支部", "人数", "第一支部", "12"]
    sources = _pictures_loaded(site, ".article-body")
    # The picture is used twice in the file and stored once, under the platform's own address.
    keys = {FILE_ADDRESS.match(src).group(1) for src in sources}
    assert keys == {str(a.uuid) for a in article.attachments.all()}
    assert len(keys) == 1


def test_a_draft_made_from_a_word_file_goes_through_review_to_the_home_page(site, world, columns):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/portal/mine/")
    site.assert_accessible()
    site.follow(zh("Create from a Word file"))
    site.assert_accessible()
    _upload(site, name="主题党日通知.docx", data=rich_docx(), mime=DOCX)

    article = Article.objects.get()
    assert page.url.endswith(f"/portal/mine/{article.pk}/")
    assert article.title == TITLE
    assert article.status == ArticleStatus.DRAFT
    assert article.column.slug == "tongzhi"
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert zh("A draft is made from the Word file. Check it, then submit it.") in (
        page.locator("main").inner_text()
    )
    _assert_converted(site, article)
    site.assert_accessible()
    site.press(zh("Submit for review"))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED
    _sign_out(site)

    site.sign_in("demo-editor")
    site.go("/portal/review/")
    site.assert_accessible()
    site.follow(TITLE)
    _assert_converted(site, article)
    site.assert_accessible()
    page.get_by_label(zh("What should the author change?")).fill(COMMENT)
    site.press(zh("Return with this comment"))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.RETURNED
    site.assert_accessible()
    _sign_out(site)

    site.sign_in("demo-secretary")
    site.go("/")
    site.assert_accessible()
    site.follow(zh("Returned for changes: %(title)s", title=TITLE))
    assert COMMENT in page.locator(".review-comment").inner_text()
    site.assert_accessible()
    site.follow(zh("Change"))
    assert COMMENT in page.locator(".review-comment").inner_text()
    site.assert_accessible()
    page.locator("#id_title").fill(NEW_TITLE)
    site.press(zh("Save the draft"))
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == NEW_TITLE
    # Saving through the editor keeps what came from Word: the table and the picture.
    assert "<table>" in saved.body
    assert "/portal/files/" in saved.body
    _assert_converted(site, article)
    site.assert_accessible()
    site.press(zh("Submit for review"))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED
    _sign_out(site)

    site.sign_in("demo-editor")
    site.go("/portal/review/")
    site.follow(NEW_TITLE)
    site.press(zh("Publish"))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED
    site.assert_accessible()
    _sign_out(site)

    # An internal column: visitors do not see the article, signed-in members do.
    site.go("/portal/")
    assert page.get_by_role("link", name=NEW_TITLE, exact=True).count() == 0
    site.sign_in("demo-member")
    site.go("/portal/")
    site.assert_accessible()
    site.follow(NEW_TITLE)
    assert page.get_by_role("heading", level=1).inner_text() == NEW_TITLE
    _assert_converted(site, article)
    site.assert_accessible()


def test_a_file_that_is_not_a_word_file_is_refused_on_the_same_page_and_nothing_is_made(
    site, world, columns
):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/portal/mine/new/docx/")
    site.assert_accessible()
    refusals = [
        # A PDF under its own name is refused by its name; random bytes named .docx by content.
        ("通知.pdf", pdf(TITLE), "application/pdf", NOT_ACCEPTED),
        ("x.docx", bytes(range(256)) * 8, DOCX, NOT_A_DOCX),
    ]
    for (name, data, mime, msgid), care in itertools.product(refusals, (False, True)):
        site.set_care_mode(care)
        _upload(site, name=name, data=data, mime=mime)
        assert page.url.endswith("/portal/mine/new/docx/")
        expected = zh(msgid, kinds=zh("Word document (.docx)"))
        assert re.search(r"[\u4e00-\u9fff]", expected)
        assert expected in page.locator(".error-summary").inner_text()
        assert expected in page.locator("#id_file_error").inner_text()
        # The page answers the POST: axe runs on it in the mode it was sent in.
        assert site.axe() == [], (name, care)
        assert not Article.objects.exists()
        assert not Attachment.objects.exists()
        assert not AuditRecord.objects.filter(action="portal.article_imported").exists()
    site.set_care_mode(False)
    site.assert_accessible()
