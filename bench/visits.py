"""Visit counting: what 10,000 page views in a burst cost, and whether all of them are counted.

In process (``django.test.Client``, so the figure is the middleware's cost and nothing else):
a page named ``portal:article`` that renders an article-sized template (about 20 KB), requested
10,000 times in a burst with the platform's middleware list, and 10,000 times without
``VisitMiddleware``; the two alternate in rounds so that drift of the machine hits both alike.
Two kinds of burst: one reader (one cookie, one visitor) and 10,000 different readers (no
cookie kept: a new visitor, a new cookie and a new visitor row per view, the worst case).
Flushes happen as in production: after the response, every ``VISITS_FLUSH_ITEMS`` views; their
cost is inside the measured time. After the run the database must hold exactly the number of
views requested.

    python -m bench.visits [--views 10000] [--rounds 3] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from typing import Any

from bench.common import RESULTS_DIR, setup_django, write_json

ARTICLE_ID = 4242
AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
PAGE = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><header><nav>{% for c in columns %}
<a href="/c/{{ c }}/">{{ c }}</a>{% endfor %}</nav></header><main><article><h1>{{ title }}</h1>
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}</article></main></body></html>"""


def article(request: Any, pk: int) -> Any:
    """A page of the size and shape of an article page (one template, ~20 KB, no query)."""
    from django.http import HttpResponse
    from django.template import Context, Engine

    template = Engine.get_default().from_string(PAGE)
    context = Context(
        {
            "title": "关于开展主题党日活动的通知",
            "columns": ["news", "notices", "speeches", "documents"],
            "paragraphs": ["各机关党组织：为深入学习贯彻党的二十大精神，现将有关事项通知如下。" * 4]
            * 50,
        }
    )
    return HttpResponse(template.render(context))


def _urlpatterns() -> list[Any]:
    from django.urls import include, path

    return [path("", include(([path("a/<int:pk>/", article, name="article")], "portal")))]


def _burst(client: Any, views: int, *, new_visitor_each: bool) -> list[float]:
    """Request the page ``views`` times; return each request's seconds."""
    url = f"/a/{ARTICLE_ID}/"
    times = []
    clock = time.perf_counter
    for _ in range(views):
        if new_visitor_each:
            client.cookies.clear()
        start = clock()
        response = client.get(url)
        times.append(clock() - start)
        assert response.status_code == 200
    return times


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "mean_ms": statistics.fmean(times) * 1000,
        "median_ms": ordered[len(ordered) // 2] * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99)] * 1000,
        "total_s": sum(times),
    }


