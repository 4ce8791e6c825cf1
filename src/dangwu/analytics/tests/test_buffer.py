"""The buffer itself: bounded, thread-safe, spooling what the database refuses, flushed at exit."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from dangwu.analytics import services
from dangwu.analytics.buffer import VisitBuffer, spool_replay
from dangwu.analytics.models import DailyVisits

ROOT = Path(__file__).resolve().parents[4]


def make_buffer(tmp_path, **overrides) -> VisitBuffer:
    options = {"site": "internal", "flush_items": 100, "flush_seconds": 3600, "limit": 10_000}
    return VisitBuffer(**{**options, **overrides}, spool_dir=tmp_path / "spool")


def test_threads_recording_while_another_flushes_lose_no_page_view(tmp_path, monkeypatch):
    stored: Counter = Counter()
    monkeypatch.setattr(services, "visits_store", lambda *, batch: stored.update(batch.views))
    buffer = make_buffer(tmp_path, limit=1_000_000)
    recorders, views_each = 8, 3000
    done = threading.Event()

    def record(n: int) -> None:
        for i in range(views_each):
            buffer.record("article", n, f"c:visitor{i % 50}")

    def flush_until_done() -> None:
        while not done.is_set():
            buffer.flush()

    flusher = threading.Thread(target=flush_until_done)
    flusher.start()
    threads = [threading.Thread(target=record, args=(n,)) for n in range(recorders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    flusher.join()
    buffer.flush()

    per_article = Counter()
    for key, views in stored.items():
        per_article[key.object_id] += views
    assert per_article == dict.fromkeys(range(recorders), views_each)


def test_a_full_buffer_drops_further_views_instead_of_growing(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(services, "visits_store", lambda *, batch: None)
    buffer = make_buffer(tmp_path, limit=3)
    for _ in range(5):
        buffer.record("article", 1, "c:x")

    assert len(buffer) == 3
    buffer.flush()
    assert "2 page views were not counted" in caplog.text


@pytest.mark.django_db
def test_a_batch_the_database_refuses_is_spooled_without_identities_and_stored_later(
    tmp_path, monkeypatch
):
    real_store = services.visits_store

    def refuse(*, batch):
        raise RuntimeError("database is down")

    monkeypatch.setattr(services, "visits_store", refuse)
    buffer = make_buffer(tmp_path)
    buffer.record("article", 7, "a:10.20.30.40 Mozilla/5.0")
    buffer.record("article", 7, "c:cookievalue")
    assert buffer.flush() == 2
    (spooled,) = buffer.spool_dir.glob("*.json")
    text = spooled.read_text()
    assert "10.20.30.40" not in text and "cookievalue" not in text
    assert json.loads(text)["rows"][0][4] == 2
    assert not DailyVisits.objects.exists()

    monkeypatch.setattr(services, "visits_store", real_store)
    buffer.record("article", 7, "c:another")
    buffer.flush()

    row = DailyVisits.objects.get(object_id=7)
    assert (row.views, row.visitors) == (3, 3)
    assert not list(buffer.spool_dir.iterdir())


@pytest.mark.django_db
def test_the_visits_flush_command_stores_spooled_batches(tmp_path, settings, monkeypatch, capsys):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "visits_store", lambda *, batch: 1 / 0)
    buffer = make_buffer(tmp_path)
    buffer.spool_dir = tmp_path / "visits-spool"
    buffer.record("column", 3, "c:someone")
    buffer.flush()
    monkeypatch.undo()

    call_command("visits_flush")

    assert DailyVisits.objects.get(kind="column", object_id=3).views == 1
    assert "Stored 1 spooled batches" in capsys.readouterr().out
    assert spool_replay(tmp_path / "visits-spool") == 0


def test_a_forked_child_starts_with_an_empty_buffer(tmp_path, monkeypatch):
    from dangwu.analytics import buffer as buffer_module

    buffer = make_buffer(tmp_path)
    monkeypatch.setattr(buffer_module, "_buffer", buffer)
    buffer.record("article", 1, "c:parent")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports its buffer's size and leaves without running atexit
        os.write(write, str(len(buffer)).encode())
        os._exit(0)
    os.waitpid(pid, 0)

    assert os.read(read, 16) == b"0"
    assert len(buffer) == 1


EXIT_SCRIPT = """
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client, override_settings
from dangwu.analytics.buffer import arm
buffer = arm()
with override_settings(ROOT_URLCONF="dangwu.analytics.tests.urls"):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0")
    for _ in range(7):
        assert client.get("/a/42/").status_code == 200
assert len(buffer) == 7, len(buffer)
"""


@pytest.mark.slow
def test_page_views_still_in_the_buffer_are_stored_when_the_process_exits(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dangwu.settings",
        "DANGWU_DATA_DIR": str(tmp_path),
        "DANGWU_VISITS_FLUSH_ITEMS": "1000",
        "DANGWU_VISITS_FLUSH_SECONDS": "3600",
        "DATABASE_URL": "",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", EXIT_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr

    with sqlite3.connect(tmp_path / "dangwu.sqlite3") as db:
        rows = db.execute(
            "SELECT kind, object_id, views, visitors FROM analytics_dailyvisits"
        ).fetchall()
    assert rows == [("article", 42, 7, 1)]
