"""The foundation's flows in a real browser, with axe-core on every page visited."""

import pytest

pytestmark = pytest.mark.browser


def test_sign_in_shows_the_to_do_list_and_the_page_is_accessible(site):
    site.go("/")
    assert "/accounts/login/" in site.page.url
    site.assert_accessible()
    site.sign_in("demo-secretary")
    assert site.page.get_by_role("heading", level=1).inner_text().startswith("您好")
    assert site.page.get_by_role("heading", name="等待您处理的事项").is_visible()
    site.assert_accessible()


def test_wrong_password_gets_a_plain_chinese_error(site):
    site.sign_in("demo-secretary", password="wrong-password")
    alert = site.page.get_by_role("alert")
    assert "用户名" in alert.inner_text()
    site.assert_accessible()


def test_care_mode_is_remembered_after_signing_out_and_in(site):
    site.sign_in("demo-member")
    site.set_care_mode(True)
    font_size = site.page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(font_size.removesuffix("px")) >= 22
    site.press("退出")
    site.sign_in("demo-member")
    assert "care" in (site.page.locator("html").get_attribute("class") or "")


def test_secretary_browses_the_tree_and_opens_a_masked_member(site, world):
    site.sign_in("demo-secretary")
    site.go("/orgs/")
    site.assert_accessible()
    site.follow("第一机关党委")
    assert site.page.get_by_role("heading", level=1).inner_text() == "第一机关党委"
    site.assert_accessible()
    site.follow("查看党员")
    site.assert_accessible()
    site.follow("党员乙")
    member = world.members["member"]
    body = site.page.content()
    assert member.id_number_masked in body
    assert member.id_number not in body
    site.assert_accessible()


def test_secretary_is_denied_another_organizations_member(site, world):
    site.sign_in("demo-secretary")
    response = site.go(f"/orgs/members/{world.members['other'].pk}/")
    assert response.status == 404
    assert "党员丁" not in site.page.content()
    site.assert_accessible()
