"""The archive through the API: archive, correct, catalogue, export and search."""

import io

import pytest
from openpyxl import load_workbook

from dangwu.archive.models import ArchiveItem
from dangwu.incoming.services import SEARCH_KIND as INCOMING
from dangwu.incoming.tests.factories import incoming

pytestmark = pytest.mark.django_db
API = "/api/v1/archive"


def _post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def test_archive_correct_list_and_export_through_the_api(client_for, world):
    document = incoming(world, "completed")
    clerk = client_for("clerk")
    created = _post(
        clerk,
        f"{API}/items",
        {"kind": INCOMING, "source_id": document.pk, "retention": "Y", "pages": 2},
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert (
        item["code"].endswith("-Y-BGS-0001") and item["date"] == f"{document.document_date:%Y%m%d}"
    )
    again = _post(
        clerk,
        f"{API}/items",
        {"kind": INCOMING, "source_id": document.pk, "retention": "Y", "pages": 2},
    )
    assert again.status_code == 400 and ArchiveItem.objects.count() == 1

    corrected = _post(
        clerk, f"{API}/items/{item['id']}/rearchive", {"reason": "页数有误", "pages": 3}
    )
    assert corrected.status_code == 201
    assert corrected.json()["version"] == 2 and corrected.json()["previous_id"] == item["id"]
    listed = client_for("leader").get(f"{API}/items").json()["items"]
    assert [(i["code"], i["pages"]) for i in listed] == [(item["code"], 3)]
    export = client_for("leader").get(f"{API}/catalogue.xlsx?retention=Y")
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[1][1] == item["code"] and rows[1][7] == 3


def test_unknown_or_hidden_sources_are_404_and_readers_cannot_archive(client_for, world):
    document = incoming(world, "completed")
    body = {"kind": INCOMING, "source_id": document.pk, "retention": "D10", "pages": 1}
    assert _post(client_for("secretary"), f"{API}/items", body).status_code == 404
    assert _post(client_for("leader"), f"{API}/items", body).status_code == 403
    unknown = {**body, "kind": "nothing.here"}
    assert _post(client_for("clerk"), f"{API}/items", unknown).status_code == 404
    assert ArchiveItem.objects.count() == 0


def test_search_through_the_api_finds_only_what_the_caller_may_see(
    client_for, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = incoming(world, "proposed", title="关于开展廉洁文化建设的通知")
    found = client_for("leader").get(f"{API}/search", {"q": "廉洁文化"}).json()
    assert [hit["id"] for hit in found["items"]] == [document.pk] and found["count"] == 1
    hidden = client_for("secretary").get(f"{API}/search", {"q": "廉洁文化"}).json()
    assert hidden["count"] == 0 and hidden["items"] == []
