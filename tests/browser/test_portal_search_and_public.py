"""Search in a real browser, and the public site after a signed export and import.

A member finds a published article by a two-word Chinese query, ranked and highlighted, and
narrows by column; a visitor searching the same words never learns of an internal article. Then
the public site — its own process, settings and database — shows what the bundle carried and
nothing else. axe-core runs on every page visited, in normal and in care mode.
"""

import re

import pytest

from dangwu.access import SYSTEM
from dangwu.core.visibility import Visibility
from dangwu.exchange.services import exchange_export, exchange_keygen
from dangwu.portal.services import article_create, article_publish, article_submit, column_create
from tests.browser.conftest import Site
from tests.browser.helpers import zh, zh_count
from tests.browser.public_site import PublicSite

pytestmark = pytest.mark.browser

QUERY = "组织生活会 党员"
# Both words in the title: ranks first among the public articles.
TITLE_MATCH = "第一支部召开组织生活会 全体党员参加"
# Both words only in the body, and in another public column.
BODY_MATCH = "机关党委学习贯彻会议精神"
# The same words, but only the signed-in may read it.
INTERNAL_TITLES = ("工委关于召开组织生活会的内部通知", "公开栏目里的党员内部通报")


@pytest.fixture
def columns(world):
    return {
        "dongtai": column_create(
            actor=SYSTEM, slug="dongtai", name="机关党建动态", visibility=Visibility.PUBLIC
        ),
        "yaowen": column_create(
            actor=SYSTEM, slug="yaowen", name="要闻要论", visibility=Visibility.PUBLIC
        ),
        "tongzhi": column_create(
            actor=SYSTEM, slug="tongzhi", name="工委通知通告", visibility=Visibility.INTERNAL
        ),
    }


@pytest.fixture
def published(world, columns):
    """The articles above, written and published by the editor (indexed as they commit)."""
    editor = world.user("editor")

    def publish(title, column, body, **values):
        article = article_create(
            actor=editor,
            organization=world.orgs["root"],
            column=columns[column],
            title=title,
            body=body,
            **values,
        )
        article_submit(actor=editor, article=article)
        return article_publish(actor=editor, article=article)

    return {
        "title": publish(TITLE_MATCH, "dongtai", "<p>会上开展批评与自我批评。</p>"),
        "body": publish(BODY_MATCH, "yaowen", "<p>各支部在组织生活会上，党员交流学习体会。</p>"),
        "internal": publish(
            INTERNAL_TITLES[0], "tongzhi", "<p>请各支部组织全体党员参加组织生活会。</p>"
        ),
        "internal_in_public_column": publish(
            INTERNAL_TITLES[1],
            "dongtai",
            "<p>组织生活会上党员的发言摘要，仅限内部。</p>",
            visibility=Visibility.INTERNAL,
        ),
    }


def _result_titles(site) -> list[str]:
    return site.page.locator(".search-results > li h2").all_inner_texts()


def _search(site, query: str, column: str | None = None) -> None:
    site.page.get_by_label(zh("Search for")).fill(query)
    if column is not None:
        site.page.get_by_label(zh("Column")).select_option(label=column)
    site.press(zh("Search"))


def _assert_no_internal_title(text: str, where: str) -> None:
    # Highlighting splits a title with <mark>: compare the text with the tags taken out too.
    plain = re.sub(r"<[^>]+>", "", text)
    for title in INTERNAL_TITLES:
        assert title not in text, where
        assert title not in plain, where


def test_a_member_finds_an_article_by_two_words_ranked_highlighted_and_by_column(site, published):
    page = site.page
    site.sign_in("demo-member")
    site.go("/portal/search/")
    site.assert_accessible()
    _search(site, QUERY)

    titles = _result_titles(site)
    assert sorted(titles) == sorted([TITLE_MATCH, BODY_MATCH, *INTERNAL_TITLES])
    assert titles.index(TITLE_MATCH) < titles.index(BODY_MATCH)
    assert page.locator(".result-count").inner_text() == zh_count(
        "%(n)s result", "%(n)s results", 4
    )
    first = page.locator(".search-results > li", has_text=TITLE_MATCH)
    assert first.locator("h2 mark").all_inner_texts() == ["组织生活会", "党员"]
    body_hit = page.locator(".search-results > li", has_text=BODY_MATCH)
    assert set(body_hit.locator("p mark").all_inner_texts()) == {"组织生活会", "党员"}
    site.assert_accessible()

    _search(site, QUERY, column="要闻要论")
    assert _result_titles(site) == [BODY_MATCH]
    assert page.locator(".result-count").inner_text() == zh_count(
        "%(n)s result", "%(n)s results", 1
    )
    site.assert_accessible()

    site.follow(BODY_MATCH)
    assert page.url.endswith(f"/portal/a/{published['body'].pk}/")


