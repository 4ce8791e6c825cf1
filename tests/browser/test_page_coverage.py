"""Pages the flow tests do not reach in both modes, each opened by someone who may see it.

The flow tests cover most pages on the way; this file fills the gaps so that every HTML page of
both sites is checked by axe-core in normal and in care mode (the admin, which has no care mode,
in its one mode).
"""

import re

import pytest

from dangwu.access import SYSTEM
from dangwu.accounts.services import token_issue
from dangwu.core.visibility import Visibility
from dangwu.exchange.services import exchange_export, exchange_keygen
from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Article
from dangwu.portal.services import article_create, article_publish, article_submit, column_create
from tests.browser.conftest import Site
from tests.browser.helpers import zh
from tests.browser.public_site import PublicSite

pytestmark = pytest.mark.browser

TITLE = "机关党委开展主题党日活动"


@pytest.fixture
def column(world):
    return column_create(
        actor=SYSTEM, slug="dongtai", name="机关党建动态", visibility=Visibility.PUBLIC
    )


def _article(world, column, *, publish: bool) -> Article:
    editor = world.user("editor")
    article = article_create(
        actor=editor,
        organization=world.orgs["root"],
        column=column,
        title=TITLE,
        body="<p>全体党员重温入党誓词。</p>",
    )
    article_submit(actor=editor, article=article)
    return article_publish(actor=editor, article=article) if publish else article


def _assert_print_page_accessible(site, path: str, article_path: str) -> None:
    """Check the print page in both modes: it has no switch, so set the mode on the article."""
    for care in (False, True):
        site.go(article_path)
        site.set_care_mode(care)
        assert site.go(path).status == 200
        html_class = (site.page.locator("html").get_attribute("class") or "").split()
        assert ("care" in html_class) == care
        assert site.page.locator("h1").inner_text() == TITLE
        assert site.axe() == [], f"{path} (care={care})"
    assert site.external_requests == []


def test_a_visitor_prints_a_public_article_in_normal_and_in_care_mode(site, world, column):
    article = _article(world, column, publish=True)
    _assert_print_page_accessible(
        site, f"/portal/a/{article.pk}/print/", f"/portal/a/{article.pk}/"
    )


def test_a_return_without_a_comment_shows_the_manage_page_with_the_problem_in_both_modes(
    site, world, column
):
    article = _article(world, column, publish=False)
    site.sign_in("demo-editor")
    site.go(f"/portal/mine/{article.pk}/")
    # Blanks pass the browser's "required" check but not the form's.
    site.page.get_by_label(zh("What should the author change?")).fill("   ")
    site.press(zh("Return with this comment"))
    assert site.page.locator(".error-summary").is_visible()
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    site.assert_accessible()


def test_the_new_token_notice_is_accessible_in_both_modes(site):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/accounts/profile/")
    page.get_by_label(zh("What the token is for")).fill("统计报表")
    site.press(zh("Create a token"))
    assert page.locator("[role=status] code").count() == 1
    site.assert_accessible()


def _assert_admin_page(site, path: str) -> None:
    assert site.go(path).status == 200, path
    assert site.axe() == [], path
    assert site.external_requests == []


def test_system_administrator_opens_the_user_add_and_set_password_pages(site, world):
    site.sign_in("demo-sysadmin")
    for path in (
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{world.user('member').pk}/password/",
    ):
        _assert_admin_page(site, path)


def test_security_administrator_opens_a_role_grant_and_the_api_tokens(site, world):
    token, _secret = token_issue(actor=world.user("secretary"), name="统计报表")
    grant = world.user("secretary").role_assignments.first()
    site.sign_in("demo-secadmin")
    for path in (
        f"/admin/accounts/roleassignment/{grant.pk}/change/",
        "/admin/accounts/apitoken/",
        f"/admin/accounts/apitoken/{token.pk}/change/",
    ):
        _assert_admin_page(site, path)


def test_the_not_found_page_is_accessible_to_a_visitor(site):
    assert site.go("/portal/a/999999/").status == 404
    site.assert_accessible()


# ------------------------------------------------------------------------ the public site


@pytest.fixture
def public_site(transactional_db, settings, tmp_path):
    """A public site that trusts the internal site's key; always stopped afterwards."""
    settings.EXCHANGE_PRIVATE_KEY = tmp_path / "keys" / "exchange-ed25519.key"
    settings.EXCHANGE_PUBLIC_KEY = tmp_path / "keys" / "exchange-ed25519.pub"
    settings.EXCHANGE_OUTBOX = tmp_path / "outbox"
    keys = exchange_keygen(actor=SYSTEM)
    public = PublicSite(data_dir=tmp_path / "public-site", public_key=keys.public)
    public.prepare()
    yield public
    public.stop()


def test_the_public_site_print_and_not_found_pages_are_accessible(
    page, world, column, tmp_path, public_site
):
    _article(world, column, publish=True)
    bundle = tmp_path / "bundle-1.zip"
    assert exchange_export(actor=SYSTEM, target="public", destination=bundle) is not None
    imported = public_site.import_bundle(bundle)
    assert imported.returncode == 0, imported.stderr
    public_site.start()
    site = Site(page, public_site.url)

    site.go("/")
    page.get_by_role("link", name=TITLE, exact=True).first.click()
    page.wait_for_url(re.compile(r"/a/\d+/$"))
    article_path = page.url.removeprefix(public_site.url)
    _assert_print_page_accessible(site, f"{article_path}print/", article_path)

    assert site.go("/a/999999/").status == 404
    site.assert_accessible()
