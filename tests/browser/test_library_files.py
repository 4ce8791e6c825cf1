"""The file library in a real browser: the secretary of 第一机关党委 uploads three files into
the exchange folder with the committee (with JavaScript: one request and a progress bar per
file); the committee's document clerk sees them, previews the PDF and downloads a file under its
Chinese name; the other organization's secretary gets 404 for the folder and the files. axe-core
runs on every page, normal and care mode."""

from urllib.parse import quote

import pytest

from dangwu.library.enums import FolderKind
from dangwu.library.models import LibraryFile
from dangwu.library.tests.files_factories import PNG, demo_docx, demo_pdf, exchange, folder
from tests.browser.helpers import zh

pytestmark = pytest.mark.browser


def _sign_in_as(site, username: str) -> None:
    site.page.context.clear_cookies()
    site.sign_in(username)


def test_a_secretary_uploads_three_files_the_committee_sees_them_a_third_organization_cannot(
    site, world, tmp_path
):
    shared = exchange(world)
    folder(world, FolderKind.COMMITTEE, name="工委文件资料", audience_all=True)
    files = {
        "一季度总结.pdf": demo_pdf("第一季度党建工作总结"),
        "活动照片.png": PNG,
        "学习计划.docx": demo_docx("学习计划"),
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    page = site.page

    site.sign_in("demo-secretary")
    site.go("/library/files/")
    site.assert_accessible()
    site.follow(shared.name)
    site.assert_accessible()
    page.locator("input[type=file]").set_input_files(paths)  # the label 文件 is in others too
    with page.expect_navigation():  # the script reloads the folder once every file is in
        page.get_by_role("button", name=zh("Upload the files")).click()
    for name in files:
        assert page.get_by_role("link", name=name).is_visible()
    assert LibraryFile.objects.filter(folder=shared).count() == 3
    site.assert_accessible()

    _sign_in_as(site, "demo-clerk")
    site.go(f"/library/files/folders/{shared.pk}/")
    site.follow("一季度总结.pdf")
    site.assert_accessible()
    href = page.get_by_role("link", name=zh("Preview in the browser")).get_attribute("href")
    preview = page.request.get(site.base_url + href)
    assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline")
    with page.expect_download() as info:
        page.get_by_role("link", name=zh("Download"), exact=True).first.click()
    assert info.value.suggested_filename == "一季度总结.pdf"
    site.go(f"/library/files/folders/{shared.pk}/")
    site.follow("活动照片.png")
    assert page.locator(".file-preview img").evaluate("img => img.naturalWidth >= 0")
    site.assert_accessible()
    site.go("/library/files/search/?q=一季度")
    site.assert_accessible()

    stored = LibraryFile.objects.get(name="一季度总结.pdf")
    assert stored.download_count == 1
    _sign_in_as(site, "demo-other-secretary")
    for path in (f"/library/files/folders/{shared.pk}/", f"/library/files/{stored.pk}/"):
        assert site.go(path).status == 404
    site.go("/library/files/")
    assert f"/library/files/folders/{shared.pk}/" not in page.content()  # 交换 is in the title
    assert quote("一季度") not in page.content()
    site.assert_accessible()


def test_the_committee_clerk_sets_a_quota_renames_reshares_and_deletes_folders(site, world):
    """The quotas table and a quota's form, a folder's change page (rename, refused delete), its
    audience page and the deletion of an empty subfolder: each page accessible, both modes."""
    from dangwu.access import SYSTEM
    from dangwu.library import files_services as services
    from dangwu.library.models import Folder, LibraryQuota
    from dangwu.library.tests.files_factories import pdf_file

    shared = folder(world, FolderKind.COMMITTEE, name="工委文件资料", audience_all=True)
    services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file())
    old = services.folder_create(actor=SYSTEM, name="旧资料", parent=shared)
    page = site.page

    site.sign_in("demo-orgclerk")
    site.go("/library/files/")
    site.follow(zh("Storage quotas"))
    site.assert_accessible()
    page.get_by_label(zh("Organization name contains")).fill("第一机关党委")
    site.press(zh("Find an organization"))
    site.assert_accessible()
    site.follow(zh("Set the quota of %(name)s", name="第一机关党委"))
    site.assert_accessible()
    page.get_by_label(zh("Quota"), exact=True).fill("-1")
    site.press(zh("Set the quota"))
    assert zh("The quota cannot be negative.") in page.content()
    site.assert_accessible()
    page.get_by_label(zh("Quota"), exact=True).fill("3")
    site.press(zh("Set the quota"))
    assert LibraryQuota.objects.get(organization=world.orgs["org1"]).quota_bytes == 3 * 1024**3
    site.assert_accessible()

    site.go(f"/library/files/folders/{shared.pk}/")
    site.follow(zh("Rename or delete this folder"))
    site.assert_accessible()
    page.get_by_label(zh("New name of the folder")).fill("工委学习资料")
    site.press(zh("Rename the folder"))
    assert Folder.objects.get(pk=shared.pk).name == "工委学习资料"
    site.go(f"/library/files/folders/{shared.pk}/edit/")
    site.press(zh("Delete this folder"))
    assert page.get_by_role("alert").is_visible()
    assert Folder.objects.get(pk=shared.pk).deleted_at is None
    site.assert_accessible()
    site.follow(zh("Change who sees it"))
    site.assert_accessible()
    page.get_by_label(zh("Visible to every organization")).uncheck()
    page.get_by_label("第二机关党委", exact=False).first.check()
    site.press(zh("Save who sees it"))
    assert list(Folder.objects.get(pk=shared.pk).audience.values_list("name", flat=True))
    site.assert_accessible()

    site.go(f"/library/files/folders/{old.pk}/edit/")
    site.press(zh("Delete this folder"))
    assert Folder.objects.get(pk=old.pk).deleted_at is not None
    site.assert_accessible()
