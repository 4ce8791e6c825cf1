"""Writes for the archive: archiving a finished document as an item, and re-archiving.

The 件号 comes from the per-(fonds, year, retention, unit) sequence, taken under a row lock (on
SQLite the IMMEDIATE transaction holds the database's write lock), so numbers have no gaps and
no repeats even when clerks archive at the same moment. Items are immutable: a correction is a
new version with the reason, linked to the one it replaces, and audited.
"""

from datetime import date
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.archive import conf
from dangwu.archive import permissions as perms
from dangwu.archive.enums import CATEGORY, Classification, Retention
from dangwu.archive.models import ArchiveFile, ArchiveItem, ArchiveSequence
from dangwu.archive.providers import SourceRecord, archive_provider
from dangwu.audit.services import audit_record
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, NotFound, ValidationFailed
from dangwu.core.files import files_removed_on_error
from dangwu.core.search import index_on_commit

SEARCH_KIND = "archive.item"
# Fields a re-archive may correct; the 档号 (fonds, year, retention, unit, 件号) never changes.
CORRECTABLE = (
    "doc_number",
    "responsible",
    "title",
    "date",
    "classification",
    "pages",
    "remarks",
)


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def archival_code(*, fonds: str, year: int, retention: str, unit: str, number: int) -> str:
    """Return the 档号 全宗号-WS·年度-保管期限-机构代码-件号, e.g. 0194-WS·2016-D30-BGS-0001."""
    return f"{fonds}-{CATEGORY}·{year}-{retention}-{unit}-{number:04d}"


def _next_number(*, fonds: str, year: int, retention: str, unit: str) -> int:
    sequence, _created = ArchiveSequence.objects.select_for_update().get_or_create(
        fonds=fonds, year=year, retention=retention, unit=unit
    )
    ArchiveSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db(fields=["last"])
    return sequence.last


def _clean_catalogue(values: dict[str, Any]) -> dict[str, Any]:
    """Check the catalogue fields; raise ValidationFailed naming the first problem."""
    cleaned: dict[str, Any] = {}
    for field, limit, required in (
        ("title", 200, True),
        ("responsible", 100, True),
        ("doc_number", 60, False),
        ("remarks", 200, False),
    ):
        text = (values.get(field) or "").strip()
        if required and not text:
            raise _problem(field, _("This field is required."))
        if len(text) > limit:
            raise _problem(field, _("At most %(n)d characters are allowed here.") % {"n": limit})
        cleaned[field] = text
    if not isinstance(values.get("date"), date):
        raise _problem("date", _("Enter the date of the document."))
    cleaned["date"] = values["date"]
    pages = values.get("pages")
    if not isinstance(pages, int) or pages < 1 or pages > 100000:
        raise _problem("pages", _("Enter the number of pages with content (1 or more)."))
    cleaned["pages"] = pages
    level = values.get("classification") or ""
    if problem := classification_problem(cleaned["title"], declared_level=level):
        raise _problem("classification", problem)
    if level not in Classification.values:
        raise _problem("classification", _("Choose the classification: 非密 or 内部."))
    cleaned["classification"] = level
    return cleaned


def _copy_files(item: ArchiveItem, record: SourceRecord, written: list[str]) -> None:
    for source in record.files:
        copy = ArchiveFile(
            item=item,
            original_name=source.name,
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
            text=source.text,
        )
        with source.file.open("rb") as handle:
            copy.file.save("archived", File(handle), save=False)
        written.append(copy.file.name)
        copy.save()


