"""Visitors' reading pages come from the page cache, and never show anything stale or personal."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.core import pagecache
from dangwu.core.context_processors import CARE_COOKIE
from dangwu.core.models import ContentVersion
from dangwu.orgs.services import organization_update
from dangwu.portal.models import Column
from dangwu.portal.services import article_withdraw

READING_PAGES = ("/portal/", "/portal/c/news/", "article", "print")


def _path(page: str, article) -> str:
    return {"article": f"/portal/a/{article.pk}/", "print": f"/portal/a/{article.pk}/print/"}.get(
        page, page
    )


def _without_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


@pytest.mark.parametrize("page", READING_PAGES)
def test_a_visitors_second_view_costs_one_query(client, publish, page, django_assert_num_queries):
    article = publish("缓存测试稿件")
    path = _path(page, article)
    first = client.get(path)
    with django_assert_num_queries(1):  # the content version (tests run inside a transaction)
        again = client.get(path)
    assert again.status_code == 200
    assert _without_token(again) == _without_token(first)  # the token is masked anew each time
    assert "缓存测试稿件" in again.content.decode()


def test_a_withdrawn_article_leaves_the_cached_pages_at_once(client, world, publish):
    article = publish("即将撤回的稿件")
    for path in ("/portal/", "/portal/c/news/", f"/portal/a/{article.pk}/"):
        assert "即将撤回的稿件" in client.get(path).content.decode()
    article_withdraw(actor=world.user("editor"), article=article, comment="内容有误")
    assert "即将撤回的稿件" not in client.get("/portal/").content.decode()
    assert "即将撤回的稿件" not in client.get("/portal/c/news/").content.decode()
    assert client.get(f"/portal/a/{article.pk}/").status_code == 404


def test_a_new_article_a_renamed_column_or_organization_show_at_once(client, world, publish):
    article = publish("第一篇稿件")
    client.get("/portal/")
    client.get(f"/portal/a/{article.pk}/")
    publish("又一篇新稿件")
    assert "又一篇新稿件" in client.get("/portal/").content.decode()
    column = Column.objects.get(slug="news")
    column.name = "改名后的栏目"
    column.save()
    assert "改名后的栏目" in client.get("/portal/").content.decode()
    organization_update(actor=SYSTEM, organization=article.organization, name="改名后的机关工委")
    assert "改名后的机关工委" in client.get(f"/portal/a/{article.pk}/").content.decode()


def test_a_scheduled_article_appears_when_it_falls_due(client, publish, monkeypatch):
    now = timezone.now()
    publish("定时发布的稿件", at=now + timedelta(hours=1))
    publish("已经发布的稿件")
    assert "定时发布的稿件" not in client.get("/portal/").content.decode()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=59))
    assert "定时发布的稿件" not in client.get("/portal/").content.decode()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=61))
    assert "定时发布的稿件" in client.get("/portal/").content.decode()


def test_signed_in_readers_never_get_the_visitors_page(client, client_for, publish):
    publish("公开的稿件")
    publish("内部的稿件", "notices")
    visitor = Client()
    assert "内部的稿件" not in visitor.get("/portal/").content.decode()
    member_page = client_for("member").get("/portal/").content.decode()
    assert "内部的稿件" in member_page
    assert "内部的稿件" not in visitor.get("/portal/").content.decode()


def test_each_visitor_gets_a_working_token_of_their_own(publish):
    publish("公开的稿件")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = _token(first.get("/portal/"))
    second_token = _token(second.get("/portal/"))  # served from the cache
    assert pagecache.CSRF_PLACEHOLDER not in first_token + second_token
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    answer = second.post(
        "/care/", {"enabled": "1", "next": "/portal/", "csrfmiddlewaretoken": second_token}
    )
    assert answer.status_code == 302
    assert second.cookies[CARE_COOKIE].value == "1"
    assert 'class="care"' in second.get("/portal/").content.decode()
    assert 'class="care"' not in first.get("/portal/").content.decode()


def test_a_page_not_found_is_neither_cached_nor_broken(client, db):
    response = client.get("/portal/a/999999/")
    assert response.status_code == 404
    assert pagecache.CSRF_PLACEHOLDER not in response.content.decode()
    assert client.get("/portal/a/999999/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_version_is_read_once_a_second(
    client, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(pagecache, "_versions", {})
    client.get("/portal/")
    with django_assert_num_queries(0):
        client.get("/portal/")
    # Another worker's change: this process sees it once its reading is a second old.
    ContentVersion.objects.update_or_create(name="portal", defaults={"number": 99})
    with django_assert_num_queries(0):
        client.get("/portal/")
    monkeypatch.setattr(pagecache, "VERSION_SECONDS", 0.0)
    with CaptureQueriesContext(connection) as queries:
        client.get("/portal/")  # read again, and rendered anew under the new number
    assert "core_contentversion" in queries[0]["sql"]
    assert pagecache.version("portal") == 99


def test_readers_of_one_audience_share_the_home_lists_and_see_changes_at_once(
    client_for, world, publish
):
    publish("给全体党员的通知", "notices")
    client_for("member").get("/portal/")
    secretary = client_for("secretary")
    with CaptureQueriesContext(connection) as queries:
        page = secretary.get("/portal/").content.decode()
    assert "给全体党员的通知" in page
    lists = [q for q in queries if '"portal_article"."pinned"' in q["sql"]]
    assert not lists  # the column lists came from the cache (待办 still reads the drafts)
    publish("又一条内部通知", "notices")
    assert "又一条内部通知" in secretary.get("/portal/").content.decode()
