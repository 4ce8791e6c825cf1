"""The in-process visit buffer: page views wait here and are stored in bulk.

The middleware only appends to a list under a lock. The buffer is flushed — folded into a
:class:`~dangwu.analytics.batch.VisitBatch` and stored by ``visits_store`` — when it holds
``VISITS_FLUSH_ITEMS`` events or its oldest event is ``VISITS_FLUSH_SECONDS`` old, checked
after each response has been sent (``request_finished``), and at the process's orderly exit
(``atexit``; gunicorn workers exit through ``sys.exit`` on SIGTERM, SIGINT and SIGQUIT).
A batch the database refuses is written to the spool folder and stored by a later flush or
by ``dangwu visits_flush``. Each process has its own buffer; they never share state.

Counting is switched on by :func:`arm`, which the serving process calls (``dangwu.wsgi``);
elsewhere — management commands, the test client — the middleware counts nothing.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dangwu.analytics.batch import SHANGHAI, Event, VisitBatch, aggregate, spool_write

logger = logging.getLogger(__name__)

# Visitor hashes are kept this many days: a day's unique visitors are final once it is over.
VISITOR_DAYS_KEPT = 2


class VisitBuffer:
    """A bounded, thread-safe list of events of one process, and how it is flushed."""

    def __init__(
        self,
        *,
        site: str,
        flush_items: int,
        flush_seconds: float,
        limit: int,
        spool_dir: Path,
    ) -> None:
        self.site = site
        self.flush_items = flush_items
        self.flush_seconds = flush_seconds
        self.limit = limit
        self.spool_dir = spool_dir
        self.dropped = 0
        self._lock = threading.Lock()
        self._events: list[Event] = []
        self._oldest = 0.0  # time.monotonic() of the oldest waiting event
        self._pruned_on: date | None = None

    def __len__(self) -> int:
        return len(self._events)

    def record(self, kind: str, object_id: int, identity: str) -> None:
        """Append one page view; never touches the database."""
        with self._lock:
            if len(self._events) >= self.limit:
                # Only reachable when flushes cannot keep up; memory must stay bounded.
                self.dropped += 1
                return
            if not self._events:
                self._oldest = time.monotonic()
            self._events.append((time.time(), kind, object_id, identity))

    def due(self) -> bool:
        """Return True if the buffer is full enough or old enough to be flushed."""
        waiting = len(self._events)
        return waiting >= self.flush_items or (
            waiting > 0 and time.monotonic() - self._oldest >= self.flush_seconds
        )

    def drain(self) -> list[Event]:
        """Take every waiting event out of the buffer (an event is drained exactly once)."""
        with self._lock:
            events, self._events = self._events, []
        return events

    def flush(self) -> int:
        """Store every waiting event; return how many page views were flushed.

        A batch the database refuses goes to the spool folder instead of back into memory,
        so a database outage cannot grow the buffer.
        """
        from dangwu.analytics.services import visits_prune, visits_store

        events = self.drain()
        if self.dropped:
            logger.warning("visit buffer full: %d page views were not counted", self.dropped)
            self.dropped = 0
        if not events:
            return 0
        batch = aggregate(events, site=self.site)
        try:
            visits_store(batch=batch)
        except Exception:
            logger.exception("could not store %d page views; spooling them", len(events))
            self._spool(batch)
            return len(events)
        try:
            spool_replay(self.spool_dir)
            today = timezone.localdate(timezone=SHANGHAI)
            if self._pruned_on != today:
                visits_prune(before=today - timedelta(days=VISITOR_DAYS_KEPT))
                self._pruned_on = today
        except Exception:
            # The page views are stored; spooled ones and pruning wait for the next flush.
            logger.exception("could not replay spooled page views or prune visitors")
        return len(events)

    def _spool(self, batch: VisitBatch) -> None:
        try:
            spool_write(self.spool_dir, batch, name=f"{os.getpid()}-{uuid.uuid4().hex}")
        except OSError:
            logger.exception("could not spool page views either; they are lost")

    def _after_fork(self) -> None:
        # A forked worker starts empty: the parent keeps (and flushes) its own events.
        self._lock = threading.Lock()
        self._events = []
        self.dropped = 0


def spool_replay(directory: Path) -> int:
    """Store every spooled batch in ``directory``; return how many files were stored.

    A file is claimed by renaming it first, so two processes never store the same one.
    """
    from dangwu.analytics.services import visits_store

    if not directory.is_dir():
        return 0
    stored = 0
    for path in sorted(directory.glob("*.json")):
        claimed = path.with_suffix(f".{os.getpid()}.claimed")
        try:
            path.rename(claimed)
        except FileNotFoundError:
            continue  # another process took it
        try:
            visits_store(batch=VisitBatch.from_json(claimed.read_text(encoding="utf-8")))
        except Exception:
            claimed.rename(path)
            raise
        claimed.unlink()
        stored += 1
    return stored


_buffer: VisitBuffer | None = None
_arm_lock = threading.Lock()


def spool_dir() -> Path:
    """Return the folder where batches wait that the database refused."""
    return Path(settings.DATA_DIR) / "visits-spool"


def arm() -> VisitBuffer:
    """Start counting visits in this process and flush them at its orderly exit."""
    global _buffer
    with _arm_lock:
        if _buffer is None:
            _buffer = VisitBuffer(
                site=settings.SITE,
                flush_items=settings.VISITS_FLUSH_ITEMS,
                flush_seconds=settings.VISITS_FLUSH_SECONDS,
                limit=settings.VISITS_BUFFER_LIMIT,
                spool_dir=spool_dir(),
            )
            atexit.register(flush_now)
        return _buffer


def armed() -> VisitBuffer | None:
    """Return this process's buffer, or None when visits are not counted here."""
    return _buffer


def flush_now() -> int:
    """Flush this process's buffer now; return how many page views were flushed."""
    buffer = _buffer
    return buffer.flush() if buffer is not None else 0


def flush_if_due(**_signal_kwargs: object) -> None:
    """Flush if the buffer is full or old enough (connected to ``request_finished``)."""
    buffer = _buffer
    if buffer is not None and buffer.due():
        buffer.flush()


def _after_fork_in_child() -> None:
    if _buffer is not None:
        _buffer._after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)
