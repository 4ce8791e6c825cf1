"""Internal mail and the notification centre in a real browser.

A secretary writes to another organization with an attachment; its secretary finds it on
我的待办, reads it and replies; the sender sees who read it. axe-core runs on every mail page,
in normal and in care mode.
"""

import pytest

from dangwu.access import SYSTEM
from dangwu.messages import services
from dangwu.messages.models import Message, MessageRecipient, Notification
from tests.browser.helpers import zh

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
SUBJECT = "关于报送上半年党建工作总结的通知"


def _sign_out(site) -> None:
    site.press(zh("Sign out"))


def test_a_message_to_an_organization_is_read_answered_and_seen_read(site, world):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/mail/")
    site.assert_accessible()
    site.follow(zh("Write a message"))
    site.assert_accessible()
    page.get_by_label(zh("Subject")).fill(SUBJECT)
    page.get_by_label(zh("Text")).fill("请于本月底前报送，材料清单见附件。")
    site.press(zh("Send"))  # nobody chosen yet: refused, and what was typed stays
    assert zh("Choose at least one person, organization or role.") in page.content()
    assert page.get_by_label(zh("Subject")).input_value() == SUBJECT
    site.assert_accessible()
    page.locator(f'input[name="organizations"][value="{world.orgs["org2"].pk}"]').check()
    page.get_by_label(zh("Attachments")).set_input_files(
        files=[{"name": "材料清单.png", "mimeType": "image/png", "buffer": PNG}]
    )
    site.press(zh("Send"))
    message = Message.objects.get(subject=SUBJECT)
    assert message.files.get().original_name == "材料清单.png"
    assert zh("Read by %(read)s of %(total)s", read=0, total=1) in page.content()
    site.assert_accessible()
    _sign_out(site)

    site.sign_in("demo-other-secretary")
    site.go("/")
    site.follow(zh("Unread mail (%(n)d)", n=1))
    site.assert_accessible()
    site.follow(SUBJECT)
    assert "材料清单见附件" in page.locator(".mail-body").inner_text()
    assert page.get_by_role("link", name="材料清单.png").is_visible()
    assert MessageRecipient.objects.get(message=message).read_at is not None
    site.assert_accessible()
    site.follow(zh("Reply"))
    site.assert_accessible()
    page.get_by_label(zh("Your reply")).fill("收到，按时报送。")
    site.press(zh("Send the reply"))
    assert Message.objects.filter(reply_to=message).exists()
    site.go(f"/mail/{message.pk}/forward/")
    site.assert_accessible()
    _sign_out(site)

    site.sign_in("demo-secretary")
    site.go("/mail/sent/")
    site.assert_accessible()
    site.follow(SUBJECT)
    assert zh("Read by %(read)s of %(total)s", read=1, total=1) in page.content()
    site.go("/mail/")
    assert "收到，按时报送。" not in page.content()  # the body shows only when opened
    site.follow(f"{zh('Re: ')}{SUBJECT}")
    assert "收到，按时报送。" in page.locator(".mail-body").inner_text()


def test_the_notification_centre_lists_marks_and_leads_to_the_thing(site, world):
    page = site.page
    for title in ("请签收：关于开展主题党日的通知", "催办：请尽快签收"):
        services.notify(
            actor=SYSTEM,
            recipients=[world.user("secretary")],
            kind="documents.distributed",
            title=title,
            body="市直机关工委发文。",
            url="/mail/",
            email=False,
        )
    site.sign_in("demo-secretary")
    site.go("/")
    assert "催办：请尽快签收" in page.locator(".todo-list").inner_text()
    with page.expect_navigation():
        page.locator(".main-nav").get_by_role("link", name=zh("Notifications"), exact=True).click()
    site.assert_accessible()

    site.follow("催办：请尽快签收")
    assert page.url.endswith("/mail/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1

    site.go("/mail/notifications/")
    site.press(zh("Mark all as read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    page.get_by_label(zh("One e-mail a day with everything new (daily digest)")).check()
    site.press(zh("Save my choice"))
    assert zh("Your choice is saved.") in page.content()
    site.assert_accessible()
