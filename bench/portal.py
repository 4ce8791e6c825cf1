"""Portal pages over real HTTP: home and article page against a static page of the same size.

For each backend (SQLite; PostgreSQL when reachable) a fresh data set is built through the
real services in ``bench/results/data-portal-<backend>/``: the demo (organizations, accounts,
the portal's columns) plus N published articles with Chinese bodies of 1–3 KB, some pinned,
written, submitted and published by the demo editor. Static files are collected into the data
directory (the production manifest storage) and two gunicorn servers (2 sync workers each,
``DANGWU_DEBUG`` off, ``bench.portal_site`` settings) listen on 127.0.0.1: one with visit
counting, one without. ``wrk -t2 -c16`` then drives, in turn and for R rounds:

- the baseline: ``/bench/static/home/`` and ``/bench/static/article/``, a minimal Django view
  returning a stored copy of the real page (same bytes, same middleware, no query, no template);
- ``/portal/`` and ``/portal/a/<id>/`` as a visitor (browser user agent, a returning reader's
  visitor cookie), on both servers; the article page without a cookie (a new visitor per
  request, the worst case for counting); both pages as the signed-in demo member (session
  cookie: never from the page cache, the session saved on every request for the idle timeout).

At the end the servers are stopped (SIGTERM: workers flush their visit buffers at exit),
``dangwu visits_flush`` stores anything spooled, and the page views in the database must equal
the counted requests in the access log.

    python -m bench.portal [--backends sqlite,postgres] [--articles 2000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import BENCH_DIR, RESULTS_DIR, read_json, write_json

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dangwu_bench_portal"
AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
VISITOR_COOKIE = "dangwu_visitor=benchReturningReader01"  # 22 characters: a valid cookie
PUBLIC = ("yaowen", "dongtai", "luntan", "liangxing")
INTERNAL = ("jianghua", "tongzhi", "wenjian", "jijian")

# Sentences in the register of the committee's notices, reports and contributions.
SENTENCES = [
    "近日，市直机关工委召开理论学习中心组学习会，围绕推动机关党建高质量发展进行专题学习研讨。",
    "会议指出，机关党建工作要坚持以党的政治建设为统领，把学习贯彻党的创新理论作为首要政治任务。",
    "各机关党组织要落实“三会一课”、主题党日、组织生活会等基本制度，推动党建和业务同谋划、同部署。",
    "为提升基层党务干部的业务能力，工委举办党务干部培训班，各直属党组织书记、党务干事参加培训。",
    "培训围绕党员发展、党费收缴、组织生活、电子党务平台操作等内容进行专题辅导，并安排了上机实操。",
    "参训同志表示，培训内容贴近实际、针对性强，回去后将把所学运用到日常工作中。",
    "党支部是党的基础组织，是党的全部工作和战斗力的基础，推进支部标准化规范化建设是重要抓手。",
    "一要建强支部班子，选优配强支部书记；二要规范组织生活，做到有计划、有记录、有检查。",
    "三要严格党员教育管理，发挥党员先锋模范作用；四要完善工作台账，做到资料齐全、一目了然。",
    "今年以来，市直机关广泛开展节约型机关创建活动，倡导党员干部从节约一度电、一张纸、一滴水做起。",
    "各单位推行无纸化办公，会议材料电子化率明显提高，公共区域照明实行分时控制，办公用电同比下降。",
    "过去一年，各级党组织认真履行管党治党责任，基层组织建设持续加强，作风建设取得新成效。",
    "同时也要看到，一些党组织存在工作不平衡、创新不够、党建和业务结合不紧等问题，需要认真加以解决。",
    "活动中，党员们重温入党誓词，集中学习党章党规，并结合岗位实际交流学习体会。",
    "大家表示，要把学习成果转化为做好本职工作的强大动力，在服务群众中践行初心使命。",
    "为进一步筑牢党员干部拒腐防变的思想防线，纪工委在市直机关开展廉政警示教育月活动。",
    "活动期间，各单位组织党员干部观看警示教育片、参观廉政教育基地、开展廉政谈话。",
    "请各党组织对照党费收缴标准，认真核对每名党员的交纳基数和交纳金额，于月底前报工委组织部。",
    "“七一”前夕，各党组织认真摸排生活困难党员、老党员情况，组织开展走访慰问活动。",
    "要坚持围绕中心抓党建，把党建工作融入业务工作全过程，着力解决党建和业务“两张皮”问题。",
    "要坚持从严要求，把严的基调、严的措施、严的氛围贯穿机关党建全过程、各方面。",
    "年底前实现电子党务平台在直属党组织全覆盖，党员信息、组织关系、党费收缴全部网上办理。",
    "支部书记带头讲党课，结合单位实际，讲理论、讲政策、讲身边的先进典型，党员反响热烈。",
    "此次调研采取实地走访、座谈交流、查阅资料等方式，全面了解基层党组织建设情况。",
    "针对调研中发现的问题，工委逐一梳理形成问题清单，明确整改责任和完成时限。",
    "机关各党支部结合“我为群众办实事”实践活动，深入社区开展志愿服务，帮助群众解决急难愁盼问题。",
    "会议强调，要以钉钉子精神抓好各项任务落实，确保全年目标任务圆满完成。",
    "下一步，我们将继续加强学习交流，总结推广好经验好做法，不断提升机关党建工作水平。",
]
TOPICS = [
    "深入学习贯彻党的创新理论",
    "开展主题党日活动",
    "召开专题组织生活会",
    "举办党务干部培训班",
    "推进节约型机关建设",
    "开展廉政警示教育",
    "深化模范机关创建",
    "加强党支部标准化规范化建设",
    "做好党费收缴工作",
    "开展“我为群众办实事”实践活动",
    "推广应用电子党务平台",
    "开展走访慰问困难党员活动",
]


def _source_root() -> str:
    import dangwu

    return str(Path(dangwu.__file__).resolve().parents[1])


def _free_port() -> int:
    from bench.measure import _free_port as free_port

    return free_port()


# ------------------------------------------------------------------ one backend (own process)


def _body(rng: random.Random) -> str:
    """Return 350–1000 characters of Chinese (about 1–3 KB in UTF-8) in paragraphs."""
    target = rng.randint(350, 1000)
    paragraphs, length = [], 0
    while length < target:
        paragraph = "".join(rng.sample(SENTENCES, rng.randint(2, 4)))
        paragraphs.append(f"<p>{paragraph}</p>")
        length += len(paragraph)
    return "".join(paragraphs)


def build(*, articles: int, seed: int) -> dict[str, Any]:
    """Build the demo and ``articles`` published articles through the services."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from dangwu.accounts.models import User
    from dangwu.core.demo import build_demo
    from dangwu.orgs.models import Organization
    from dangwu.portal.enums import SourceKind
    from dangwu.portal.models import Article, Column
    from dangwu.portal.services import article_create, article_publish, article_submit

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    build_demo()
    demo_s = time.perf_counter() - started
    rng = random.Random(seed)  # synthetic, reproducible data
    editor = User.objects.get(username="demo-editor")
    columns = {c.slug: c for c in Column.objects.filter(slug__in=PUBLIC + INTERNAL)}
    orgs = list(Organization.objects.filter(depth__lte=2).order_by("path"))
    now = timezone.now()
    started = time.perf_counter()

    def publish_one(i: int) -> None:
        slug = rng.choice(PUBLIC) if rng.random() < 0.6 else rng.choice(INTERNAL)
        org = rng.choice(orgs)
        name = org.short_name or org.name
        grassroots = slug in ("dongtai", "luntan") and rng.random() < 0.7
        article = article_create(
            actor=editor,
            organization=org,
            column=columns[slug],
            title=f"{name}{rng.choice(TOPICS)}（{i + 1}）",
            source_kind=SourceKind.GRASSROOTS if grassroots else SourceKind.COMMITTEE,
            source_name=org.name if grassroots else "市直机关工委",
            author=rng.choice(["工委办公室", "组织部", "宣传部", "机关党委办公室", ""]),
            # The newest few are pinned notices, some public and some internal.
            pinned=i >= articles - 40 and i % 8 == 0,
            body=_body(rng),
        )
        article_submit(actor=editor, article=article)
        article_publish(
            actor=editor, article=article, publish_at=now - timedelta(hours=6 * (articles - i))
        )

    # Oldest first, so ids grow with the publish time as on a real site; one commit per 100
    # articles (the services' own transactions nest) spares most of SQLite's syncs.
    for first in range(0, articles, 100):
        with transaction.atomic():
            for i in range(first, min(first + 100, articles)):
                publish_one(i)
    articles_s = time.perf_counter() - started
    published = Article.objects.filter(status="published")
    return {
        "demo_build_s": round(demo_s, 1),
        "articles_s": round(articles_s, 1),
        "articles_per_s": round(articles / articles_s, 1),
        "published": published.count(),
        "public": published.filter(column__slug__in=PUBLIC).count(),
        "pinned": published.filter(pinned=True).count(),
        "mean_body_bytes": round(
            statistics.fmean(len(b.encode()) for b in published.values_list("body", flat=True))
        ),
        # A public article in the middle of the range: previous / next both exist.
        "article_id": published.filter(column__slug="yaowen")
        .order_by("publish_at")
        .values_list("pk", flat=True)[published.filter(column__slug="yaowen").count() // 2],
    }


def _member_client():
    from django.test import Client

    from dangwu.accounts.models import User

    client = Client(HTTP_USER_AGENT=AGENT)
    client.force_login(User.objects.get(username="demo-member"))
    return client


def in_process(*, article_id: int, runs: int = 50) -> list[dict[str, Any]]:
    """Time both pages in process (``django.test.Client``): where the time goes, no HTTP.

    As a visitor from the page cache, as a visitor with the cache emptied before each request
    (what rendering costs), and as a signed-in member (never cached).
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    readers = {
        "visitor, cached": (Client(HTTP_USER_AGENT=AGENT), False),
        "visitor, rendered": (Client(HTTP_USER_AGENT=AGENT), True),
        "member": (_member_client(), False),
    }
    rows = []
    for reader, (client, uncached) in readers.items():
        for name, url in (("home", "/portal/"), ("article", f"/portal/a/{article_id}/")):
            client.get(url)  # warm-up: templates compiled, connection open, page cached
            totals, sql = [], []
            for _ in range(runs):
                timings: list[float] = []

                def timer(execute, query, params, many, context, timings=timings):
                    start = time.perf_counter()
                    try:
                        return execute(query, params, many, context)
                    finally:
                        timings.append(time.perf_counter() - start)

                if uncached:
                    cache.clear()
                with (
                    CaptureQueriesContext(connection) as captured,
                    connection.execute_wrapper(timer),
                ):
                    start = time.perf_counter()
                    response = client.get(url)
                    totals.append(time.perf_counter() - start)
                sql.append(sum(timings))
                assert response.status_code == 200
            rows.append(
                {
                    "reader": reader,
                    "page": name,
                    "median_ms": round(statistics.median(totals) * 1000, 2),
                    "sql_ms": round(statistics.median(sql) * 1000, 2),
                    "queries": len(captured),
                    "bytes": len(response.content),
                }
            )
            print(f"  in process: {rows[-1]}", flush=True)
    return rows


def _serve(env: dict[str, str], *, port: int, visits: bool, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "dangwu.wsgi:application",
        *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"),
        # The access log is the exact count of served views to check the database against;
        # both servers write it, so it costs them (and the baseline) the same.
        *("--access-logfile", str(log), "--access-logformat", '%(s)s %(m)s %(U)s "%(a)s"'),
    ]
    server_env = env | {"BENCH_VISITS": "1" if visits else "0"}
    return subprocess.Popen(command, env=server_env, cwd=BENCH_DIR.parent)  # noqa: S603


def _get(url: str) -> bytes:
    # urllib's own agent ("Python-urllib") is a bot to the counter: warm-ups are not counted.
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (loopback)
        return response.read()


def _wait_ready(base: str) -> None:
    for _ in range(150):
        try:
            _get(f"{base}/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn at {base} did not start")


def _wrk(url: str, *, seconds: int, connections: int, cookie: str) -> dict[str, Any]:
    from bench.measure import WRK, _parse_wrk

    command = [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-H", f"User-Agent: {AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    return _parse_wrk(done.stdout)


def _counted_in_log(log: Path, paths: set[str]) -> int:
    served = 0
    for line in log.read_text().splitlines():
        status, method, path, agent = line.split(" ", 3)
        served += status == "200" and method == "GET" and path in paths and agent == f'"{AGENT}"'
    return served


def measure(
    *, data_dir: Path, database_url: str, article_id: int, seconds: int, rounds: int, conns: int
) -> dict[str, Any]:
    """Serve, load with wrk, stop, flush; return the figures and the visit check."""
    from django.db import connections
    from django.db.models import Sum

    from dangwu.analytics.models import DailyVisitor, DailyVisits

    connections.close_all()
    env = {k: v for k, v in os.environ.items() if k != "DANGWU_STATIC_STORAGE"}
    env |= {
        "DANGWU_DATA_DIR": str(data_dir),
        "DANGWU_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.portal_site",
        # The servers and commands run the very code this process imported (a checkout of its
        # own, not whatever the virtualenv's editable install points at).
        "PYTHONPATH": os.pathsep.join([_source_root(), str(BENCH_DIR.parent)]),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    dangwu = str(Path(sys.executable).with_name("dangwu"))
    subprocess.run(  # noqa: S603
        [dangwu, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=BENCH_DIR.parent
    )
    DailyVisits.objects.all().delete()
    DailyVisitor.objects.all().delete()
    home, article = "/portal/", f"/portal/a/{article_id}/"
    logs = {True: data_dir / "access-visits-on.log", False: data_dir / "access-visits-off.log"}
    for log in logs.values():
        log.unlink(missing_ok=True)
    ports = {True: _free_port(), False: _free_port()}
    servers = {v: _serve(env, port=ports[v], visits=v, log=logs[v]) for v in (True, False)}
    bases = {v: f"http://127.0.0.1:{p}" for v, p in ports.items()}
    runs: dict[str, list[dict[str, Any]]] = {}
    sizes = {}
    try:
        for base in bases.values():
            _wait_ready(base)
        (data_dir / "baseline").mkdir(exist_ok=True)
        for name, url in (("home", home), ("article", article)):
            page = _get(bases[True] + url)
            sizes[name] = len(page)
            (data_dir / "baseline" / f"{name}.html").write_bytes(page)
        # Warm both workers of both servers: imports, templates, connections.
        for base in bases.values():
            for url in (home, article, "/bench/static/home/", "/bench/static/article/"):
                for _ in range(20):
                    _get(base + url)
        member = f"{VISITOR_COOKIE}; sessionid={_member_client().cookies['sessionid'].value}"
        targets = [
            ("baseline, home-sized", True, "/bench/static/home/", VISITOR_COOKIE),
            ("home /portal/", True, home, VISITOR_COOKIE),
            ("home /portal/, visits off", False, home, VISITOR_COOKIE),
            ("home, signed-in member", True, home, member),
            ("baseline, article-sized", True, "/bench/static/article/", VISITOR_COOKIE),
            ("article /portal/a/<id>/", True, article, VISITOR_COOKIE),
            ("article, visits off", False, article, VISITOR_COOKIE),
            ("article, a new visitor per request", True, article, ""),
            ("article, signed-in member", True, article, member),
        ]
        counted_targets = [n for n, visits, url, _c in targets if visits and "baseline" not in n]
        for round_no in range(rounds):
            # Alternate the order so that drift of the machine hits every target alike.
            for name, visits, url, cookie in targets if round_no % 2 == 0 else targets[::-1]:
                row = _wrk(bases[visits] + url, seconds=seconds, connections=conns, cookie=cookie)
                runs.setdefault(name, []).append(row)
                print(
                    f"  {name:<36} {row['requests_per_s']:>8} req/s  p50 {row['p50_ms']} ms"
                    f"  p99 {row['p99_ms']} ms  non-2xx {row['non_2xx']}",
                    flush=True,
                )
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
        for server in servers.values():
            server.wait(timeout=60)
    # Anything a worker could not store went to the spool; store it as an operator would.
    subprocess.run([dangwu, "visits_flush"], env=env, check=True, cwd=BENCH_DIR.parent)  # noqa: S603
    served = _counted_in_log(logs[True], {home, article})
    stored = DailyVisits.objects.filter(kind__in=["home", "article"]).aggregate(
        views=Sum("views"), visitors=Sum("visitors")
    )
    not_counted = _counted_in_log(logs[False], {home, article})
    wrk_total = sum(r["requests"] for n in counted_targets for r in runs[n])
    rows = []
    for name, items in runs.items():
        rows.append(
            {
                "name": name,
                "requests_per_s": round(statistics.median(r["requests_per_s"] for r in items), 1),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in items), 2),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in items), 2),
                "non_2xx": sum(r["non_2xx"] for r in items),
                "socket_errors": any(r["socket_errors"] for r in items),
                "runs": items,
            }
        )
    by_name = {r["name"]: r for r in rows}
    for row in rows:
        base = by_name[
            "baseline, home-sized" if "home" in row["name"] else "baseline, article-sized"
        ]
        row["x_baseline_throughput"] = round(row["requests_per_s"] / base["requests_per_s"], 3)
    return {
        "rows": rows,
        "page_bytes": sizes,
        "visits": {
            "served_with_counting": served,
            "stored_views": stored["views"] or 0,
            "stored_visitors": stored["visitors"] or 0,
            "served_without_counting": not_counted,
            "wrk_completed_with_counting": wrk_total,
        },
    }


def one_backend(args: argparse.Namespace) -> int:
    from bench.common import setup_django
    from bench.measure import WRK

    if not Path(WRK).exists():
        print("  wrk is needed (Debian: apt install wrk)", flush=True)
        return 2
    data_dir = RESULTS_DIR / f"data-portal-{args.backend}"
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"dangwu.sqlite3{suffix}").unlink(missing_ok=True)
    setup_django(data_dir=data_dir, database_url=args.database_url)
    manifest = data_dir / "portal-data.json"
    if args.reuse and manifest.exists():
        data = read_json(manifest)
    else:
        print(f"  building {args.articles} articles through the services ...", flush=True)
        data = build(articles=args.articles, seed=2026)
        write_json(manifest, data)
    print(f"  data: {data}", flush=True)
    pages = in_process(article_id=data["article_id"])
    result = measure(
        data_dir=data_dir,
        database_url=args.database_url,
        article_id=data["article_id"],
        seconds=min(args.seconds, 10),
        rounds=args.rounds,
        conns=args.connections,
    )
    visits = result["visits"]
    print(f"  visits: {visits}", flush=True)
    write_json(args.out, {"backend": args.backend, "data": data, "in_process": pages, **result})
    if visits["stored_views"] != visits["served_with_counting"]:
        print("  VISITS LOST OR DOUBLE-COUNTED", flush=True)
        return 1
    return 0


# ------------------------------------------------------------------------------ orchestration


def summary(results: dict[str, Any]) -> str:
    """Render the Markdown tables that BENCHMARKS.md quotes."""
    out = []
    for backend, r in results["backends"].items():
        d, v = r["data"], r["visits"]
        out += [
            f"## {backend}",
            "",
            f"Data: {d['published']} published articles ({d['public']} public, {d['pinned']} "
            f"pinned, mean body {d['mean_body_bytes']} bytes), built in {d['articles_s']} s "
            f"({d['articles_per_s']} articles/s); pages: home {r['page_bytes']['home']} bytes, "
            f"article {r['page_bytes']['article']} bytes.",
            "",
            "In process: "
            + "; ".join(
                f"{p['reader']} {p['page']} {p['median_ms']} ms (SQL {p['sql_ms']} ms, "
                f"{p['queries']} queries)"
                for p in r["in_process"]
            )
            + ".",
            "",
            "| URL | req/s | × baseline | p50 ms | p99 ms | non-2xx |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        out += [
            f"| {x['name']} | {x['requests_per_s']} | {x['x_baseline_throughput']} | "
            f"{x['p50_ms']} | {x['p99_ms']} | {x['non_2xx']} |"
            for x in r["rows"]
        ]
        out += [
            "",
            f"Visits: {v['served_with_counting']} views served with counting, "
            f"{v['stored_views']} in the database ({v['stored_visitors']} visitors); "
            f"{v['served_without_counting']} served without counting.",
            "",
        ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_PORTAL_PG", DEFAULT_PG))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per run (≤ 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="SQLite: keep last run's data set")
    parser.add_argument("--backend", help=argparse.SUPPRESS)  # internal: one backend
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.backend:
        return one_backend(args)

    from bench.run import _pg_admin, _pg_recreate

    started = time.perf_counter()
    results: dict[str, Any] = {"args": vars(args), "backends": {}}
    status = 0
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        url, admin = "", None
        name = urlsplit(args.postgres_url).path.lstrip("/")
        if backend == "postgres":
            admin = _pg_admin(args.postgres_url)
            if admin is None:
                continue
            _pg_recreate(admin, name)
            url = args.postgres_url
        print(f"\n=== portal pages, {backend} ===", flush=True)
        out = RESULTS_DIR / f"portal-{backend}.json"
        command = [sys.executable, "-m", "bench.portal", "--backend", backend]
        command += ["--database-url", url, "--out", str(out), "--articles", str(args.articles)]
        command += ["--seconds", str(args.seconds), "--rounds", str(args.rounds)]
        command += ["--connections", str(args.connections)]
        if args.reuse and backend == "sqlite":
            command.append("--reuse")
        try:
            source = os.pathsep.join([_source_root(), str(BENCH_DIR.parent)])
            done = subprocess.run(  # noqa: S603
                command, cwd=BENCH_DIR.parent, env=os.environ | {"PYTHONPATH": source}
            )
            status = status or done.returncode
        finally:
            if admin is not None:
                _pg_recreate(admin, name, create=False)
                admin.close()
        if out.exists():
            results["backends"][backend] = read_json(out)
    results["total_s"] = round(time.perf_counter() - started, 1)
    write_json(RESULTS_DIR / "portal.json", results)
    (RESULTS_DIR / "portal-summary.md").write_text(summary(results) + "\n")
    print(summary(results))
    print(f"Done in {results['total_s']} s; see {RESULTS_DIR / 'portal-summary.md'}", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
