"""What apps plug into the archive: a provider per kind of finished document.

A provider fetches a source object for a user (the source app's own access rule decides, with
its NotFound for "missing or not yours"), says whether it is finished, and turns it into the
catalogue fields and files of an archived item. Providers are registered at import time in
every process alike (see ``archive/sources.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models.fields.files import FieldFile

from dangwu.orgs.models import Organization


@dataclass(frozen=True)
class SourceFile:
    """A file of the source, copied into the archive with the item."""

    file: FieldFile
    name: str
    content_type: str
    size: int
    sha256: str
    text: str = ""


@dataclass(frozen=True)
class SourceRecord:
    """The catalogue fields (归档文件目录) a source gives its archived item."""

    organization: Organization
    title: str
    responsible: str
    date: date
    classification: str
    doc_number: str = ""
    pages: int | None = None  # None: the archivist counts them
    remarks: str = ""
    files: list[SourceFile] = field(default_factory=list)


class ArchiveProvider:
    """Base class; subclass, set ``kind`` and ``label`` and implement the methods."""

    kind: str = ""
    label: Any = ""

    def fetch(self, user: Any, pk: int) -> Any:
        """Return the source object ``pk`` if ``user`` may see it; raise NotFound otherwise."""
        raise NotImplementedError

    def is_finished(self, obj: Any) -> bool:
        """Return True when the object is finished and may be archived."""
        raise NotImplementedError

    def record(self, obj: Any) -> SourceRecord:
        """Return the catalogue fields and files of ``obj``."""
        raise NotImplementedError

    def url(self, pk: int) -> str:
        """Return the address of the source object's page."""
        raise NotImplementedError


_providers: dict[str, ArchiveProvider] = {}


def register_archive_provider(provider: ArchiveProvider) -> ArchiveProvider:
    """Register ``provider`` for its kind (again: replace it, as module reloads do)."""
    if not provider.kind:
        raise ValueError("an archive provider needs a kind")
    _providers[provider.kind] = provider
    return provider


def archive_providers() -> dict[str, ArchiveProvider]:
    """Return the registered providers by kind."""
    return dict(_providers)


def archive_provider(kind: str) -> ArchiveProvider | None:
    """Return the provider of ``kind``, or None for an unknown kind."""
    return _providers.get(kind)
