"""The periodic scheduler, driven by a fake clock: due jobs are enqueued once per slot."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from dangwu.core import hooks, periodic
from dangwu.core.models import PeriodicJobState
from dangwu.core.periodic import PERIODIC_JOBS, PeriodicJob, Scheduler

CALLS: list[str] = []


def record_call() -> None:
    """The job the tests register: it notes that it ran."""
    CALLS.append("ran")


T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a Monday at 08:00 in Beijing
HOURLY = PeriodicJob(name="test.hourly", every=timedelta(hours=1), run=f"{__name__}.record_call")
DAILY = PeriodicJob(name="test.daily", every=timedelta(days=1), run=f"{__name__}.record_call")


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # Between rounds the scheduler drops stale connections; here that would end the test's
    # transaction (it does on PostgreSQL).
    monkeypatch.setattr(periodic, "close_old_connections", lambda: None)


@pytest.fixture
def registered(monkeypatch):
    """Register ``jobs`` as the only periodic jobs for one test."""
    CALLS.clear()

    def register(*jobs: PeriodicJob) -> None:
        monkeypatch.setitem(hooks._registry, PERIODIC_JOBS, [lambda: list(jobs)])

    return register


def queued() -> list[list]:
    """Return the argument lists of the periodic tasks waiting in the queue, oldest first."""
    rows = DBTaskResult.objects.filter(task_path="dangwu.core.periodic.run_job")
    return [row.args_kwargs["args"] for row in rows.order_by("enqueued_at")]


def test_slots_are_counted_from_the_epoch_so_a_daily_job_falls_due_at_midnight_utc():
    assert DAILY.slot_at(T0 + timedelta(hours=13)) == T0
    assert DAILY.next_slot(T0 + timedelta(hours=13)) == T0 + timedelta(days=1)
    nine = PeriodicJob(name="x.y", every=timedelta(days=1), run="x", offset=timedelta(hours=1))
    assert nine.slot_at(T0 + timedelta(minutes=30)) == T0 - timedelta(hours=23)


def test_a_job_seen_for_the_first_time_is_enqueued_at_once(db, registered):
    registered(HOURLY)

    assert periodic.run_due(T0 + timedelta(minutes=5)) == ["test.hourly"]

    assert queued() == [["test.hourly"]]
    state = PeriodicJobState.objects.get(name="test.hourly")
    assert state.last_slot == T0
    assert state.last_task_id == str(DBTaskResult.objects.get().id)


def test_a_job_runs_once_per_slot_however_often_the_scheduler_looks(db, registered):
    registered(HOURLY)

    for minute in (0, 10, 59):
        periodic.run_due(T0 + timedelta(minutes=minute))
    assert len(queued()) == 1

    periodic.run_due(T0 + timedelta(minutes=60))
    assert len(queued()) == 2


def test_a_restart_within_a_slot_does_not_run_the_job_again(db, registered):
    registered(DAILY)
    Scheduler(clock=FakeClock(T0 + timedelta(hours=1))).run(rounds=1)

    # A new scheduler process (the state is in the database, not in memory).
    enqueued = Scheduler(clock=FakeClock(T0 + timedelta(hours=2))).run(rounds=1)

    assert enqueued == 0
    assert len(queued()) == 1


def test_a_slot_already_claimed_by_another_scheduler_is_not_enqueued_twice(
    db, registered, monkeypatch
):
    registered(HOURLY)
    periodic.run_due(T0)
    # A second scheduler that read the state before the first one claimed the slot.
    monkeypatch.setattr(periodic, "_last_slots", lambda names: dict.fromkeys(names))

    assert periodic.run_due(T0 + timedelta(minutes=1)) == []
    assert len(queued()) == 1


def test_missed_slots_are_not_replayed_after_downtime(db, registered):
    registered(HOURLY)
    periodic.run_due(T0)

    # Down for five hours: back, the job runs once for the current slot.
    assert periodic.run_due(T0 + timedelta(hours=5, minutes=3)) == ["test.hourly"]
    assert len(queued()) == 2
    assert PeriodicJobState.objects.get().last_slot == T0 + timedelta(hours=5)


def test_the_scheduler_sleeps_until_the_next_slot_and_enqueues_each_one(db, registered):
    registered(HOURLY, DAILY)
    clock = FakeClock(T0 + timedelta(minutes=30))

    enqueued = Scheduler(clock=clock, sleep=clock.sleep, max_wait=3600).run(rounds=4)

    # First round: both; then at 01:00, 02:00 and 03:00 the hourly job alone.
    assert enqueued == 5
    assert clock.slept == [1800.0, 3600.0, 3600.0]
    assert [args[0] for args in queued()].count("test.daily") == 1


def test_the_scheduler_wakes_at_least_every_max_wait_seconds(db, registered):
    registered(DAILY)
    clock = FakeClock(T0)

    Scheduler(clock=clock, sleep=clock.sleep, max_wait=60).run(rounds=3)

    assert clock.slept == [60.0, 60.0]


def test_the_enqueued_task_runs_the_registered_function(db, registered):
    registered(HOURLY)

    periodic.run_job.call("test.hourly")

    assert CALLS == ["ran"]


def test_a_task_left_for_a_job_that_no_longer_exists_does_nothing(db, registered):
    registered()

    periodic.run_job.call("test.gone")

    assert CALLS == []


def test_two_jobs_with_one_name_are_a_configuration_error(registered):
    registered(HOURLY, PeriodicJob(name="test.hourly", every=timedelta(hours=2), run="x"))

    with pytest.raises(ImproperlyConfigured):
        periodic.jobs()


def test_a_job_without_a_positive_interval_is_refused():
    with pytest.raises(ImproperlyConfigured):
        PeriodicJob(name="test.never", every=timedelta(0), run="x")


def test_the_mail_digest_and_retry_jobs_are_registered():
    assert {"mail.daily_digest", "mail.send_pending"} <= set(periodic.jobs())


def test_periodic_once_enqueues_the_due_jobs_and_exits(db, registered, capsys):
    registered(HOURLY)

    call_command("periodic", "--once")

    assert "enqueued test.hourly" in capsys.readouterr().out
    assert queued() == [["test.hourly"]]
