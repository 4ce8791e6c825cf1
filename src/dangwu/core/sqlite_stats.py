"""Keep SQLite's planner statistics current (the embedded mode; PostgreSQL's autovacuum does it).

Without ``sqlite_stat1`` SQLite guesses, and guesses badly for the portal's lists: the latest
articles of a column were read through the ``status`` index, every published article with its
body, 7 ms instead of 0.6 ms at 2,000 articles, and worse as they grow (BENCHMARKS.md).
``PRAGMA optimize`` analyses the tables that the connection's queries used and whose statistics
are missing or stale; SQLite advises running it regularly on long-lived connections. Here it
runs once a process has served a few requests and then every hour, with ``analysis_limit`` so
that even a large database is sampled in milliseconds rather than read in full.
"""

from __future__ import annotations

import time

from django.db import connection

# Requests before the first run: enough for the connection to have used the usual tables.
FIRST_AFTER_REQUESTS = 20
EVERY_SECONDS = 3600
ANALYSIS_LIMIT = 1000

_state = {"requests": 0, "last": 0.0}


def optimize() -> None:
    """Let SQLite refresh the statistics it needs, sampling at most ``ANALYSIS_LIMIT`` rows."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("PRAGMA optimize")


def optimize_if_due(**_signal_kwargs: object) -> None:
    """Run ``optimize`` at the ``FIRST_AFTER_REQUESTS``-th request, then hourly.

    Connected to ``request_finished``: the answer has gone out already. A request that did not
    open the database (a static file) neither counts nor runs it.
    """
    if connection.vendor != "sqlite" or connection.connection is None:
        return
    _state["requests"] += 1
    now = time.monotonic()
    if _state["last"] == 0.0:
        due = _state["requests"] >= FIRST_AFTER_REQUESTS
    else:
        due = now - _state["last"] >= EVERY_SECONDS
    if due:
        _state["last"] = now
        optimize()
