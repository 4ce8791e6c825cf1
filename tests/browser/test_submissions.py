"""Submissions in a real browser: a secretary uploads a Word file as an item; the editor returns
it; the secretary fixes it and sends it again; the editor adopts it into a column and it appears
on the portal crediting the organization; the ranking shows the points. Then the calls, the
organization's settings, and the public site's intake form. axe-core on every page, normal and
care mode.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.exchange.services import exchange_export, exchange_keygen
from dangwu.portal.tests.files import rich_docx
from dangwu.submissions import services
from dangwu.submissions.enums import SubmissionStatus
from dangwu.submissions.models import Submission
from dangwu.submissions.tests.factories import DOCX_TYPE, make_columns
from tests.browser.helpers import zh
from tests.browser.public_site import PublicSite

pytestmark = pytest.mark.browser

TITLE = "关于开展主题党日活动的通知"


def _sign_out(site) -> None:
    site.press(zh("Sign out"))


def test_a_word_file_goes_from_the_secretary_to_the_portal_and_the_ranking(site, world):
    columns = make_columns()
    page = site.page

    # The secretary uploads a .docx.
    site.sign_in("demo-secretary")
    site.go("/submissions/")
    site.assert_accessible()
    site.follow(zh("Write a new item"))
    site.assert_accessible()
    page.select_option("#id_kind", "news")
    page.locator("#id_word_file").set_input_files(
        {"name": "通知.docx", "mimeType": DOCX_TYPE, "buffer": rich_docx()}
    )
    page.locator("#id_contact_name").fill("张敏")
    page.locator("#id_contact_phone").fill("13912345678")
    site.press(zh("Save the draft"))
    item = Submission.objects.get()
    assert item.title == TITLE
    site.assert_accessible()
    site.press(zh("Send the item"))
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    _sign_out(site)

    # The editor returns it with a comment.
    site.sign_in("demo-editor")
    site.go("/submissions/inbox/")
    site.assert_accessible()
    site.follow(TITLE)
    site.assert_accessible()
    page.locator("#id_comment").fill("请补充参加人数。")
    site.press(zh("Return with this comment"))
    assert Submission.objects.get().status == SubmissionStatus.RETURNED
    _sign_out(site)

    # The secretary sees it waiting, fixes it and sends it again.
    site.sign_in("demo-secretary")
    assert TITLE in page.content()  # 我的待办 on the home page
    site.go("/submissions/")
    site.follow(TITLE)
    assert "请补充参加人数。" in page.content()
    site.follow(zh("Change the item"))
    site.assert_accessible()
    editor = page.get_by_role("textbox", name=zh("Text"), exact=True)
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type("共有三十名党员参加。")
    site.press(zh("Save the draft"))
    assert "三十名党员" in Submission.objects.get().body
    site.press(zh("Send the item"))
    _sign_out(site)

    # The editor adopts it into the public column; it appears on the portal.
    site.sign_in("demo-editor")
    site.go(f"/submissions/{item.pk}/")
    page.select_option("#id_column", str(columns["news"].pk))
    site.press(zh("Adopt into this column"))
    site.assert_accessible()
    item.refresh_from_db()
    assert item.status == SubmissionStatus.ADOPTED
    site.follow(TITLE)
    assert "第一机关党委" in page.content()
    site.go("/submissions/ranking/")
    site.assert_accessible()
    row = page.get_by_role("row").filter(has_text="第一机关党委").first
    assert "2" in row.inner_text()
    assert zh("Sent nothing") in page.content()


def test_calls_and_the_organizations_rules_pages(site, world):
    call = services.call_create(
        actor=world.user("editor"),
        organization=world.orgs["root"],
        title="征集七一活动信息",
        due_on=timezone.localdate() + timedelta(days=7),
        all_organizations=True,
    )
    site.sign_in("demo-editor")
    site.go("/submissions/calls/")
    site.assert_accessible()
    site.follow(call.title)
    site.assert_accessible()
    _sign_out(site)

    site.sign_in("demo-secretary")
    site.go(f"/submissions/settings/{world.orgs['org1'].pk}/")
    site.assert_accessible()
    site.press(zh("Give a code"))
    assert site.page.locator(".intake-code").inner_text().count("-") == 2
    site.assert_accessible()


@pytest.fixture
def public_site(transactional_db, settings, tmp_path):
    settings.EXCHANGE_PRIVATE_KEY = tmp_path / "keys" / "exchange-ed25519.key"
    settings.EXCHANGE_PUBLIC_KEY = tmp_path / "keys" / "exchange-ed25519.pub"
    settings.EXCHANGE_OUTBOX = tmp_path / "outbox"
    # The public site checks codes with the production hashers (the suite's MD5 is not one).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    keys = exchange_keygen(actor=SYSTEM)
    public = PublicSite(data_dir=tmp_path / "public-site", public_key=keys.public)
    public.prepare()
    yield public
    public.stop()


def test_the_public_intake_form_takes_an_item(page, world, tmp_path, public_site):
    from tests.browser.conftest import Site

    code = services.intake_code_issue(
        actor=world.user("secretary"), organization=world.orgs["org1"]
    )
    bundle = tmp_path / "bundle-1.zip"
    assert exchange_export(actor=SYSTEM, target="public", destination=bundle) is not None
    assert public_site.import_bundle(bundle).returncode == 0
    public_site.start()
    site = Site(page, public_site.url)

    site.go("/submit/")
    site.assert_accessible()
    page.select_option("#id_organization", "A01")
    page.locator("#id_code").fill("WRONG-CODE")
    page.locator("#id_title").fill("来自互联网的稿件")
    page.locator("#id_text").fill("我们的做法。")
    page.locator("#id_contact_name").fill("王明")
    page.locator("#id_contact_phone").fill("13800001111")
    site.press(zh("Send the item"))
    assert "来自互联网的稿件" in page.content()  # kept on the refused form
    site.assert_accessible()
    page.locator("#id_code").fill(code)
    site.press(zh("Send the item"))
    assert zh("The item is sent") in page.content()
    site.assert_accessible()
