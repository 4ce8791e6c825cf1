"""The kinds of records a bundle may carry, registered by the apps that own the data.

A kind names its route (which site sends it to which), how the sending site lists every record
that should exist on the receiving site now (``collect``), and how the receiving site creates,
updates or removes one (``upsert`` / ``delete``). The exchange computes what changed; a kind only
describes its records. See docs/exchange.md ("Adding a record kind").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.storage import Storage, default_storage
from django.db import transaction


@dataclass(frozen=True)
class OutgoingFile:
    """A file a record refers to by its SHA-256; ``open`` returns its bytes as a stream."""

    sha256: str
    open: Callable[[], IO[bytes]]


@dataclass(frozen=True)
class Outgoing:
    """One record as the sending site sees it: its data (JSON-ready) and the files it needs."""

    uuid: str
    data: dict[str, Any]
    files: tuple[OutgoingFile, ...] = ()


@dataclass
class ApplyContext:
    """What an ``upsert`` / ``delete`` may use while a bundle is applied.

    ``open_file(sha256)`` streams a verified file of the bundle; ``store`` saves it and remembers
    the name so that a failure removes it again; ``discard`` removes a replaced file only once
    the transaction has committed (a rollback must find the old file still there).
    """

    open_file: Callable[[str], IO[bytes]]
    storage: Storage = field(default_factory=lambda: default_storage)
    written: list[str] = field(default_factory=list)
    # Bookkeeping a kind keeps across the records of one bundle (e.g. what to reindex).
    notes: dict[str, Any] = field(default_factory=dict)
    _later: list[Callable[[], None]] = field(default_factory=list)

    def stored(self, name: str) -> None:
        """Note that ``name`` was written for this bundle (removed again on failure)."""
        self.written.append(name)

    def discard(self, name: str) -> None:
        """Remove the stored file ``name`` once the bundle's transaction has committed."""
        if name:
            transaction.on_commit(lambda: self.storage.delete(name))

    def later(self, step: Callable[[], None]) -> None:
        """Run ``step`` after every record of the bundle was applied (forward references)."""
        self._later.append(step)

    def run_later(self) -> None:
        for step in self._later:
            step()
        self._later.clear()

    def clean_up(self) -> None:
        """Remove the files written for a bundle that was not applied."""
        for name in self.written:
            self.storage.delete(name)
        self.written.clear()


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: ``name`` is namespaced by app (``portal.article``).

    ``order``: creations run in ascending order (parents before children), removals in
    descending order (children before parents).

    ``handed_over``: for records that *move* rather than replicate (items of the public intake
    form): every collected record is sent, none is remembered, and once the bundle is written
    the exporter calls ``handed_over(uuids)`` inside its transaction so that the sending site
    removes them; if the export fails, they stay.
    """

    name: str
    source: str
    target: str
    order: int
    collect: Callable[[], Iterable[Outgoing]]
    upsert: Callable[[ApplyContext, str, dict[str, Any]], None]
    delete: Callable[[ApplyContext, str], None]
    handed_over: Callable[[list[str]], None] | None = None


_kinds: dict[str, RecordKind] = {}


def register_kind(kind: RecordKind) -> RecordKind:
    """Register ``kind``; registering the same name again replaces it."""
    _kinds[kind.name] = kind
    return kind


def kinds_for(source: str, target: str) -> list[RecordKind]:
    """Return the kinds travelling from ``source`` to ``target``, parents first."""
    return sorted(
        (k for k in _kinds.values() if (k.source, k.target) == (source, target)),
        key=lambda k: (k.order, k.name),
    )


def kind_named(name: str) -> RecordKind | None:
    return _kinds.get(name)


def routes() -> set[tuple[str, str]]:
    """Return every (source, target) pair some kind travels on."""
    return {(k.source, k.target) for k in _kinds.values()}


def collect_all(source: str, target: str) -> Iterator[tuple[RecordKind, Outgoing]]:
    for kind in kinds_for(source, target):
        for record in kind.collect():
            yield kind, record
