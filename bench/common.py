"""Shared pieces of the benchmarks: where data lives, Django set-up, timing statistics.

Every benchmark process points Django at its own data directory (never the developer's
``var/``) and, for PostgreSQL, at its own database, *before* ``django.setup()``.
"""

from __future__ import annotations

import json
import os
import statistics
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
