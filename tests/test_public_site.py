"""The public deployment (DANGWU_SITE=public): the public portal and nothing else.

The URLconf of the public site is swapped in (``urls`` marker) with ``SITE = "public"``: internal
addresses do not exist there (404, not 403), there is no way to sign in, and the reading pages
serve public content only.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from dangwu.access import SYSTEM
from dangwu.core.visibility import Visibility
from dangwu.exchange.tests.conftest import png_bytes
from dangwu.portal.attachments import attachment_add
from dangwu.portal.services import article_create, article_publish, article_submit, column_create
from dangwu.urls_public import PUBLIC_PORTAL_PAGES

pytestmark = pytest.mark.urls("dangwu.urls_public")

PUBLIC_TITLE = "公开的机关党建动态"
INTERNAL_TITLE = "只在内网的工委通知"

INTERNAL_PATHS = [
    "/accounts/login/",
    "/accounts/profile/",
    "/accounts/tokens/",
    "/orgs/",
    "/orgs/members/",
    "/orgs/import/",
    "/audit/",
    "/admin/",
    "/admin/login/",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/portal/",
    "/mine/",
    "/mine/new/",
    "/review/",
]


@pytest.fixture
def public_site(settings):
    settings.SITE = "public"


@pytest.fixture
def articles(world, public_site, django_capture_on_commit_callbacks):
    # Run the commit hooks, so the search index holds both articles like a real site would.
    with django_capture_on_commit_callbacks(execute=True):
        return _publish_two(world)


def _publish_two(world):
    editor = world.user("editor")
    news = column_create(
        actor=SYSTEM, slug="news", name="机关党建动态", visibility=Visibility.PUBLIC
    )
    notices = column_create(
        actor=SYSTEM, slug="notices", name="工委通知通告", visibility=Visibility.INTERNAL
    )
    made = {}
    for key, title, column in (
        ("public", PUBLIC_TITLE, news),
        ("internal", INTERNAL_TITLE, notices),
    ):
        article = article_create(
            actor=editor,
            organization=world.orgs["root"],
            column=column,
            title=title,
            body="<p>正文</p>",
        )
        attachment_add(
            actor=editor,
            article=article,
            upload=SimpleUploadedFile(f"{key}.png", png_bytes(len(key)), content_type="image/png"),
        )
        article_submit(actor=editor, article=article)
        made[key] = article_publish(actor=editor, article=article)
    return made


def _names(patterns, prefix="") -> set[str]:
    names = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _names(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_the_public_site_routes_only_the_public_portal():
    names = _names(get_resolver("dangwu.urls_public").url_patterns)

    assert names == {f"portal:{n}" for n in PUBLIC_PORTAL_PAGES} | {
        "core:home",
        "healthz",
        "care_mode",
        "intake:form",  # the submissions intake form (docs/submissions.md)
    }


@pytest.mark.parametrize("path", INTERNAL_PATHS)
def test_internal_addresses_do_not_exist_on_the_public_site(client, world, public_site, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"username": "demo-editor", "password": "x"}).status_code == 404


def test_there_is_no_way_to_sign_in_on_the_public_site(client, articles):
    with pytest.raises(NoReverseMatch):
        reverse("accounts:login")

    page = client.get("/")

    assert page.status_code == 200
    assert b"/accounts/" not in page.content
    assert b"/admin/" not in page.content


def test_public_pages_show_public_articles_only(client, articles):
    public, internal = articles["public"], articles["internal"]
    pages = [
        "/",
        "/c/news/",
        "/c/news/rss.xml",
        f"/a/{public.pk}/",
        f"/a/{public.pk}/print/",
        "/sitemap.xml",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert INTERNAL_TITLE not in response.content.decode(), path
        assert f"/a/{internal.pk}/" not in response.content.decode(), path
    assert PUBLIC_TITLE in client.get("/").content.decode()
    assert client.get(f"/a/{internal.pk}/").status_code == 404
    assert client.get("/c/notices/").status_code == 404
    assert client.get("/c/notices/rss.xml").status_code == 404


def test_only_public_attachments_can_be_downloaded(client, articles):
    public = articles["public"].attachments.get()
    internal = articles["internal"].attachments.get()

    response = client.get(f"/files/{public.uuid}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes(len("public"))
    assert client.get(f"/files/{internal.uuid}/").status_code == 404


def test_search_on_the_public_site_finds_no_internal_article(client, articles):
    found = client.get("/search/", {"q": "正文"}).content.decode()

    assert f"/a/{articles['public'].pk}/" in found
    assert f"/a/{articles['internal'].pk}/" not in found
    assert INTERNAL_TITLE not in found


def test_the_health_check_answers_on_the_public_site(client, db, public_site):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
