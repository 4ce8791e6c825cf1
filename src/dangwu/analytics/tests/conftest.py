"""Fixtures of the visit-counting tests: a fresh, armed buffer per test."""

import pytest

from dangwu.analytics import buffer as buffer_module
from dangwu.analytics import middleware as middleware_module
from dangwu.analytics.buffer import VisitBuffer

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture
def visits(monkeypatch, tmp_path, settings):
    """Arm a buffer that flushes only when a test says so (or at 5 items / 1 hour)."""
    settings.ROOT_URLCONF = "dangwu.analytics.tests.urls"
    buffer = VisitBuffer(
        site="internal",
        flush_items=5,
        flush_seconds=3600,
        limit=10_000,
        spool_dir=tmp_path / "visits-spool",
    )
    monkeypatch.setattr(buffer_module, "_buffer", buffer)
    monkeypatch.setattr(middleware_module, "_column_ids", {})
    return buffer


@pytest.fixture
def browser(client):
    """The test client, looking like a person's browser."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client
