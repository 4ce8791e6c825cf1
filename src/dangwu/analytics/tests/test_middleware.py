"""Counting through the real middleware, with the test client on pages named like the portal's."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangwu.analytics import middleware
from dangwu.analytics.batch import SHANGHAI
from dangwu.analytics.enums import VisitKind
from dangwu.analytics.models import DailyVisitor, DailyVisits
from dangwu.analytics.tests.conftest import BROWSER
from dangwu.portal.models import Column

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def today() -> date:
    return timezone.localdate(timezone=SHANGHAI)


def counts(kind: str, object_id: int) -> tuple[int, int]:
    row = DailyVisits.objects.get(kind=kind, object_id=object_id, day=today())
    return row.views, row.visitors


def test_an_article_view_is_counted_once_the_buffer_is_flushed(visits, browser):
    assert browser.get("/a/7/").status_code == 200

    assert not DailyVisits.objects.exists()
    assert visits.flush() == 1
    assert counts(VisitKind.ARTICLE, 7) == (1, 1)


def test_home_and_column_pages_are_counted_by_kind(visits, browser):
    column = Column.objects.create(slug="news", name="机关党建动态")

    browser.get("/")
    browser.get("/c/news/")
    visits.flush()

    assert counts(VisitKind.HOME, 0) == (1, 1)
    assert counts(VisitKind.COLUMN, column.pk) == (1, 1)


def test_a_column_is_looked_up_once_a_minute_not_on_every_view(visits, browser, monkeypatch):
    column = Column.objects.create(slug="news", name="机关党建动态")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            browser.get("/c/news/")
    assert sum("portal_column" in q["sql"] for q in queries) == 1
    monkeypatch.setattr(middleware, "COLUMN_ID_SECONDS", 0.0)
    with CaptureQueriesContext(connection) as queries:
        browser.get("/c/news/")
    assert sum("portal_column" in q["sql"] for q in queries) == 1
    visits.flush()
    assert counts(VisitKind.COLUMN, column.pk) == (4, 1)


def test_the_page_request_writes_nothing_while_the_buffer_is_not_full(visits, browser):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(visits.flush_items - 1):
            assert browser.get("/a/7/").status_code == 200

    assert len(visits) == visits.flush_items - 1
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_full_buffer_is_flushed_after_the_response_that_filled_it(visits, browser):
    for _ in range(visits.flush_items - 1):
        browser.get("/a/7/")
    assert not DailyVisits.objects.exists()

    browser.get("/a/7/")

    assert len(visits) == 0
    assert counts(VisitKind.ARTICLE, 7) == (visits.flush_items, 1)


def test_an_old_buffer_is_flushed_after_the_next_response(visits, browser, monkeypatch):
    browser.get("/a/7/")
    assert not DailyVisits.objects.exists()
    later = visits._oldest + visits.flush_seconds + 1
    monkeypatch.setattr("dangwu.analytics.buffer.time.monotonic", lambda: later)

    browser.get("/mine/")  # any request ends with the check, counted page or not

    assert counts(VisitKind.ARTICLE, 7) == (1, 1)


def test_unique_visitors_are_counted_per_day_by_cookie_and_by_account(
    visits, django_user_model, monkeypatch
):
    first, second, signed_in = (Client(HTTP_USER_AGENT=BROWSER) for _ in range(3))
    signed_in.force_login(django_user_model.objects.create_user(username="reader"))
    for visitor, views in ((first, 3), (second, 1), (signed_in, 2)):
        for _ in range(views):
            visitor.get("/a/7/")
    visits.flush()
    assert counts(VisitKind.ARTICLE, 7) == (6, 3)

    # The next day the same people are new visitors of that day (the key changes daily).
    tomorrow = timezone.now().timestamp() + 24 * 3600
    monkeypatch.setattr("dangwu.analytics.buffer.time.time", lambda: tomorrow)
    first.get("/a/7/")
    first.get("/a/7/")
    visits.flush()
    next_day = DailyVisits.objects.exclude(day=today()).get()
    assert (next_day.views, next_day.visitors) == (2, 1)
    assert counts(VisitKind.ARTICLE, 7) == (6, 3)


def test_a_new_visitor_gets_a_first_party_cookie_and_keeps_it(visits, browser, settings):
    response = browser.get("/a/7/")
    cookie = response.cookies[settings.VISITS_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    assert settings.VISITS_COOKIE_NAME not in browser.get("/a/7/").cookies


def test_a_visitor_asking_not_to_be_tracked_gets_no_cookie_and_is_counted_by_address(
    visits, client, settings
):
    headers = {"HTTP_USER_AGENT": BROWSER, "HTTP_SEC_GPC": "1", "REMOTE_ADDR": "10.9.8.7"}
    for _ in range(2):
        response = client.get("/a/7/", **headers)
        assert settings.VISITS_COOKIE_NAME not in response.cookies
    client.get("/a/7/", **{**headers, "REMOTE_ADDR": "10.9.8.6"})
    visits.flush()

    assert counts(VisitKind.ARTICLE, 7) == (3, 2)


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0); 360Spider",
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (compatible; Bytespider)",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0.0.0",
        "",
    ],
)
def test_crawlers_scripts_and_headless_browsers_are_not_counted(visits, client, agent):
    assert client.get("/a/7/", HTTP_USER_AGENT=agent).status_code == 200

    assert len(visits) == 0


@pytest.mark.parametrize(
    "header", [{"HTTP_PURPOSE": "prefetch"}, {"HTTP_SEC_PURPOSE": "prefetch;prerender"}]
)
def test_prefetches_are_not_counted(visits, browser, header):
    browser.get("/a/7/", **header)

    assert len(visits) == 0


def test_a_phone_whose_brand_contains_bot_is_counted(visits, client):
    client.get("/a/7/", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 9; CUBOT X19) Chrome/120.0")

    assert len(visits) == 1


def test_only_successful_gets_of_named_portal_pages_are_counted(visits, browser):
    assert browser.get("/gone/7/").status_code == 404
    assert browser.post("/a/7/").status_code == 200
    assert browser.head("/a/7/").status_code == 200
    assert browser.get("/mine/").status_code == 200
    assert browser.get("/other/").status_code == 200
    assert browser.get("/c/no-such-column/").status_code == 200

    assert len(visits) == 0


def test_nothing_is_counted_in_a_process_that_did_not_arm_counting(browser, settings):
    settings.ROOT_URLCONF = "dangwu.analytics.tests.urls"

    browser.get("/a/7/")

    from dangwu.analytics.buffer import armed

    assert armed() is None


def test_no_address_agent_cookie_or_account_id_is_stored(visits, client, django_user_model):
    agent = BROWSER + " Marker/31337"
    address = "172.30.77.201"
    anonymous = client.get("/a/7/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    cookie = anonymous.cookies["dangwu_visitor"].value
    client.get("/a/7/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address, HTTP_DNT="1")
    client.cookies.clear()
    client.get("/a/7/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address, HTTP_DNT="1")
    user = django_user_model.objects.create_user(username="reader")
    client.force_login(user)
    client.get("/a/7/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    visits.flush()

    stored = [
        str(value)
        for model in (DailyVisits, DailyVisitor)
        for row in model.objects.values_list()
        for value in row
    ]
    assert DailyVisitor.objects.count() == 3
    for secret in (address, "172.30", "Marker", cookie, f"u:{user.pk}"):
        assert not [value for value in stored if secret in value]
