"""Folding raw page views into a batch: days in Beijing time, one hash per reader and day."""

from datetime import date, datetime

from dangwu.analytics.batch import SHANGHAI, VisitKey, aggregate


def _at(*parts: int) -> float:
    return datetime(*parts, tzinfo=SHANGHAI).timestamp()


def test_views_around_beijing_midnight_fall_on_their_own_days_and_readers_are_counted_once():
    events = [
        (_at(2026, 5, 1, 23, 59, 59), "article", 7, "c:reader-one"),
        (_at(2026, 5, 1, 23, 59, 59), "article", 7, "c:reader-one"),
        (_at(2026, 5, 1, 12, 0, 0), "article", 7, "c:reader-two"),
        (_at(2026, 5, 2, 0, 0, 0), "article", 7, "c:reader-one"),
        (_at(2026, 5, 2, 0, 0, 1), "home", 0, "c:reader-one"),
        (_at(2026, 5, 1, 8, 0, 0), "article", 7, "c:reader-one"),  # out of order
    ]
    batch = aggregate(events, site="internal")
    first, second = date(2026, 5, 1), date(2026, 5, 2)
    assert batch.views == {
        VisitKey("internal", first, "article", 7): 4,
        VisitKey("internal", second, "article", 7): 1,
        VisitKey("internal", second, "home", 0): 1,
    }
    assert len(batch.visitors[VisitKey("internal", first, "article", 7)]) == 2
    # The same reader hashes differently on another day: days cannot be linked.
    day_one = batch.visitors[VisitKey("internal", first, "article", 7)]
    day_two = batch.visitors[VisitKey("internal", second, "article", 7)]
    assert not day_one & day_two
    assert all("reader" not in h for hashes in batch.visitors.values() for h in hashes)
