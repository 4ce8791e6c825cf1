"""Measure pages and API calls on a generated data set, in process and over real HTTP.

In process: ``django.test.Client`` with ``force_login`` per persona; for every scenario the
median and p95 over N runs, the SQL query count (``CaptureQueriesContext``), the slowest query
and the response size, and the ratio of the median to the ``/healthz`` baseline measured in the
same run. Then the subtree-filter experiment (``path LIKE 'p%'`` against a range on ``path``)
with query plans, and, when ``wrk`` is installed, a short bounded loopback load on gunicorn.

    python -m bench.measure --backend sqlite --manifest bench/results/generate-sqlite.json
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, data_dir_for, read_json, setup_django, summarize, write_json

WRK = shutil.which("wrk") or "/usr/bin/wrk"


def scenarios(manifest: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (name, persona, URL) for every measured page; persona "" means anonymous."""
    sample, sizes = manifest["sample"], manifest["sizes"]
    secretary_pages = max(1, -(-sizes["members_under_big_committee"] // 30))
    deep = min(1000, secretary_pages)
    id_number = sample["id_number"]
    member = sample["member_pk"]
    return [
        ("healthz (baseline)", "", "/healthz"),
        ("home, signed in", "leader", "/"),
        ("tree /orgs/ leader (whole tree)", "leader", "/orgs/"),
        ("tree /orgs/ secretary (big committee)", "secretary", "/orgs/"),
        ("tree /orgs/ branch secretary", "branch_secretary", "/orgs/"),
        ("org detail root, leader", "leader", f"/orgs/{sample['root_pk']}/"),
        ("org detail committee, secretary", "secretary", f"/orgs/{sample['org_pk']}/"),
        ("org detail branch, secretary", "secretary", f"/orgs/{sample['branch_pk']}/"),
        ("members p1, leader", "leader", "/orgs/members/"),
        ("members p1000, leader", "leader", "/orgs/members/?page=1000"),
        ("members p1, secretary", "secretary", "/orgs/members/"),
        (f"members p{deep} (last), secretary", "secretary", f"/orgs/members/?page={deep}"),
        ("members p1, branch secretary", "branch_secretary", "/orgs/members/"),
        ("members name search, leader", "leader", "/orgs/members/?q=建国"),
        ("members name search, secretary", "secretary", "/orgs/members/?q=建国"),
        ("members ID search, leader", "leader", f"/orgs/members/?q={id_number}"),
        ("members ID search, secretary", "secretary", f"/orgs/members/?q={id_number}"),
        ("member detail, leader", "leader", f"/orgs/members/{member}/"),
        ("member detail, secretary", "secretary", f"/orgs/members/{member}/"),
        ("API organizations, leader", "leader", "/api/v1/organizations"),
        ("API organizations, secretary", "secretary", "/api/v1/organizations"),
        ("API members, leader", "leader", "/api/v1/members"),
        ("API members deep, leader", "leader", "/api/v1/members?offset=29970"),
        ("API members, secretary", "secretary", "/api/v1/members"),
        ("API member detail, leader", "leader", f"/api/v1/members/{member}"),
    ]


def _clients(manifest: dict[str, Any]) -> dict[str, Any]:
    from django.test import Client

    from dangwu.accounts.models import User

    clients = {"": Client()}
    for persona, (username, _pk, _code) in manifest["personas"].items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[persona] = client
    return clients


def measure_pages(
    manifest: dict[str, Any], *, runs: int, budget_s: float
) -> tuple[list[dict], dict]:
    """Time every scenario; return the rows and the session cookies by persona."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    clients = _clients(manifest)
    rows = []
    for name, persona, url in scenarios(manifest):
        client = clients[persona]
        first = client.get(url)  # warm-up (template loading, caches)
        if first.status_code == 404 and url.startswith("/api/"):
            print(f"  skip {name}: 404 (no such endpoint yet)", flush=True)
            continue
        timings: list[tuple[float, str]] = []

        def timer(execute, sql, params, many, context, timings=timings):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append((time.perf_counter() - t0, sql))

        # The request_started signal empties the query log; start from empty so that the
        # context's slice of the log is the whole request.
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        # captured_queries reads the log lazily, and the next request empties it: copy now.
        captured = list(ctx.captured_queries)
        # A second request times each query to the microsecond (the captured "time" strings
        # have only milliseconds).
        with connection.execute_wrapper(timer):
            client.get(url)
        queries = timings
        slowest = max(queries, default=(0.0, ""))
        samples: list[float] = []
        started = time.perf_counter()
        while len(samples) < runs and (
            len(samples) < 3 or time.perf_counter() - started < budget_s
        ):
            t0 = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - t0)
        row = {
            "name": name,
            "persona": persona or "anonymous",
            "url": url,
            "status": response.status_code,
            **summarize(samples),
            "queries": len(captured),
            "sql_ms": round(sum(t for t, _ in queries) * 1000, 1),
            "slowest_query_ms": round(slowest[0] * 1000, 1),
            "slowest_query": slowest[1][:600],
            "bytes": len(response.content),
        }
        rows.append(row)
        print(
            f"  {name:<42} {row['status']} {row['median_ms']:>9.1f} ms  p95 {row['p95_ms']:>9.1f}"
            f"  q={row['queries']:<3} {row['bytes']:>9} B",
            flush=True,
        )
    baseline = rows[0]["median_ms"]
    for row in rows:
        row["x_baseline"] = round(row["median_ms"] / baseline, 1)
    cookies = {p: c.cookies["sessionid"].value for p, c in clients.items() if p}
    return rows, cookies


# ---------------------------------------------------------------- the subtree-filter experiment


def _subtree_range(path: str) -> tuple[str, str]:
    """Return [low, high) such that low <= x < high exactly when x starts with ``path``.

    Paths end with "/" and codes use [A-Za-z0-9_-]; "0" is the character right after "/",
    so the range is exact under binary (SQLite BINARY, PostgreSQL "C") comparison.
    """
    return path, path[:-1] + chr(ord(path[-1]) + 1)


def _median_ms(fn, repeat: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return round(times[len(times) // 2] * 1000, 2)


def _plan(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " | ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN {sql}", params)
        return " | ".join(row[0].strip() for row in cursor.fetchall())


def prefix_experiment(manifest: dict[str, Any]) -> list[dict]:
    """Time the member scope filter as built today against a range on ``path`` and an ``IN``."""
    from django.db.models import Q

    from dangwu.accounts.models import User
    from dangwu.orgs.models import Member, Organization

    # Each subtree with the persona who holds it: the real scope filter ORs in that person's
    # own member record (``also_q``), which changes the plan.
    holders = {
        "GW": "leader",
        "P01": "secretary",
        manifest["personas"]["branch_secretary"][2]: "branch_secretary",
    }
    rows = []
    for code, persona in holders.items():
        path = Organization.objects.get(code=code).path
        user_id = User.objects.get(username=manifest["personas"][persona][0]).pk
        own = Q(user_id=user_id)
        low, high = _subtree_range(path)
        in_range = Q(
            organization_id__in=Organization.objects.filter(path__gte=low, path__lt=high).values(
                "id"
            )
        )
        variants = {
            # Before the fix, scope_q always added the OR for one's own record; now it is left out
            # when a grant covers that record, as for every persona here.
            "startswith OR own (before)": Q(organization__path__startswith=path) | own,
            "startswith (current)": Q(organization__path__startswith=path),
            "range": Q(organization__path__gte=low, organization__path__lt=high),
            "range OR own": Q(organization__path__gte=low, organization__path__lt=high) | own,
            "organization_id IN (range) OR own": in_range | own,
        }
        org_variants = {
            "startswith (current)": Q(path__startswith=path),
            "range": Q(path__gte=low, path__lt=high),
        }
        for variant, q in variants.items():
            members = Member.objects.filter(q).defer("id_number", "phone")
            ordered = members.select_related("organization").order_by(
                "organization__path", "name", "id"
            )
            count = members.count()
            deep = max(0, min(29970, count - 30))
            rows.append(
                {
                    "subtree": code,
                    "what": "members",
                    "variant": variant,
                    "rows": count,
                    "count_ms": _median_ms(members.count),
                    "page1_ms": _median_ms(lambda o=ordered: list(o[:30])),
                    "deep_offset": deep,
                    "deep_page_ms": _median_ms(lambda o=ordered, d=deep: list(o[d : d + 30])),
                    "plan_count": _plan(members.values("id")),
                    "plan_page": _plan(ordered[:30]),
                }
            )
        for variant, q in org_variants.items():
            orgs = Organization.objects.filter(q)
            rows.append(
                {
                    "subtree": code,
                    "what": "organizations",
                    "variant": variant,
                    "rows": orgs.count(),
                    "count_ms": _median_ms(orgs.count),
                    "page1_ms": _median_ms(lambda o=orgs: list(o.order_by("path")[:30])),
                    "plan_count": _plan(orgs.values("id")),
                }
            )
    for row in rows:
        print(
            f"  {row['subtree']:<12} {row['what']:<13} {row['variant']:<34} n={row['rows']:<7}"
            f" count {row['count_ms']:>8} ms  page1 {row['page1_ms']:>8} ms"
            f"  deep {row.get('deep_page_ms', '-')}",
            flush=True,
        )
    return rows


# ---------------------------------------------------------------- real HTTP


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _parse_wrk(text: str) -> dict[str, Any]:
    def number(pattern: str) -> float | None:
        match = re.search(pattern, text)
        return float(match.group(1)) if match else None

    def ms(label: str) -> float | None:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    return {
        "requests_per_s": number(r"Requests/sec:\s+([\d.]+)"),
        "p50_ms": ms("50"),
        "p90_ms": ms("90"),
        "p99_ms": ms("99"),
        "requests": number(r"(\d+) requests in"),
        "non_2xx": number(r"Non-2xx or 3xx responses:\s+(\d+)") or 0,
        "socket_errors": "Socket errors" in text,
    }


def http_load(
    manifest: dict[str, Any], cookies: dict[str, str], *, duration: int, workers: int
) -> list[dict]:
    """Serve with gunicorn on 127.0.0.1 and drive it with wrk for ``duration`` seconds each."""
    if not Path(WRK).exists():
        print("  wrk is not installed; skipping the HTTP load", flush=True)
        return []
    duration = min(duration, 10)
    port = _free_port()
    env = dict(os.environ)
    gunicorn = [
        str(Path(sys.executable).with_name("gunicorn")),
        "dangwu.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(gunicorn, env=env, cwd=BENCH_DIR.parent)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.2)
        targets = [
            ("healthz (baseline)", "", "/healthz"),
            ("members p1, leader", "leader", "/orgs/members/"),
            ("members p1, secretary", "secretary", "/orgs/members/"),
            ("tree /orgs/ secretary", "secretary", "/orgs/"),
            (
                "member detail, secretary",
                "secretary",
                f"/orgs/members/{manifest['sample']['member_pk']}/",
            ),
        ]
        for name, persona, url in targets:
            command = [WRK, "-t2", "-c4", f"-d{duration}s", "--latency", "--timeout", "10s"]
            if persona:
                command += ["-H", f"Cookie: sessionid={cookies[persona]}"]
            done = subprocess.run(  # noqa: S603
                [*command, base + url], capture_output=True, text=True, timeout=duration + 30
            )
            row = {"name": name, "url": url, **_parse_wrk(done.stdout)}
            results.append(row)
            print(
                f"  {name:<30} {row['requests_per_s']} req/s  p50 {row['p50_ms']} ms"
                f"  p99 {row['p99_ms']} ms  non-2xx {row['non_2xx']}",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    base_rps = results[0]["requests_per_s"] if results else None
    for row in results:
        if base_rps and row["requests_per_s"]:
            row["x_baseline_throughput"] = round(base_rps / row["requests_per_s"], 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--manifest", type=Path, required=True, help="bench.generate's JSON")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=8.0, help="seconds per scenario at most")
    parser.add_argument("--http-seconds", type=int, default=5, help="wrk duration (≤ 10)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    setup_django(data_dir=data_dir_for(args.backend), database_url=args.database_url)
    manifest = read_json(args.manifest)
    # Missing API endpoints are expected (skipped); do not log each 404.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    print("pages (django.test.Client):", flush=True)
    pages, cookies = measure_pages(manifest, runs=args.runs, budget_s=args.budget)
    print("subtree filter experiment:", flush=True)
    prefix = prefix_experiment(manifest)
    http = []
    if not args.no_http:
        print("HTTP (gunicorn + wrk, loopback):", flush=True)
        http = http_load(manifest, cookies, duration=args.http_seconds, workers=args.workers)
    write_json(args.out, {"pages": pages, "prefix": prefix, "http": http})
    return 0


if __name__ == "__main__":
    sys.exit(main())
