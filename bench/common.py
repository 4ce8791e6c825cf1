"""Shared pieces of the benchmarks: where data lives, Django set-up on a fresh database, one
process per backend, timing statistics.

Every benchmark process points Django at its own data directory (never the developer's
``var/``) and, for PostgreSQL, at its own database, *before* ``django.setup()``.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
PASSWORD = "Zq8#Lm2!Tx5w"  # noqa: S105  (bench-only accounts on a throw-away database)


def data_dir_for(backend: str) -> Path:
    """Return the throw-away data directory of one backend's benchmark database."""
    return RESULTS_DIR / f"data-{backend}"


def setup_django(*, data_dir: Path, database_url: str = "") -> None:
    """Configure the environment for an isolated run and call ``django.setup()``."""
    # The static folder exists only to keep whitenoise quiet; nothing is collected into it.
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    os.environ["DANGWU_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangwu.settings")
    # Plain static storage: the manifest storage would need a collectstatic run first.
    os.environ["DANGWU_STATIC_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def fresh_postgres(url: str, *, create: bool = True, force: bool = False) -> None:
    """Drop the benchmark's PostgreSQL database and (unless ``create`` is False) create it anew.

    ``force`` drops it even while a connection is left open on it.
    """
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"' + (" WITH (FORCE)" if force else ""))
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def open_fresh_database(bench: str, database_url: str = "", *, reuse: bool = False) -> str:
    """Set Django up on a fresh, migrated database for ``bench``; return the backend's name.

    SQLite lives in ``bench/results/data-<bench>-sqlite/``; the PostgreSQL database named in
    ``database_url`` is dropped and made afresh. ``reuse`` keeps the last run's data. Passwords
    use a fast hasher: building thousands of users is not what is measured.
    """
    backend = "postgres" if database_url else "sqlite"
    data_dir = data_dir_for(f"{bench}-{backend}")
    if reuse:
        pass
    elif database_url:
        fresh_postgres(database_url)
    else:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"dangwu.sqlite3{suffix}").unlink(missing_ok=True)
    setup_django(data_dir=data_dir, database_url=database_url)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return backend


def run_each_backend(module: str, *, backends: str, postgres_url: str, options: list[str]) -> None:
    """Run ``python -m <module> <options> --one`` once per backend of ``backends`` ("a,b").

    One process per backend: Django is configured once per process. PostgreSQL's database is
    dropped after its run.
    """
    for backend in backends.split(","):
        extra = [f"--database-url={postgres_url}"] if backend == "postgres" else []
        print(f"== {backend}", flush=True)
        subprocess.run([sys.executable, "-m", module, *options, "--one", *extra], check=True)  # noqa: S603
        if backend == "postgres":
            fresh_postgres(postgres_url, create=False)


def org_tree(organizations: int, *, branches: int | None = None) -> Any:
    """Build the committee, its 50 organ Party committees and their branches; return the root.

    ``branches`` defaults to ``organizations - 50``. Built in bulk: building is not measured.
    """
    from dangwu.access import SYSTEM
    from dangwu.orgs.enums import OrgKind
    from dangwu.orgs.models import Organization
    from dangwu.orgs.services import organization_create

    root = organization_create(
        actor=SYSTEM, code="GW", name="江城市直机关工委", kind=OrgKind.COMMITTEE, parent=None
    )
    committees = 50
    Organization.objects.bulk_create(
        Organization(
            code=f"C{c:02d}",
            name=f"第{c}机关党委",
            kind=OrgKind.PARTY_COMMITTEE,
            parent=root,
            path=f"{root.path}C{c:02d}/",
            depth=1,
        )
        for c in range(committees)
    )
    parents = list(Organization.objects.filter(depth=1).order_by("code"))
    if branches is None:
        branches = organizations - committees
    Organization.objects.bulk_create(
        (
            Organization(
                code=f"{parents[b % committees].code}B{b:05d}",
                name=f"{parents[b % committees].name}第{b}支部",
                kind=OrgKind.BRANCH,
                parent=parents[b % committees],
                path=f"{parents[b % committees].path}B{b:05d}/",
                depth=2,
            )
            for b in range(branches)
        ),
        batch_size=1000,
    )
    return root


def free_port() -> int:
    """Return a TCP port on the loopback interface that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` once; return (seconds, result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0..1) by linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summarize(samples: list[float]) -> dict[str, float]:
    """Return median and p95 in milliseconds."""
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 2),
        "runs": len(samples),
    }


def write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text())
