"""The file library's pages and selectors: home and folder in a fixed number of queries, uploads
with and without JavaScript, preview and download under the original name, search."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangwu.access import SYSTEM
from dangwu.library import files_selectors as selectors
from dangwu.library import files_services as services
from dangwu.library.enums import FolderKind
from dangwu.library.models import LibraryFile
from dangwu.library.tests.files_factories import PNG, demo_pdf, exchange, folder, pdf_file

pytestmark = pytest.mark.django_db


def _fill(world, shared, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.file_upload(
            actor=world.user("secretary"), folder=shared, upload=pdf_file(f"材料{i}.pdf")
        )


def test_the_folder_page_takes_the_same_number_of_queries_for_2_or_20_files(client, world):
    shared = exchange(world)
    client.force_login(world.user("clerk"))
    _fill(world, shared, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/library/files/folders/{shared.pk}/").status_code == 200
    _fill(world, shared, 18, start=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/library/files/folders/{shared.pk}/")
    assert response.status_code == 200 and "材料19.pdf" in response.content.decode()
    assert len(many) == len(few)


def test_the_home_selector_takes_two_queries_whatever_the_number_of_folders(
    world, django_assert_max_num_queries
):
    for i in range(5):
        folder(world, name=f"资料{i}", audience_all=True)
        exchange(world) if i == 0 else None
    user = world.user("secretary")
    with django_assert_max_num_queries(2):
        home = selectors.library_home(user=user)
    assert len(home.committee) == 5 and len(home.exchange) == 1


def test_the_home_page_groups_committee_organization_and_exchange_folders(client, world):
    folder(world, name="工委文件资料", audience_all=True)
    shared = exchange(world)
    link = f"/library/files/folders/{shared.pk}/"  # its name 交换 is also in the page's title
    folder(world, FolderKind.ORGANIZATION, name="本组织资料")
    client.force_login(world.user("secretary"))
    page = client.get("/library/files/").content.decode()
    assert "工委文件资料" in page and link in page and "本组织资料" in page
    client.force_login(world.user("other_secretary"))
    page = client.get("/library/files/").content.decode()
    assert "工委文件资料" in page and link not in page and "本组织资料" not in page


def test_several_files_upload_at_once_without_javascript(client, world):
    shared = exchange(world)
    client.force_login(world.user("secretary"))
    response = client.post(
        f"/library/files/folders/{shared.pk}/upload/",
        {"files": [pdf_file("一.pdf"), pdf_file("二.pdf"), SimpleUploadedFile("三.png", PNG)]},
    )
    assert response.status_code == 302
    assert sorted(LibraryFile.objects.values_list("name", flat=True)) == sorted(
        ["一.pdf", "二.pdf", "三.png"]
    )


def test_a_refused_file_among_several_is_named_and_the_others_are_kept(client, world):
    shared = exchange(world)
    client.force_login(world.user("secretary"))
    response = client.post(
        f"/library/files/folders/{shared.pk}/upload/",
        {"files": [pdf_file("好.pdf"), SimpleUploadedFile("坏.pdf", PNG)]},
    )
    assert response.status_code == 400 and "坏.pdf" in response.content.decode()
    assert list(LibraryFile.objects.values_list("name", flat=True)) == ["好.pdf"]


def test_an_upload_from_the_progress_script_is_answered_in_json(client, world):
    shared = exchange(world)
    client.force_login(world.user("clerk"))
    url = f"/library/files/folders/{shared.pk}/upload/"
    ok = client.post(url, {"files": pdf_file()}, headers={"Accept": "application/json"})
    assert ok.status_code == 201 and ok.json()["version"] == 1
    bad = client.post(
        url, {"files": SimpleUploadedFile("坏.pdf", PNG)}, headers={"Accept": "application/json"}
    )
    assert bad.status_code == 400 and bad.json()["error"]


def test_a_third_organization_gets_404_on_every_page_of_an_exchange_folder(client, world):
    shared = exchange(world)
    stored = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file()).file
    client.force_login(world.user("other_secretary"))
    for url in (
        f"/library/files/folders/{shared.pk}/",
        f"/library/files/{stored.pk}/",
        f"/library/files/{stored.pk}/download/",
        f"/library/files/{stored.pk}/preview/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/library/files/folders/{shared.pk}/upload/").status_code == 404
    assert client.post(f"/library/files/{stored.pk}/delete/").status_code == 404


def test_download_sends_the_chinese_name_and_counts_and_preview_is_inline(client, world):
    shared = exchange(world)
    stored = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("学习材料.pdf")).file
    client.force_login(world.user("secretary"))
    response = client.get(f"/library/files/{stored.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("学习材料.pdf") in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    preview = client.get(f"/library/files/{stored.pk}/preview/")
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Type"] == "application/pdf"
    assert preview["X-Content-Type-Options"] == "nosniff"
    stored.refresh_from_db()
    assert stored.download_count == 1  # a preview is not a download


def test_an_older_version_is_downloaded_with_v(client, world):
    shared = exchange(world)
    first = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("稿.pdf", "一"))
    services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("稿.pdf", "二稿"))
    client.force_login(world.user("secretary"))
    response = client.get(f"/library/files/{first.file_id}/download/?v=1")
    assert b"".join(response.streaming_content) == first.blob.open("rb").read()
    assert client.get(f"/library/files/{first.file_id}/download/?v=9").status_code == 404
    assert client.get(f"/library/files/{first.file_id}/download/?v=x").status_code == 404
    page = client.get(f"/library/files/{first.file_id}/").content.decode()
    assert "?v=1" in page and "?v=2" in page


def test_a_word_file_has_no_preview(client, world):
    from dangwu.library.files_demo import demo_docx

    shared = exchange(world)
    stored = services.file_upload(
        actor=SYSTEM, folder=shared, upload=SimpleUploadedFile("稿.docx", demo_docx("正文"))
    ).file
    client.force_login(world.user("secretary"))
    assert client.get(f"/library/files/{stored.pk}/preview/").status_code == 404


def test_search_finds_a_file_by_a_word_of_its_content_only_for_who_may_see_it(
    client, world, django_capture_on_commit_callbacks
):
    shared = exchange(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.file_upload(
            actor=SYSTEM,
            folder=shared,
            upload=SimpleUploadedFile("总结.pdf", demo_pdf("关于组织生活会的情况报告")),
        )
    client.force_login(world.user("secretary"))
    page = client.get("/library/files/search/", {"q": "组织生活会"}).content.decode()
    assert "总结.pdf" in page
    client.force_login(world.user("other_secretary"))
    page = client.get("/library/files/search/", {"q": "组织生活会"}).content.decode()
    assert "总结.pdf" not in page


def test_a_manager_creates_a_subfolder_and_a_top_level_folder(client, world):
    client.force_login(world.user("orgclerk"))
    response = client.post(
        "/library/files/folders/new/",
        {"name": "学习资料", "kind": FolderKind.COMMITTEE, "audience_all": "on"},
    )
    assert response.status_code == 302
    top = selectors.folders_visible(user=world.user("member")).get(name="学习资料")
    response = client.post(f"/library/files/folders/{top.pk}/new/", {"name": "2026年"})
    assert response.status_code == 302 and top.children.get().name == "2026年"
    bad = client.post("/library/files/folders/new/", {"name": "", "kind": FolderKind.COMMITTEE})
    assert bad.status_code == 400
