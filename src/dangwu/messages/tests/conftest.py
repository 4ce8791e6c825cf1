"""Shared helpers of the mail tests: running queued tasks, extra people, small files."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from dangwu.access import SYSTEM, Role
from dangwu.accounts.services import role_grant, user_create
from tests.personas import PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run every queued background task in this process, as ``dangwu db_worker`` would."""
    # The worker closes stale connections between tasks; here that would end the test's
    # transaction.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        ).run()

    return run


@pytest.fixture
def make_people(world):
    """``make_people(n, role, org)`` creates n people holding ``role`` on ``org`` (with e-mail)."""

    def make(count: int, role: str = Role.MEMBER, org: str = "branch1", prefix: str = "p"):
        people = []
        for i in range(count):
            username = f"{prefix}-{role}-{org}-{i}"
            user = user_create(
                actor=SYSTEM,
                username=username,
                password=PASSWORD,
                display_name=f"{prefix}{i}",
                email=f"{username}@example.cn",
            )
            role_grant(actor=SYSTEM, user=user, role=role, organization=world.orgs[org])
            people.append(user)
        return people

    return make


@pytest.fixture
def with_email(world):
    """Give every persona an e-mail address (the world has none)."""
    for key, user in world.users.items():
        user.email = f"{key}@example.cn"
        user.save(update_fields=["email"])
    return world
