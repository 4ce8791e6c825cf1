"""Concurrent archiving takes distinct, consecutive 件号: real threads, real transactions."""

import threading

import pytest
from django.db import close_old_connections, connection

from dangwu.archive import services
from dangwu.archive.enums import Retention
from dangwu.archive.models import ArchiveItem
from dangwu.incoming.services import SEARCH_KIND as INCOMING
from dangwu.incoming.tests.factories import incoming

CLERKS = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_archiving_produces_distinct_consecutive_item_numbers(world):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The in-memory test database refuses a second writer at once instead of waiting (see
        # documents/tests/test_concurrency.py); PostgreSQL runs this test as is.
        pytest.skip("SQLite's in-memory test database refuses concurrent writers at once")
    documents = [incoming(world, "completed", title=f"来文{n}") for n in range(CLERKS)]
    clerk = world.user("clerk")
    start = threading.Barrier(CLERKS)
    errors: list[BaseException] = []

    def archive(pk: int) -> None:
        try:
            start.wait()
            services.item_archive(
                actor=clerk,
                kind=INCOMING,
                source_id=pk,
                retention=Retention.YEARS_30,
                unit="BGS",
                pages=1,
            )
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=archive, args=(d.pk,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(ArchiveItem.objects.values_list("item_number", flat=True))
    assert numbers == list(range(1, CLERKS + 1))
