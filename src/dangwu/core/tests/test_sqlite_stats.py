"""SQLite gets the statistics its planner needs once the platform has served some requests."""

import pytest
from django.db import connection

from dangwu.core import sqlite_stats

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def _analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


def test_pages_served_leave_the_tables_they_read_analysed(client, world, monkeypatch):
    monkeypatch.setattr(sqlite_stats, "_state", {"requests": 0, "last": 0.0})
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    for _ in range(sqlite_stats.FIRST_AFTER_REQUESTS - 1):
        client.get("/portal/")
    assert "orgs_organization" not in _analysed_tables()
    client.force_login(world.user("secretary"))
    client.get("/orgs/")
    assert "orgs_organization" in _analysed_tables()
