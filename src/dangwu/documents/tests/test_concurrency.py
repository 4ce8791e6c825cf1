"""Concurrent sign-offs take distinct, consecutive numbers: real threads, real transactions."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from dangwu.documents import services
from dangwu.documents.models import Document
from dangwu.documents.tests.factories import document_in

SIGNERS = 12


def _in_memory_sqlite() -> bool:
    # The test database of SQLite is an in-memory, shared-cache one: there, a second writer is
    # refused at once (SQLITE_LOCKED) instead of waiting, unlike the file database the platform
    # runs on. bench/documents.py measures SQLite on a file; PostgreSQL runs this test as is.
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_offs_produce_distinct_consecutive_numbers(world):
    if _in_memory_sqlite():
        pytest.skip("SQLite's in-memory test database refuses concurrent writers at once")
    documents = [document_in(world, "awaiting_signoff") for _ in range(SIGNERS)]
    leader = world.user("leader")
    start = threading.Barrier(SIGNERS)
    errors: list[BaseException] = []

    def sign(document: Document) -> None:
        try:
            start.wait()
            services.document_sign(actor=leader, document=document)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sign, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Document.objects.values_list("serial", flat=True))
    assert serials == list(range(1, SIGNERS + 1))
    year = timezone.localdate().year
    assert Document.objects.filter(year=year, code="市直工").count() == SIGNERS
