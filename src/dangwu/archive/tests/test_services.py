"""Archiving through the services: 档号 and 件号, immutability, re-archiving, export, search."""

import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation
from openpyxl import load_workbook

from dangwu.archive import selectors, services
from dangwu.archive.enums import Retention
from dangwu.archive.exports import catalogue_headers
from dangwu.archive.models import ArchiveFile, ArchiveItem, ArchiveSequence, ImmutableError
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.search import SearchFilters, search
from dangwu.incoming.services import SEARCH_KIND as INCOMING
from dangwu.incoming.tests.factories import incoming, scan

pytestmark = pytest.mark.django_db


def _archive(world, document, **values):
    return services.item_archive(
        actor=values.pop("actor", world.user("clerk")),
        kind=values.pop("kind", INCOMING),
        source_id=document.pk,
        retention=values.pop("retention", Retention.YEARS_30),
        unit=values.pop("unit", "BGS"),
        pages=values.pop("pages", 3),
        **values,
    )


def test_items_get_consecutive_numbers_per_year_retention_and_unit(world, settings):
    settings.ARCHIVE_FONDS_CODE = "0194"
    documents = [incoming(world, "completed", title=f"来文{i}") for i in range(4)]
    year = documents[0].document_date.year
    first = _archive(world, documents[0])
    second = _archive(world, documents[1])
    permanent = _archive(world, documents[2], retention=Retention.PERMANENT)
    other_unit = _archive(world, documents[3], unit="zzb")
    assert first.code == f"0194-WS·{year}-D30-BGS-0001"
    assert second.code == f"0194-WS·{year}-D30-BGS-0002"
    assert permanent.code == f"0194-WS·{year}-Y-BGS-0001"
    assert other_unit.code == f"0194-WS·{year}-D30-ZZB-0001"
    assert ArchiveSequence.objects.get(retention="D30", unit="BGS").last == 2


def test_the_catalogue_fields_and_files_come_from_the_document(world):
    document = incoming(world, "completed", upload=scan("正文.pdf"))
    item = _archive(world, document, remarks="原件存档")
    assert (item.title, item.responsible, item.doc_number) == (
        document.title,
        document.source,
        document.source_number,
    )
    assert item.date_code == f"{document.document_date:%Y%m%d}"
    assert (item.pages, item.remarks, item.classification) == (3, "原件存档", "非密")
    copy = item.files.get()
    original = document.files.get()
    assert copy.sha256 == original.sha256 and copy.original_name == "正文.pdf"
    assert copy.file.name != original.file.name
    assert AuditRecord.objects.filter(action="archive.item_archived").count() == 1


def test_only_finished_documents_are_archived_and_only_once(world):
    with pytest.raises(DomainError):
        _archive(world, incoming(world, "handling"))
    document = incoming(world, "completed")
    _archive(world, document)
    with pytest.raises(DomainError):
        _archive(world, document)
    assert ArchiveItem.objects.count() == 1
    assert ArchiveSequence.objects.get().last == 1


@pytest.mark.parametrize(
    ("persona", "error"),
    [("leader", Forbidden), ("other_secretary", NotFound), ("secretary", NotFound)],
)
def test_only_document_clerks_archive(world, persona, error):
    document = incoming(world, "completed")
    with pytest.raises(error):
        _archive(world, document, actor=world.user(persona))
    assert ArchiveItem.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [({"retention": "D5"}, "retention"), ({"unit": "办公室"}, "unit"), ({"pages": 0}, "pages")],
)
def test_bad_archive_values_are_refused_and_no_number_is_used(world, values, field):
    document = incoming(world, "completed")
    with pytest.raises(ValidationFailed) as refused:
        _archive(world, document, **values)
    assert refused.value.errors[0][0] == field
    assert ArchiveItem.objects.count() == 0
    assert not ArchiveSequence.objects.filter(last__gt=0).exists()


def test_an_unknown_kind_of_source_is_answered_as_missing(world):
    with pytest.raises(NotFound):
        _archive(world, incoming(world, "completed"), kind="nothing.here")


