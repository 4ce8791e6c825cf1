"""The archive's pages: archive a completed document, the catalogue and its export, correct."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from dangwu.archive import services
from dangwu.archive.enums import Retention
from dangwu.archive.models import ArchiveItem
from dangwu.incoming.services import SEARCH_KIND as INCOMING
from dangwu.incoming.tests.factories import incoming, scan

pytestmark = pytest.mark.django_db


def zh(msgid: str, **values) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % values if values else text


def _archived(world, **values):
    return services.item_archive(
        actor=world.user("clerk"),
        kind=INCOMING,
        source_id=incoming(world, "completed", **values).pk,
        retention=Retention.YEARS_30,
        unit="BGS",
        pages=2,
    )


def test_the_clerk_archives_a_completed_document_from_its_page(client_for, world):
    document = incoming(world, "completed", upload=scan())
    client = client_for("clerk")
    detail = client.get(f"/incoming/{document.pk}/").content.decode()
    assert zh("Archive this document") in detail
    form = client.get(f"/archive/new/?kind={INCOMING}&source={document.pk}")
    assert form.status_code == 200 and document.title in form.content.decode()
    response = client.post(
        "/archive/new/",
        {"kind": INCOMING, "source": document.pk, "retention": "D30", "unit": "BGS", "pages": 4},
    )
    item = ArchiveItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/archive/items/{item.pk}/"
    assert item.pages == 4 and item.files.count() == 1
    assert item.code in client.get(f"/incoming/{document.pk}/").content.decode()


def test_a_missing_retention_is_explained_and_nothing_is_archived(client_for, world):
    document = incoming(world, "completed")
    response = client_for("clerk").post(
        "/archive/new/", {"kind": INCOMING, "source": document.pk, "unit": "BGS", "pages": 4}
    )
    assert response.status_code == 400
    assert ArchiveItem.objects.count() == 0


def test_the_catalogue_lists_items_and_exports_them_as_excel(client_for, world):
    item = _archived(world, title="关于做好换届工作的意见")
    client = client_for("leader")
    page = client.get("/archive/").content.decode()
    assert item.code in page and "关于做好换届工作的意见" in page
    response = client.get(f"/archive/catalogue.xlsx?year={item.year}&retention=D30")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][1] == item.code and len(rows) == 2


def test_a_correction_from_the_item_page_becomes_a_new_version(client_for, world):
    item = _archived(world)
    client = client_for("clerk")
    values = {
        "doc_number": item.doc_number,
        "responsible": item.responsible,
        "title": "更正后的题名",
        "date": item.date.isoformat(),
        "classification": item.classification,
        "pages": item.pages,
        "remarks": "",
        "reason": "题名有误",
    }
    refused = client.post(f"/archive/items/{item.pk}/correct/", {**values, "reason": ""})
    assert refused.status_code == 400 and ArchiveItem.objects.count() == 1
    response = client.post(f"/archive/items/{item.pk}/correct/", values)
    new = ArchiveItem.objects.get(version=2)
    assert response["Location"] == f"/archive/items/{new.pk}/"
    old_page = client.get(f"/archive/items/{item.pk}/").content.decode()
    assert zh("This is an earlier version. It was corrected later:") in old_page


@pytest.mark.parametrize("persona", ["secretary", "member", "other_secretary", "auditor"])
def test_people_outside_the_archive_get_nothing(client_for, world, persona):
    item = _archived(world, upload=scan())
    client = client_for(persona)
    assert client.get(f"/archive/items/{item.pk}/").status_code in (403, 404)
    assert client.get(f"/archive/files/{item.files.get().pk}/").status_code == 404
    assert client.get("/archive/catalogue.xlsx").status_code == 403


def test_the_catalogue_costs_no_query_per_row(client_for, world, django_assert_max_num_queries):
    client = client_for("clerk")

    def count() -> int:
        with django_assert_max_num_queries(15) as captured:
            assert client.get("/archive/").status_code == 200
        return len(captured)

    _archived(world)
    few = count()
    for n in range(10):
        _archived(world, title=f"来文{n}")
    assert count() == few


def test_the_document_search_finds_incoming_and_archived_documents_for_their_readers(
    client_for, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = _archived(world, title="关于推进模范机关创建的通知")
        pending = incoming(world, "proposed", title="关于模范机关创建评估的通知")
    clerk_page = client_for("clerk").get("/archive/search/?q=模范机关").content.decode()
    assert f"/archive/items/{item.pk}/" in clerk_page and f"/incoming/{pending.pk}/" in clerk_page
    secretary_page = client_for("secretary").get("/archive/search/?q=模范机关").content.decode()
    assert (
        "/archive/items/" not in secretary_page
        and "/incoming/" not in secretary_page.split("<main")[1]
    )
