"""Official documents in a real browser: a clerk drafts a notice, the leader signs it off and it
goes to every organization; a secretary signs for it from 我的待办 and replies with an
attachment; an organization that has not signed gets a reminder e-mail (captured by a real SMTP
server started by the test); the issuer's dashboard shows it all. axe-core runs on every page,
normal and care mode.
"""

import email
import email.policy
import io
import socketserver
import threading
import unicodedata
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.documents.enums import DocumentStatus, GroupRule, ReceiptStatus
from dangwu.documents.models import Document, Receipt
from dangwu.documents.reminders import reminders_send, sign_hours
from dangwu.documents.services import group_create
from dangwu.portal.tests.files import pdf
from tests.browser.helpers import is_xlsx, zh

pytestmark = pytest.mark.browser

TITLE = "关于开展2026年度党建述职评议工作的通知"


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for Django's SMTP backend: the mails land in ``server.mails``."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._reply("220 test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._reply("250 test")
            elif verb in ("HELO", "MAIL", "RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 go on")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                self.server.mails.append((recipients, message))  # type: ignore[attr-defined]
                recipients = []
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port; Django sends its mail there."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    server.mails = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.shutdown()
    server.server_close()


def _reminder_mail_reaches_the_unsigned_organization(document: Document, smtp_server) -> None:
    """The periodic job reminds 第二机关党委, which has not signed: its secretary gets a mail."""
    from dangwu.messages.services import send_notification_mails

    User.objects.filter(username="demo-other-secretary").update(email="zhou@example.org")
    late = timezone.now() - timedelta(hours=sign_hours(document.urgency) + 1)
    Receipt.objects.filter(document=document).update(created_at=late)
    # What the worker does: the reminder job, then the e-mail task it queued.
    assert reminders_send() >= 1
    send_notification_mails()
    mails = [(to, m) for to, m in smtp_server.mails if "zhou@example.org" in to]
    assert len(mails) == 1
    assert TITLE in mails[0][1]["Subject"]


@pytest.fixture
def everyone(world):
    return group_create(actor=SYSTEM, name="全部党组织", rule=GroupRule.ALL)


def _sign_out(site) -> None:
    site.press(zh("Sign out"))


def _draft(site) -> Document:
    page = site.page
    site.sign_in("demo-clerk")
    site.go("/documents/")
    site.assert_accessible()
    site.follow(zh("Draft a new document"))
    site.assert_accessible()
    page.select_option("#id_doc_type", "notice")
    page.locator("#id_issuer_mark").fill("中共市直机关工委文件")
    page.locator("#id_code").fill("市直工")
    page.locator("#id_title").fill(TITLE)
    page.select_option("#id_urgency", "urgent")
    page.select_option("#id_disclosure", "on_request")
    page.get_by_label("全部党组织").first.check()
    page.locator("#id_main_line").fill("各机关党委、党总支、党支部")
    editor = page.get_by_role("textbox", name=zh("Body"), exact=True)
    editor.click()
    page.keyboard.type("请各党组织于月底前完成述职评议，并报送评议结果。")
    page.locator("#id_contact").fill("联系人：张秀英，电话：12345678")
    page.locator("#id_reply_required").check()
    page.locator("#id_reply_due").fill("2099-07-01T17:00")
    site.press(zh("Save the draft"))
    document = Document.objects.get(title=TITLE)
    assert "月底前完成述职评议" in document.body
    site.assert_accessible()
    site.follow(zh("Change"))
    site.assert_accessible()
    page.locator("#id_title").fill(TITLE)
    site.press(zh("Save the draft"))
    site.press(zh("Send for review"))
    site.assert_accessible()
    site.press(zh("Reviewed: send for sign-off"))
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.AWAITING_SIGNOFF
    _sign_out(site)
    return document


def _sign_off_and_distribute(site, document: Document) -> None:
    site.sign_in("demo-leader")
    site.go("/")
    site.follow(
        zh("%(state)s: %(title)s", state=str(DocumentStatus.AWAITING_SIGNOFF.label), title=TITLE)
    )
    site.assert_accessible()
    site.press(zh("Sign off"))
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED and document.number
    site.assert_accessible()
    # The print page has no care switch of its own: the mode is set on the document page.
    for care in (False, True):
        site.go(f"/documents/{document.pk}/")
        site.set_care_mode(care)
        site.follow(zh("Print view"))
        assert document.number in site.page.locator(".gw-number").inner_text()
        assert site.axe() == []
    site.go(f"/documents/{document.pk}/")
    site.set_care_mode(False)
    site.press(zh("Distribute"))
    assert Receipt.objects.filter(document=document).count() == 5
    site.assert_accessible()
    _sign_out(site)


def _sign_for_and_reply(site, document: Document, tmp_path) -> None:
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/")
    site.assert_accessible()
    # The secretary answers for 第一机关党委 and its branches: one line each in 我的待办.
    todo = page.locator(".todo-list li").filter(
        has_text=zh(
            "Sign for (%(organization)s): %(title)s", organization="第一机关党委", title=TITLE
        )
    )
    # One click in 我的待办 signs for it and opens the document.
    with page.expect_navigation():
        todo.get_by_role("button", name=zh("Sign for it"), exact=True).click()
    assert Receipt.objects.get(document=document, organization__code="A01").signed_at
    site.assert_accessible()
    page.locator("#reply_text").fill("我委已完成述职评议，结果见附件。")
    attachment = tmp_path / "评议结果.pdf"
    attachment.write_bytes(pdf("评议结果"))
    page.get_by_label(zh("Attachments (optional)")).set_input_files(str(attachment))
    site.press(zh("Send the reply"))
    receipt = Receipt.objects.get(document=document, organization__code="A01")
    assert receipt.status == ReceiptStatus.REPLIED
    site.assert_accessible()
    site.go("/documents/received/")
    site.assert_accessible()
    _sign_out(site)


def test_a_notice_goes_from_the_clerk_through_sign_off_to_every_organization(
    site, world, everyone, tmp_path, smtp_server
):
    document = _draft(site)
    _sign_off_and_distribute(site, document)
    _sign_for_and_reply(site, document, tmp_path)
    _reminder_mail_reaches_the_unsigned_organization(document, smtp_server)

    page = site.page
    site.sign_in("demo-clerk")
    site.go(f"/documents/{document.pk}/receipts/")
    site.assert_accessible()
    row = page.locator("tr").filter(
        has=page.get_by_role("rowheader", name="第一机关党委", exact=True)
    )
    assert zh("Replied") in row.inner_text()
    assert "评议结果.pdf" in page.locator(".reply").first.inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name=zh("Download as Excel")).click()
    body = Path(info.value.path()).read_bytes()
    assert is_xlsx(body)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert any(r[0] == "第一机关党委" for r in sheet.iter_rows(values_only=True))
    page.select_option("#id_state", "unsigned")
    site.press(zh("Show"))
    assert page.get_by_role("rowheader", name="第一机关党委", exact=True).count() == 0
    assert page.get_by_role("rowheader", name="第二机关党委", exact=True).count() == 1
    site.assert_accessible()
    site.go("/documents/groups/")
    site.assert_accessible()
    response = page.request.get(site.base_url + f"/documents/{document.pk}/pdf/")
    reader = PdfReader(io.BytesIO(response.body()))
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
    assert TITLE in text.replace(" ", "").replace("\n", "")
