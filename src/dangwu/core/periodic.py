"""Periodic jobs: apps register them in ``hooks.py``; ``dangwu periodic`` enqueues each due one.

Time is cut into slots of a job's ``every`` (counted from the Unix epoch in UTC, plus the job's
``offset``); a job is due once per slot. The scheduler claims a slot with a conditional UPDATE
on ``core.PeriodicJobState`` and enqueues the job's task in the same transaction, so any number
of schedulers (restarts, two servers) enqueue each slot at most once, and a claim never commits
without its task. Missed slots are not replayed: after downtime a job runs once. See docs/mail.md.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FrameType

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from dangwu.core import hooks
from dangwu.core.models import PeriodicJobState

logger = logging.getLogger(__name__)

PERIODIC_JOBS = "periodic_jobs"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The scheduler wakes at least this often (seconds), so a changed clock is noticed in time.
MAX_WAIT = 60.0


@dataclass(frozen=True)
class PeriodicJob:
    """A job run once per slot of ``every``; ``run`` is the dotted path of a no-argument function.

    ``offset`` moves the slots: a daily job is due at 00:00 UTC (08:00 in Beijing) by default.
    """

    name: str
    every: timedelta
    run: str
    offset: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.every <= timedelta(0):
            raise ImproperlyConfigured(f"periodic job {self.name!r}: 'every' must be positive")
        if not self.name or len(self.name) > 80:
            raise ImproperlyConfigured(f"periodic job {self.name!r}: name of 1 to 80 characters")

    def slot_at(self, now: datetime) -> datetime:
        """Return the start of the slot that ``now`` falls in."""
        start = EPOCH + self.offset
        return start + ((now - start) // self.every) * self.every

    def next_slot(self, now: datetime) -> datetime:
        return self.slot_at(now) + self.every


def jobs() -> dict[str, PeriodicJob]:
    """Return every registered job by name; two jobs with one name is a configuration error."""
    found: dict[str, PeriodicJob] = {}
    for provider in hooks.get_hooks(PERIODIC_JOBS):
        for job in provider():
            if job.name in found:
                raise ImproperlyConfigured(f"two periodic jobs are named {job.name!r}")
            found[job.name] = job
    return found


@task()
def run_job(name: str) -> None:
    """Run the job ``name`` (in the worker). A job no longer registered is skipped."""
    job = jobs().get(name)
    if job is None:
        logger.warning("periodic job %s is no longer registered; skipped", name)
        return
    target = import_string(job.run)
    if isinstance(target, Task):
        target.call()
    else:
        target()


def _last_slots(names: list[str]) -> dict[str, datetime | None]:
    """Return the last claimed slot of each job, creating the rows of jobs seen the first time."""
    last = dict(PeriodicJobState.objects.filter(name__in=names).values_list("name", "last_slot"))
    missing = [PeriodicJobState(name=name) for name in names if name not in last]
    if missing:
        # Another scheduler may create the same rows at the same moment: keep whichever came first.
        PeriodicJobState.objects.bulk_create(missing, ignore_conflicts=True)
        last.update(dict.fromkeys((state.name for state in missing), None))
    return last


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot is not claimed yet; return the names enqueued."""
    now = now or timezone.now()
    registered = jobs()
    if not registered:
        return []
    last = _last_slots(list(registered))
    enqueued: list[str] = []
    for name, job in registered.items():
        slot = job.slot_at(now)
        previous = last.get(name)
        if previous is not None and previous >= slot:
            continue
        with transaction.atomic():
            # The claim: only one scheduler changes the row for this slot, even if several read
            # the same old value above.
            claimed = (
                PeriodicJobState.objects.filter(name=name)
                .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
                .update(last_slot=slot, last_enqueued_at=now)
            )
            if not claimed:
                continue
            result = run_job.enqueue(name)
            PeriodicJobState.objects.filter(name=name).update(last_task_id=str(result.id))
        logger.info("periodic job %s enqueued for %s", name, slot.isoformat())
        enqueued.append(name)
    return enqueued


def seconds_until_next(now: datetime, *, max_wait: float = MAX_WAIT) -> float:
    """Return how long the scheduler may sleep: until the next slot of any job, at most max_wait."""
    registered = jobs().values()
    waits = [(job.next_slot(now) - now).total_seconds() for job in registered]
    return max(0.0, min([max_wait, *waits]))


class Scheduler:
    """The loop of ``dangwu periodic``; ``clock`` and ``sleep`` are replaceable for tests."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = timezone.now,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.max_wait = max_wait
        self.running = True
        self._in_round = False

    def stop(self, signum: int, frame: FrameType | None) -> None:
        """Signal handler: finish the round in progress (its transaction), else leave at once."""
        self.running = False
        if not self._in_round:
            sys.exit(0)

    def install_signals(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self.stop)

    def round(self) -> list[str]:
        """Run one round; a busy database (SQLite locked) only postpones it to the next."""
        self._in_round = True
        try:
            close_old_connections()
            return run_due(self.clock())
        except OperationalError as error:
            logger.warning("periodic round skipped: %s", error)
            return []
        finally:
            close_old_connections()
            self._in_round = False

    def run(self, *, rounds: int | None = None) -> int:
        """Run rounds until stopped (or ``rounds`` of them); return how many jobs were enqueued."""
        done = enqueued = 0
        while self.running:
            enqueued += len(self.round())
            done += 1
            if rounds is not None and done >= rounds:
                break
            self.sleep(seconds_until_next(self.clock(), max_wait=self.max_wait))
        return enqueued