def test_a_visitor_searching_the_same_words_finds_only_public_articles(site, published, columns):
    page = site.page
    site.go("/portal/search/")
    # The internal column is not even offered as a filter.
    assert columns["tongzhi"].name not in page.locator("#id_column").inner_text()
    _search(site, QUERY)

    assert _result_titles(site) == [TITLE_MATCH, BODY_MATCH]
    assert page.locator(".result-count").inner_text() == zh_count(
        "%(n)s result", "%(n)s results", 2
    )
    _assert_no_internal_title(page.content(), "visitor's results")
    _assert_no_internal_title(page.locator("body").inner_text(), "visitor's results")
    site.assert_accessible()

    # Asking for the internal column by its number finds nothing either, and says nothing.
    site.go(f"/portal/search/?q={QUERY}&column={columns['tongzhi'].pk}")
    assert _result_titles(site) == []
    _assert_no_internal_title(page.content(), "visitor's internal-column search")
    assert page.locator(".error-summary").is_visible()
    site.assert_accessible()


# ------------------------------------------------------------------------ the public site


@pytest.fixture
def keys(transactional_db, settings, tmp_path):
    """The internal site's signing key pair, made as `dangwu exchange keygen` does."""
    settings.EXCHANGE_PRIVATE_KEY = tmp_path / "keys" / "exchange-ed25519.key"
    settings.EXCHANGE_PUBLIC_KEY = tmp_path / "keys" / "exchange-ed25519.pub"
    settings.EXCHANGE_OUTBOX = tmp_path / "outbox"
    return exchange_keygen(actor=SYSTEM)


@pytest.fixture
def public_site(tmp_path, keys):
    """An empty public site that trusts the internal site's key; always stopped afterwards."""
    site = PublicSite(data_dir=tmp_path / "public-site", public_key=keys.public)
    site.prepare()
    yield site
    site.stop()


def test_the_public_site_after_export_and_import_shows_public_articles_only(
    page, published, columns, tmp_path, public_site
):
    bundle = tmp_path / "bundle-1.zip"
    assert exchange_export(actor=SYSTEM, target="public", destination=bundle) is not None
    imported = public_site.import_bundle(bundle)
    assert imported.returncode == 0, imported.stderr
    public_site.start()
    site = Site(page, public_site.url)

    response = site.go("/")
    assert response.status == 200
    assert page.get_by_role("link", name=TITLE_MATCH, exact=True).count() >= 1
    _assert_no_internal_title(page.content(), "home")
    site.assert_accessible()

    site.page.get_by_role("link", name=TITLE_MATCH, exact=True).first.click()
    page.wait_for_url(re.compile(r"/a/\d+/$"))
    assert page.locator("h1").inner_text() == TITLE_MATCH
    assert "批评与自我批评" in page.locator(".article-body").inner_text()
    site.assert_accessible()

    # Care mode is remembered from page to page.
    site.set_care_mode(True)
    site.go("/c/dongtai/")
    assert "care" in (page.locator("html").get_attribute("class") or "").split()
    assert page.get_by_role("link", name=TITLE_MATCH, exact=True).count() == 1
    _assert_no_internal_title(page.content(), "column")
    site.assert_accessible()

    site.go("/search/")
    _search(site, QUERY)
    assert _result_titles(site) == [TITLE_MATCH, BODY_MATCH]
    assert page.locator(".result-count").inner_text() == zh_count(
        "%(n)s result", "%(n)s results", 2
    )
    assert page.locator(".search-results mark").count() >= 2
    _assert_no_internal_title(page.content(), "search")
    site.assert_accessible()

    # The internal column does not exist there at all.
    assert site.go(f"/c/{columns['tongzhi'].slug}/").status == 404
    for path, expected in (("/c/dongtai/rss.xml", TITLE_MATCH), ("/sitemap.xml", "/a/")):
        reply = page.request.get(public_site.url + path)
        assert reply.status == 200, path
        assert expected in reply.text(), path
        _assert_no_internal_title(reply.text(), path)
    assert site.external_requests == []
