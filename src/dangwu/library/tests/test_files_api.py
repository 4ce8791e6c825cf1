"""The file library's API: folders, files, multipart upload, download, search."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.access import SYSTEM
from dangwu.accounts.services import token_issue
from dangwu.library import files_services as services
from dangwu.library.models import LibraryFile
from dangwu.library.tests.files_factories import PNG, demo_pdf, exchange, folder, pdf_file

pytestmark = pytest.mark.django_db


def _headers(world, persona: str) -> dict[str, str]:
    _token, secret = token_issue(actor=world.user(persona), name="tests")
    return {"Authorization": f"Bearer {secret}"}


def test_folders_lists_only_what_the_caller_may_see(client, world):
    folder(world, name="工委文件资料", audience_all=True)
    exchange(world)
    names = {
        f["name"]
        for f in client.get(
            "/api/v1/library/folders", headers=_headers(world, "other_secretary")
        ).json()["items"]
    }
    assert names == {"工委文件资料"}
    names = {
        f["name"]
        for f in client.get("/api/v1/library/folders", headers=_headers(world, "secretary")).json()[
            "items"
        ]
    }
    assert names == {"工委文件资料", "交换"}


def test_upload_is_multipart_and_each_refused_file_says_why(client, world):
    shared = exchange(world)
    url = f"/api/v1/library/folders/{shared.pk}/files"
    headers = _headers(world, "secretary")
    ok = client.post(url, {"files": [pdf_file("一.pdf"), pdf_file("二.pdf")]}, headers=headers)
    assert ok.status_code == 201 and len(ok.json()["uploaded"]) == 2
    bad = client.post(
        url, {"files": [SimpleUploadedFile("假.pdf", PNG), pdf_file("一.pdf")]}, headers=headers
    )
    body = bad.json()
    assert bad.status_code == 400 and body["refused"][0]["name"] == "假.pdf"
    assert body["uploaded"][0]["version"] == 2
    listed = client.get(url, headers=headers).json()["items"]
    assert [(f["name"], f["version_count"]) for f in listed] == [("一.pdf", 2), ("二.pdf", 1)]


def test_a_third_organization_gets_404_for_list_upload_and_download(client, world):
    shared = exchange(world)
    stored = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file()).file
    headers = _headers(world, "other_secretary")
    url = f"/api/v1/library/folders/{shared.pk}/files"
    assert client.get(url, headers=headers).status_code == 404
    assert client.post(url, {"files": [pdf_file()]}, headers=headers).status_code == 404
    download = f"/api/v1/library/files/{stored.pk}/download"
    assert client.get(download, headers=headers).status_code == 404
    assert LibraryFile.objects.count() == 1


def test_download_sends_the_original_name_and_counts(client, world):
    shared = exchange(world)
    stored = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("材料.pdf")).file
    response = client.get(
        f"/api/v1/library/files/{stored.pk}/download",
        {"version": 1},
        headers=_headers(world, "clerk"),
    )
    assert response.status_code == 200 and quote("材料.pdf") in response["Content-Disposition"]
    stored.refresh_from_db()
    assert stored.download_count == 1
    bad = client.get(
        f"/api/v1/library/files/{stored.pk}/download",
        {"version": "x"},
        headers=_headers(world, "clerk"),
    )
    assert bad.status_code == 422


def test_search_finds_file_contents_for_who_may_see_them(
    client, world, django_capture_on_commit_callbacks
):
    shared = exchange(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.file_upload(
            actor=SYSTEM,
            folder=shared,
            upload=SimpleUploadedFile("报告.pdf", demo_pdf("民主评议党员工作报告")),
        )
    url = "/api/v1/library/files/search"
    found = client.get(url, {"q": "民主评议"}, headers=_headers(world, "secretary")).json()
    assert found["total"] == 1 and found["hits"][0]["folder"] == "交换"
    hidden = client.get(url, {"q": "民主评议"}, headers=_headers(world, "other_secretary")).json()
    assert hidden["total"] == 0
    assert client.get(url, {"q": ""}, headers=_headers(world, "secretary")).status_code == 422
