"""Visits counted in memory: raw events, and the batch they are folded into before storing.

An event holds the visitor's identity as the request gave it (account, cookie, or address and
agent) only while it waits in this process's memory; :func:`aggregate` replaces it by a keyed
HMAC-SM3 of that day before anything is written anywhere.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from dangwu.core.crypto import visitor_mac

# Days are counted in the committee's time zone whatever the server's.
SHANGHAI = ZoneInfo("Asia/Shanghai")
# 128 bits of the HMAC: no collisions among a day's visitors, half the index size.
VISITOR_HASH_CHARS = 32

# (unix time, kind, object id, identity): what the middleware appends per page view.
Event = tuple[float, str, int, str]


class VisitKey(NamedTuple):
    site: str
    day: date
    kind: str
    object_id: int


@dataclass
class VisitBatch:
    """Page views and the day's visitor hashes per page, ready to be added to the database."""

    views: Counter[VisitKey] = field(default_factory=Counter)
    visitors: dict[VisitKey, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.views)

    def add(self, key: VisitKey, visitors: Iterable[str], views: int = 1) -> None:
        self.views[key] += views
        self.visitors.setdefault(key, set()).update(visitors)

    def to_json(self) -> str:
        rows = [
            [k.site, k.day.isoformat(), k.kind, k.object_id, n, sorted(self.visitors.get(k, ()))]
            for k, n in self.views.items()
        ]
        return json.dumps({"version": 1, "rows": rows})

    @classmethod
    def from_json(cls, text: str) -> VisitBatch:
        data: dict[str, Any] = json.loads(text)
        if data.get("version") != 1:
            raise ValueError("unknown visit batch version")
        batch = cls()
        for site, day, kind, object_id, views, visitors in data["rows"]:
            key = VisitKey(site, date.fromisoformat(day), kind, int(object_id))
            batch.add(key, visitors, views=int(views))
        return batch


def aggregate(events: Iterable[Event], *, site: str) -> VisitBatch:
    """Fold raw events into a batch, hashing each identity under the key of its day.

    Events are first counted per (day, page, identity) — the day computed once per day, not
    per event — so the HMAC and the batch see each reader of a page once.
    """
    counts: Counter[tuple[date, str, int, str]] = Counter()
    day, start, end = date.min, 0.0, -1.0
    for timestamp, kind, object_id, identity in events:
        if not start <= timestamp < end:
            day = datetime.fromtimestamp(timestamp, SHANGHAI).date()
            midnight = datetime.combine(day, time.min, SHANGHAI)
            start, end = midnight.timestamp(), (midnight + timedelta(days=1)).timestamp()
        counts[day, kind, object_id, identity] += 1
    batch = VisitBatch()
    hashes: dict[tuple[date, str], str] = {}  # one HMAC per visitor and day, not per view
    for (day, kind, object_id, identity), views in counts.items():
        visitor = hashes.get((day, identity))
        if visitor is None:
            visitor = visitor_mac(day, identity.encode())[:VISITOR_HASH_CHARS]
            hashes[day, identity] = visitor
        batch.add(VisitKey(site, day, kind, object_id), (visitor,), views=views)
    return batch


def spool_write(directory: Path, batch: VisitBatch, *, name: str) -> Path:
    """Write a batch that could not be stored to ``directory`` (atomically, by rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{name}.json"
    partial = directory / f"{name}.part"
    partial.write_text(batch.to_json(), encoding="utf-8")
    partial.rename(final)
    return final