def run(*, views: int, rounds: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db.models import Sum
    from django.test import Client, override_settings

    from dangwu.analytics import buffer as buffer_module
    from dangwu.analytics.models import DailyVisitor, DailyVisits

    without = [m for m in settings.MIDDLEWARE if not m.endswith("VisitMiddleware")]
    counting = buffer_module.arm()
    results: dict[str, Any] = {"views": views, "rounds": rounds, "scenarios": {}}
    urlconf = type("BenchUrls", (), {"urlpatterns": _urlpatterns()})
    for name, new_each in (("one reader", False), ("a new reader per view", True)):
        DailyVisits.objects.all().delete()
        DailyVisitor.objects.all().delete()
        runs: dict[str, list[dict[str, float]]] = {"with": [], "without": []}
        order = [("without", without), ("with", settings.MIDDLEWARE)]
        for _ in range(rounds):
            order.reverse()  # neither goes first every time
            for label, middleware in order:
                with override_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=middleware):
                    client = Client(HTTP_USER_AGENT=AGENT)
                    # A returning reader's browser sends the cookie whether or not it is read.
                    client.cookies[settings.VISITS_COOKIE_NAME] = "returning-reader-000000"
                    client.get(f"/a/{ARTICLE_ID}/")  # warm-up, not part of the burst
                    counting.drain()
                    DailyVisits.objects.all().delete()
                    DailyVisitor.objects.all().delete()
                    cpu_start = time.process_time()
                    times = _burst(client, views, new_visitor_each=new_each)
                    cpu = time.process_time() - cpu_start
                    flush_start = time.perf_counter()
                    counting.flush()  # what is left over goes at exit; here, now
                    final_flush = time.perf_counter() - flush_start
                    counted = DailyVisits.objects.aggregate(n=Sum("views"))["n"] or 0
                    visitors = DailyVisits.objects.aggregate(n=Sum("visitors"))["n"] or 0
                    expected = views if label == "with" else 0
                    assert counted == expected, f"{label}: {counted} counted of {expected}"
                    runs[label].append(
                        {
                            **_stats(times),
                            "cpu_ms_per_view": cpu / views * 1000,
                            "counted": counted,
                            "visitors": visitors,
                            "final_flush_ms": final_flush * 1000,
                        }
                    )
        summary = {}
        for label, items in runs.items():
            summary[label] = {
                key: statistics.median(item[key] for item in items) for key in items[0]
            }
        base, counted = summary["without"]["mean_ms"], summary["with"]["mean_ms"]
        summary["overhead_pct"] = (counted - base) / base * 100
        summary["overhead_us_per_view"] = (counted - base) * 1000
        cpu_base, cpu_counted = (summary[k]["cpu_ms_per_view"] for k in ("without", "with"))
        summary["cpu_overhead_pct"] = (cpu_counted - cpu_base) / cpu_base * 100
        summary["cpu_overhead_us_per_view"] = (cpu_counted - cpu_base) * 1000
        summary["runs"] = runs
        results["scenarios"][name] = summary
        print(
            f"{name}: without {base:.3f} ms, with {counted:.3f} ms per view "
            f"({summary['overhead_pct']:+.2f} %, {summary['overhead_us_per_view']:+.1f} µs); "
            f"CPU {cpu_base:.3f} → {cpu_counted:.3f} ms ({summary['cpu_overhead_pct']:+.2f} %); "
            f"p99 {summary['without']['p99_ms']:.2f} → {summary['with']['p99_ms']:.2f} ms; "
            f"counted {summary['with']['counted']:.0f} of {views}, "
            f"{summary['with']['visitors']:.0f} visitors",
            flush=True,
        )
    return results


def isolated_cost(calls: int = 200_000) -> dict[str, float]:
    """Time the counting alone: the middleware on a real request, and folding its events.

    The end-to-end bursts above cannot resolve a few microseconds on a shared machine; this
    measures what counting adds per view without the page around it (best of 3).
    """
    import timeit

    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory, override_settings
    from django.urls import resolve

    from dangwu.analytics import buffer as buffer_module
    from dangwu.analytics.batch import aggregate
    from dangwu.analytics.buffer import VisitBuffer
    from dangwu.analytics.middleware import VisitMiddleware

    urlconf = type("BenchUrls", (), {"urlpatterns": _urlpatterns()})
    path = f"/a/{ARTICLE_ID}/"
    with override_settings(ROOT_URLCONF=urlconf):
        request = RequestFactory().get(path, HTTP_USER_AGENT=AGENT)
        request.COOKIES[settings.VISITS_COOKIE_NAME] = "returning-reader-000000"
        request.resolver_match = resolve(path)
    request.user = AnonymousUser()
    response = HttpResponse(b"x")
    held = VisitBuffer(
        site="internal",
        flush_items=10**9,
        flush_seconds=10**9,
        limit=10**9,
        spool_dir=RESULTS_DIR / "data-visits" / "spool",
    )
    saved, buffer_module._buffer = buffer_module._buffer, held
    try:
        middleware = VisitMiddleware(lambda _request: response)
        seconds = min(timeit.repeat(lambda: middleware(request), number=calls, repeat=3))
        events = held.drain()[:calls]
    finally:
        buffer_module._buffer = saved
    start = time.perf_counter()
    aggregate(events, site="internal")
    fold = time.perf_counter() - start
    result = {
        "middleware_us_per_view": seconds / calls * 1e6,
        "fold_us_per_view": fold / len(events) * 1e6,
    }
    print(
        f"isolated: middleware {result['middleware_us_per_view']:.2f} µs per view, "
        f"folding the batch {result['fold_us_per_view']:.2f} µs per view",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    data_dir = RESULTS_DIR / "data-visits"
    shutil.rmtree(data_dir, ignore_errors=True)
    setup_django(data_dir=data_dir, database_url=args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results = run(views=args.views, rounds=args.rounds)
    results["isolated"] = isolated_cost()
    write_json(RESULTS_DIR / "visits.json", results)


if __name__ == "__main__":
    main()
