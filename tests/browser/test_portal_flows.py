"""The portal in a real browser: write in the editor, review, return, resubmit, publish, read.

axe-core runs on every page visited, in normal and in care mode.
"""

import re

import pytest

from dangwu.access import SYSTEM
from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Article
from dangwu.portal.services import column_create
from tests.browser.helpers import zh
from tests.personas import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "第一机关党委开展主题党日活动"


@pytest.fixture
def columns(world):
    return [
        column_create(actor=SYSTEM, slug="dongtai", name="机关党建动态", visibility="public"),
        column_create(actor=SYSTEM, slug="tongzhi", name="工委通知通告", visibility="internal"),
    ]


def _sign_out(site) -> None:
    site.press(zh("Sign out"))


def _checked(site) -> None:
    site.assert_accessible()


def test_an_article_goes_from_the_editor_through_review_to_the_home_page(site, world, columns):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/portal/mine/")
    _checked(site)
    site.follow(zh("Write a new article"))
    _checked(site)
    page.locator("#id_title").fill(TITLE)
    page.select_option("#id_column", label="机关党建动态")
    editor = page.get_by_role("textbox", name=zh("Body"))
    editor.click()
    page.keyboard.type("全体党员重温入党誓词。")
    page.get_by_role("button", name=zh("Bold")).click()
    page.keyboard.type("集中学习党章。")
    site.press(zh("Save the draft"))
    article = Article.objects.get(title=TITLE)
    assert re.search(r"<(b|strong)>集中学习党章。</\1>", article.body)
    _checked(site)
    site.press(zh("Submit for review"))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED
    _sign_out(site)

    site.sign_in("demo-editor")
    site.go("/portal/review/")
    _checked(site)
    site.follow(TITLE)
    _checked(site)
    page.get_by_label(zh("What should the author change?")).fill("请补充参加人数。")
    site.press(zh("Return with this comment"))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.RETURNED
    _sign_out(site)

    site.sign_in("demo-secretary")
    site.go("/")
    site.follow(zh("Returned for changes: %(title)s", title=TITLE))
    assert "请补充参加人数。" in page.locator(".review-comment").inner_text()
    site.follow(zh("Change"))
    _checked(site)
    page.get_by_role("textbox", name=zh("Body")).click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("共有四十二名党员参加。")
    site.press(zh("Save the draft"))
    assert "四十二名党员" in Article.objects.get(pk=article.pk).body
    site.press(zh("Submit for review"))
    _sign_out(site)

    site.sign_in("demo-editor")
    site.go(f"/portal/mine/{article.pk}/")
    site.press(zh("Publish"))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED
    site.go(f"/portal/mine/{article.pk}/history/")
    _checked(site)
    _sign_out(site)

    site.go("/portal/")
    site.set_care_mode(True)
    assert page.locator("html").get_attribute("class") == "care"
    _checked(site)
    site.follow(TITLE)
    assert "共有四十二名党员参加。" in page.locator(".article-body").inner_text()
    _checked(site)
    site.follow(zh("Print"))
    # The print page is the article alone, without the site's header and its care switch.
    assert site.axe() == []
    site.go("/portal/c/dongtai/")
    _checked(site)


def test_without_javascript_the_body_is_a_plain_text_area_that_still_saves(
    browser, live_server, world, columns
):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("demo-editor")
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + "/portal/mine/new/")
    assert page.locator("textarea#id_body").is_visible()
    assert page.locator(".rich-area").count() == 0
    page.locator("#id_title").fill("无脚本写的稿件")
    page.locator("#id_body").fill("<p>纯文本框里的正文</p>")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Save the draft")).click()
    assert Article.objects.get(title="无脚本写的稿件").body == "<p>纯文本框里的正文</p>"
    context.close()


def test_a_classified_mark_is_refused_on_the_form_and_the_input_is_kept(site, world, columns):
    page = site.page
    site.sign_in("demo-editor")
    site.go("/portal/mine/new/")
    page.locator("#id_title").fill("秘密★ 某项工作安排")
    page.get_by_role("textbox", name=zh("Body")).click()
    page.keyboard.type("正文")
    site.press(zh("Save the draft"))
    assert page.locator(".error-summary").is_visible()
    assert "涉密不上网" in page.locator(".error-summary").inner_text()
    assert page.locator("#id_title").input_value() == "秘密★ 某项工作安排"
    assert not Article.objects.exists()
    _checked(site)
