"""Run every benchmark (``make bench``): generate, measure, demo build; SQLite, then PostgreSQL.

Each step runs in its own process because the database is chosen before ``django.setup()``.
Results go to ``bench/results/`` (git-ignored): one JSON per step, ``results.json`` with
everything and ``summary.md`` with the tables that BENCHMARKS.md reports.

    python -m bench.run                       # 5,000 organizations, 100,000 members
    python -m bench.run --quick               # 500 / 10,000, for trying changes
    python -m bench.run --backends sqlite --no-http --runs 10
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.common import BENCH_DIR, RESULTS_DIR, read_json, write_json

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dangwu_bench"


def _step(module: str, *args: str) -> None:
    command = [sys.executable, "-m", f"bench.{module}", *args]
    print(f"$ {' '.join(command[1:])}", flush=True)
    subprocess.run(command, check=True, cwd=BENCH_DIR.parent)  # noqa: S603


def _pg_admin(url: str):
    """Return an autocommit connection to the server's maintenance database, or None."""
    import psycopg

    parts = urlsplit(url)
    try:
        return psycopg.connect(
            urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3
        )
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipping it.", flush=True)
        return None


def _pg_recreate(admin, name: str, *, create: bool = True) -> None:
    from psycopg import sql

    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    if create:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def machine(pg_version: str | None) -> dict[str, Any]:
    meminfo = (
        Path("/proc/meminfo").read_text().split("\n")[0] if Path("/proc/meminfo").exists() else ""
    )
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import django

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": " ".join(meminfo.split()[1:]),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
        "platform": platform.platform(),
    }


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def summary(results: dict[str, Any]) -> str:
    """Render the results as the Markdown tables BENCHMARKS.md quotes."""
    out = [f"Machine: `{results['machine']}`", f"Arguments: `{results['args']}`", ""]
    for backend, r in results["backends"].items():
        g = r["generate"]
        t, s = g["timings"], g["sizes"]
        out += [
            f"## {backend}",
            "",
            f"Data: {s['organizations']} organizations (by depth {s['orgs_by_depth']}), "
            f"{s['members']} members; big committee: {s['orgs_under_big_committee']} "
            f"organizations, {s['members_under_big_committee']} members; "
            f"branch secretary's branch: {s['members_under_branch']} members.",
            "",
            _table(
                ["import", "seconds", "rows/s"],
                [
                    ["organizations (one file)", t["org_import_s"], t["org_rows_per_s"]],
                    [
                        f"members ({len(t['member_chunks'])} files)",
                        t["member_import_s"],
                        t["member_rows_per_s"],
                    ],
                    [
                        "members, re-import of one unchanged file",
                        t["member_reimport_unchanged_s"],
                        round(t["member_reimport_unchanged"] / t["member_reimport_unchanged_s"], 1),
                    ],
                    ["demo build on an empty database", r["demo"]["demo_build_s"], ""],
                ],
            ),
            "",
            _table(
                ["page", "median ms", "p95 ms", "× healthz", "queries", "SQL ms", "KB"],
                [
                    [
                        p["name"],
                        p["median_ms"],
                        p["p95_ms"],
                        p["x_baseline"],
                        p["queries"],
                        p["sql_ms"],
                        round(p["bytes"] / 1024, 1),
                    ]
                    for p in r["measure"]["pages"]
                ],
            ),
            "",
            _table(
                ["subtree", "rows of", "filter", "rows", "COUNT ms", "page 1 ms", "deep page ms"],
                [
                    [
                        p["subtree"],
                        p["what"],
                        p["variant"],
                        p["rows"],
                        p["count_ms"],
                        p["page1_ms"],
                        p.get("deep_page_ms", ""),
                    ]
                    for p in r["measure"]["prefix"]
                ],
            ),
            "",
        ]
        plans = {
            (p["subtree"], p["what"], p["variant"]): p["plan_count"]
            for p in r["measure"]["prefix"]
            if p["subtree"] == "P01"
        }
        out += ["Query plans (COUNT, big committee):", ""]
        out += [f"- {what}, {variant}: `{plan}`" for (_s, what, variant), plan in plans.items()]
        out.append("")
        if r["measure"]["http"]:
            out += [
                _table(
                    [
                        "HTTP (gunicorn, wrk -t2 -c4)",
                        "req/s",
                        "p50 ms",
                        "p90 ms",
                        "p99 ms",
                        "non-2xx",
                    ],
                    [
                        [
                            h["name"],
                            h["requests_per_s"],
                            h["p50_ms"],
                            h["p90_ms"],
                            h["p99_ms"],
                            h["non_2xx"],
                        ]
                        for h in r["measure"]["http"]
                    ],
                ),
                "",
            ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--committees", type=int, default=50)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="500 organizations, 10,000 members")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=6.0, help="seconds per scenario at most")
    parser.add_argument("--http-seconds", type=int, default=5)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="SQLite: measure the data set generated last time"
    )
    parser.add_argument("--keep-postgres", action="store_true", help="do not drop the databases")
    args = parser.parse_args(argv)
    if args.quick:
        args.orgs, args.members, args.committees, args.chunk = 500, 10_000, 10, 5_000
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {"args": vars(args) | {"postgres_url": None}, "backends": {}}
    pg_version = None
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        url, demo_url, admin = "", "", None
        if backend == "postgres":
            admin = _pg_admin(args.postgres_url)
            if admin is None:
                continue
            pg_version = admin.execute("SHOW server_version").fetchone()[0]
            name = urlsplit(args.postgres_url).path.lstrip("/")
            _pg_recreate(admin, name)
            _pg_recreate(admin, f"{name}_demo")
            url = args.postgres_url
            demo_url = urlunsplit(urlsplit(url)._replace(path=f"/{name}_demo"))
        print(f"\n=== {backend} ===", flush=True)
        gen = RESULTS_DIR / f"generate-{backend}.json"
        mea = RESULTS_DIR / f"measure-{backend}.json"
        demo = RESULTS_DIR / f"demo-{backend}.json"
        try:
            if not (args.reuse and backend == "sqlite" and gen.exists()):
                _step(
                    "generate",
                    *("--orgs", str(args.orgs), "--members", str(args.members)),
                    *("--committees", str(args.committees), "--chunk", str(args.chunk)),
                    *("--backend", backend, "--database-url", url, "--out", str(gen)),
                )
            measure_args = ["--runs", str(args.runs), "--budget", str(args.budget)]
            measure_args += ["--http-seconds", str(args.http_seconds)]
            if args.no_http:
                measure_args.append("--no-http")
            _step(
                "measure",
                *("--backend", backend, "--database-url", url, "--manifest", str(gen)),
                *measure_args,
                *("--out", str(mea)),
            )
            _step(
                "demo_build", "--backend", backend, "--database-url", demo_url, "--out", str(demo)
            )
        finally:
            if admin is not None and not args.keep_postgres:
                name = urlsplit(args.postgres_url).path.lstrip("/")
                _pg_recreate(admin, name, create=False)
                _pg_recreate(admin, f"{name}_demo", create=False)
                admin.close()
        results["backends"][backend] = {
            "generate": read_json(gen),
            "measure": read_json(mea),
            "demo": read_json(demo),
        }
    results["machine"] = machine(pg_version)
    results["total_s"] = round(time.perf_counter() - started, 1)
    write_json(RESULTS_DIR / "results.json", results)
    (RESULTS_DIR / "summary.md").write_text(summary(results) + "\n")
    print(f"\nDone in {results['total_s']} s; see {RESULTS_DIR / 'summary.md'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
