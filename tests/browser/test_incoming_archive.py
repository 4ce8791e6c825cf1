"""收文 to 归档 in a real browser: the clerk registers a document with its scan, a leader
instructs, two leaders read it in circulation, it is completed, archived and found in the
catalogue export. axe-core runs on every page visited, in normal and in care mode.
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangwu.archive.models import ArchiveItem
from dangwu.incoming.enums import IncomingStatus
from dangwu.incoming.models import IncomingDocument
from dangwu.incoming.tests.factories import second_leader
from dangwu.portal.tests.files import pdf
from tests.browser.helpers import is_xlsx, zh

pytestmark = pytest.mark.browser

TITLE = "关于做好2026年度党员发展工作的通知"


def _sign_out(site) -> None:
    site.press(zh("Sign out"))


def _open_from_todo(site, text: str) -> None:
    site.go("/")
    site.follow(text)


def test_an_incoming_document_is_registered_instructed_read_completed_and_archived(site, world):
    page = site.page
    reader = second_leader(world)
    today = timezone.localdate()

    # The clerk registers the document with its scan.
    site.sign_in("demo-clerk")
    site.go("/incoming/")
    site.assert_accessible()
    site.follow(zh("Register a received document"))
    site.assert_accessible()
    page.get_by_label(zh("Sent by (organization)")).fill("市委组织部")
    page.get_by_label(zh("Its document number")).fill("市委组〔2026〕31号")
    page.get_by_label(zh("Title")).fill(TITLE)
    page.get_by_label(zh("Date of the document")).fill(f"{today - timedelta(days=3):%Y-%m-%d}")
    page.get_by_label(zh("Urgency")).select_option("urgent")
    page.get_by_label(zh("Scan or file of the document")).set_input_files(
        {"name": "来文扫描件.pdf", "mimeType": "application/pdf", "buffer": pdf(TITLE)}
    )
    site.press(zh("Register"))
    document = IncomingDocument.objects.get()
    assert page.url.endswith(f"/incoming/{document.pk}/")
    assert page.get_by_role("link", name="来文扫描件.pdf").count() == 1
    site.assert_accessible()

    # The clerk proposes the handling and asks the leader to instruct.
    page.get_by_label(zh("Proposed handling")).fill("拟请王书记阅示，由组织科承办。")
    page.get_by_label(zh("Leader to instruct")).select_option(label="leader")
    site.press(zh("Send to the leader"))
    _sign_out(site)

    # The leader finds it in 我的待办 and instructs.
    site.sign_in("demo-leader")
    _open_from_todo(site, zh("Give your instruction: %(title)s", title=TITLE))
    site.assert_accessible()
    page.get_by_label(zh("Your instruction")).fill("同意，请组织科抓好落实。")
    site.press(zh("Record the instruction"))
    _sign_out(site)

    # The clerk sends it round two leaders.
    site.sign_in("demo-clerk")
    site.go(f"/incoming/{document.pk}/")
    readers = page.get_by_role("group", name=zh("Leaders to read it"))
    readers.get_by_label("leader", exact=True).check()
    readers.get_by_label(reader.label, exact=True).check()
    site.press(zh("Send for reading"))
    assert page.get_by_text(zh("Not yet read by")).count() >= 1
    site.assert_accessible()
    _sign_out(site)

    # Each leader reads it from 我的待办.
    for username in ("demo-leader", "demo-leader2"):
        site.sign_in(username)
        _open_from_todo(site, zh("Read in circulation: %(title)s", title=TITLE))
        page.get_by_label(zh("Your comment (optional)")).fill("已阅。")
        site.press(zh("I have read it"))
        _sign_out(site)

    # The clerk completes and archives it.
    site.sign_in("demo-clerk")
    site.go(f"/incoming/{document.pk}/")
    assert page.get_by_text(zh("Everyone has read it.")).count() == 1
    page.get_by_label(zh("Result of the handling")).fill("已部署落实，情况已报来文机关。")
    site.press(zh("Complete"))
    document.refresh_from_db()
    assert document.status == IncomingStatus.COMPLETED
    site.follow(zh("Archive this document"))
    site.assert_accessible()
    page.get_by_label(zh("Retention period")).select_option("D30")
    page.get_by_label(zh("Pages with content")).fill("3")
    site.press(zh("Archive"))
    item = ArchiveItem.objects.get()
    assert item.code.endswith("-D30-BGS-0001")
    assert page.get_by_text(item.code).count() >= 1
    site.assert_accessible()

    # The catalogue lists it, and its Excel export holds it.
    site.follow(zh("Archive catalogue"))
    site.assert_accessible()
    with page.expect_download() as info:
        page.get_by_role("link", name=zh("Download the catalogue (Excel)")).click()
    content = Path(info.value.path()).read_bytes()
    assert is_xlsx(content)
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    assert [row[1] for row in rows[1:]] == [item.code] and rows[1][4] == TITLE

    # The document search finds it, in the archive and among the incoming documents.
    site.go("/archive/search/")
    page.get_by_label(zh("Search for")).fill("党员发展")
    site.press(zh("Search"))
    assert page.locator(".search-results li").count() == 2
    site.assert_accessible()

    # A correction without a reason is refused on the item's page; with one, it is archived
    # as a new version under the same code.
    site.go(f"/archive/items/{item.pk}/")
    page.get_by_label(zh("Pages with content")).fill("4")
    site.press(zh("Archive the corrected version"))
    assert page.get_by_text(zh("This field is required.")).count() >= 1
    assert ArchiveItem.objects.count() == 1
    site.assert_accessible()
    page.get_by_label(zh("Why is it corrected?")).fill("页数登记有误，实为4页。")
    site.press(zh("Archive the corrected version"))
    assert page.get_by_text(zh("The corrected version is archived.")).count() == 1
    corrected = ArchiveItem.objects.latest("pk")
    assert corrected.pk != item.pk and corrected.code == item.code and corrected.pages == 4
    site.assert_accessible()