def test_archived_items_cannot_be_changed_or_deleted(world):
    item = _archive(world, incoming(world, "completed", upload=scan()))
    item.title = "改过的题名"
    with pytest.raises(ImmutableError):
        item.save()
    with pytest.raises(ImmutableError):
        item.delete()
    with pytest.raises(ImmutableError):
        ArchiveItem.objects.filter(pk=item.pk).update(title="改过的题名")
    with pytest.raises(ImmutableError):
        ArchiveFile.objects.filter(item=item).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE archive_archiveitem SET title = 'x'",
        "DELETE FROM archive_archiveitem",
        "UPDATE archive_archivefile SET original_name = 'x'",
        "DELETE FROM archive_archivefile",
    ],
)
def test_the_database_refuses_changing_archived_rows_too(world, sql):
    item = _archive(world, incoming(world, "completed", upload=scan()))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    item_again = ArchiveItem.objects.get(pk=item.pk)
    assert item_again.title == item.title and item_again.files.count() == 1


def test_a_correction_is_a_new_version_and_the_old_one_stays(world):
    clerk = world.user("clerk")
    item = _archive(world, incoming(world, "completed", upload=scan()))
    new = services.item_rearchive(
        actor=clerk, item=item, reason="题名录入有误", title="关于做好2026年度党员发展工作的通知"
    )
    assert (new.code, new.version, new.previous, new.reason) == (item.code, 2, item, "题名录入有误")
    assert new.files.get().file.name == item.files.get().file.name
    old = ArchiveItem.objects.get(pk=item.pk)
    assert old.title == item.title
    assert list(selectors.catalogue(clerk)) == [new]
    record = AuditRecord.objects.get(action="archive.item_rearchived")
    assert record.details["fields"] == ["title"] and record.details["reason"] == "题名录入有误"
    with pytest.raises(DomainError):
        services.item_rearchive(actor=clerk, item=old, reason="再改", pages=9)


@pytest.mark.parametrize(
    ("reason", "changes", "field"),
    [
        ("", {"title": "新题名"}, "reason"),
        ("原因", {}, "title"),
        ("原因", {"classification": "秘密"}, "classification"),
        ("原因", {"code": "0001-WS·2026-Y-BGS-0009"}, "code"),
    ],
)
def test_a_bad_correction_is_refused_and_writes_nothing(world, reason, changes, field):
    item = _archive(world, incoming(world, "completed"))
    with pytest.raises(ValidationFailed) as refused:
        services.item_rearchive(actor=world.user("clerk"), item=item, reason=reason, **changes)
    assert refused.value.errors[0][0] == field
    assert ArchiveItem.objects.count() == 1


def test_leaders_read_the_archive_but_do_not_correct_it(world):
    item = _archive(world, incoming(world, "completed"))
    assert list(selectors.catalogue(world.user("leader"))) == [item]
    assert list(selectors.catalogue(world.user("secretary"))) == []
    with pytest.raises(Forbidden):
        services.item_rearchive(actor=world.user("leader"), item=item, reason="x", pages=5)


def test_the_catalogue_export_has_the_da_t_22_columns_and_the_chosen_year(world):
    first = _archive(world, incoming(world, "completed", title="甲"))
    _archive(world, incoming(world, "completed", title="乙"), retention=Retention.PERMANENT)
    with translation.override("zh-hans"):
        content, rows = services.catalogue_export(
            actor=world.user("leader"), year=first.year, retention=Retention.YEARS_30
        )
        headers = catalogue_headers()
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.values)
    assert list(values[0]) == headers
    assert rows == 1
    assert list(values[1]) == [
        1,
        first.code,
        first.doc_number,
        first.responsible,
        "甲",
        first.date_code,
        "非密",
        3,
        None,
    ]
    assert AuditRecord.objects.filter(action="archive.catalogue_exported").count() == 1
    with pytest.raises(Forbidden):
        services.catalogue_export(actor=world.user("secretary"), year=None)


def test_search_finds_archived_items_only_for_archive_readers(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = _archive(world, incoming(world, "completed", title="关于加强机关作风建设的意见"))

    def found(persona: str) -> list[int]:
        results = search(
            user=world.user(persona),
            query="作风建设",
            filters=SearchFilters(kinds=(services.SEARCH_KIND,)),
        )
        return [hit.object_id for hit in results.hits]

    assert found("clerk") == [item.pk] and found("leader") == [item.pk]
    assert found("secretary") == [] and found("member") == []
    with django_capture_on_commit_callbacks(execute=True):
        new = services.item_rearchive(
            actor=world.user("clerk"), item=item, reason="页数有误", pages=5
        )
    assert found("clerk") == [new.pk]