@transaction.atomic
def item_archive(
    *,
    actor: Any,
    kind: str,
    source_id: int,
    retention: str,
    unit: str = "",
    pages: int | None = None,
    remarks: str = "",
) -> ArchiveItem:
    """Archive the finished object ``source_id`` of ``kind`` as a new item with its files.

    The year is the document's; the 件号 the next of its class. Refused: an unknown or unseen
    source (404), one not finished, one already archived, bad catalogue values.
    """
    provider = archive_provider(kind)
    if provider is None:
        raise NotFound(_("This document does not exist, or you may not see it."))
    source = provider.fetch(actor, source_id)
    record = provider.record(source)
    access.require(actor, perms.MANAGE, record.organization)
    if not provider.is_finished(source):
        raise DomainError(_("Only finished documents can be archived."))
    if ArchiveItem.objects.filter(source_kind=kind, source_id=source_id).exists():
        raise DomainError(_("This document is already archived."))
    if retention not in Retention.values:
        raise _problem("retention", _("Choose the retention period."))
    unit = (unit or conf.default_unit()).strip().upper()
    if not conf.CODE_PATTERN.match(unit):
        raise _problem(
            "unit", _("The unit code is 1 to 10 capital letters or digits, for example BGS.")
        )
    cleaned = _clean_catalogue(
        {
            "title": record.title,
            "responsible": record.responsible,
            "doc_number": record.doc_number,
            "remarks": remarks or record.remarks,
            "date": record.date,
            "pages": pages if pages is not None else record.pages,
            "classification": record.classification,
        }
    )
    fonds, year = conf.fonds_code(), record.date.year
    number = _next_number(fonds=fonds, year=year, retention=retention, unit=unit)
    with files_removed_on_error(ArchiveFile.file.field.storage) as written:
        item = ArchiveItem.objects.create(
            organization=record.organization,
            fonds=fonds,
            year=year,
            retention=retention,
            unit=unit,
            item_number=number,
            code=archival_code(
                fonds=fonds, year=year, retention=retention, unit=unit, number=number
            ),
            source_kind=kind,
            source_id=source_id,
            archived_by=actor if getattr(actor, "pk", None) else None,
            archived_by_name=str(actor),
            **cleaned,
        )
        _copy_files(item, record, written)
        audit_record(
            actor=actor,
            action="archive.item_archived",
            target=item,
            details={"code": item.code, "source": f"{kind}:{source_id}"},
        )
    index_on_commit(SEARCH_KIND, [item.pk])
    return item


@transaction.atomic
def item_rearchive(*, actor: Any, item: ArchiveItem, reason: str, **changes: Any) -> ArchiveItem:
    """Correct an item by archiving a new version (same 档号) with the reason; nothing is changed.

    Only the newest version can be corrected; the files stay with the item.
    """
    access.require(actor, perms.MANAGE, item)
    reason = (reason or "").strip()
    if not reason:
        raise _problem("reason", _("Say why the item is corrected; the reason is kept with it."))
    if len(reason) > 2000:
        raise _problem("reason", _("At most %(n)d characters are allowed here.") % {"n": 2000})
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise _problem(sorted(unknown)[0], _("This field cannot be corrected."))
    if ArchiveItem.objects.filter(previous=item).exists():
        raise DomainError(_("A newer version of this item exists; correct that one."))
    merged = {f: getattr(item, f) for f in CORRECTABLE} | changes
    cleaned = _clean_catalogue(merged)
    changed = [f for f in CORRECTABLE if cleaned[f] != getattr(item, f)]
    if not changed:
        raise _problem("title", _("Nothing was changed."))
    new = ArchiveItem.objects.create(
        organization_id=item.organization_id,
        fonds=item.fonds,
        year=item.year,
        retention=item.retention,
        unit=item.unit,
        item_number=item.item_number,
        code=item.code,
        version=item.version + 1,
        previous=item,
        reason=reason,
        source_kind=item.source_kind,
        source_id=item.source_id,
        archived_by=actor if getattr(actor, "pk", None) else None,
        archived_by_name=str(actor),
        **cleaned,
    )
    # The stored files are immutable too: the new version refers to the same ones.
    ArchiveFile.objects.bulk_create(
        ArchiveFile(
            item=new,
            file=f.file.name,
            original_name=f.original_name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            text=f.text,
        )
        for f in item.files.all()
    )
    audit_record(
        actor=actor,
        action="archive.item_rearchived",
        target=new,
        details={"code": new.code, "version": new.version, "fields": changed, "reason": reason},
    )
    index_on_commit(SEARCH_KIND, [item.pk, new.pk])
    return new


def catalogue_export(*, actor: Any, year: int | None, retention: str = "") -> tuple[bytes, int]:
    """Return the catalogue (newest versions) as .xlsx for a year / retention; audited."""
    from dangwu.archive.exports import catalogue_workbook
    from dangwu.archive.selectors import catalogue

    access.require(actor, perms.VIEW)
    if retention and retention not in Retention.values:
        raise _problem("retention", _("Choose the retention period."))
    title = _("Archive catalogue")
    if year is not None:
        title = f"{title} {year}"
    content, rows = catalogue_workbook(
        catalogue(actor, year=year, retention=retention).iterator(chunk_size=2000),
        sheet_title=title,
    )
    audit_record(
        actor=actor,
        action="archive.catalogue_exported",
        details={"year": year, "retention": retention, "rows": rows},
    )
    return content, rows
