"""The file library's services: who may see and upload where, every refusal, versions, quotas
and download counts."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.access import SYSTEM
from dangwu.core.errors import Forbidden, NotFound, ValidationFailed
from dangwu.library import files_selectors as selectors
from dangwu.library import files_services as services
from dangwu.library.enums import FolderKind
from dangwu.library.models import FileVersion, LibraryFile
from dangwu.library.tests.files_factories import (
    PNG,
    demo_docx,
    demo_xlsx,
    exchange,
    file,
    folder,
    pdf_file,
)

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list[str]:
    root = os.path.join(settings.MEDIA_ROOT, "library", "files")
    return os.listdir(root) if os.path.isdir(root) else []


def test_an_exchange_folder_is_seen_by_both_sides_and_by_no_third_organization(world):
    shared = exchange(world)
    for persona in ("secretary", "orgclerk", "clerk", "editor", "leader"):
        assert selectors.folder_access(user=world.user(persona), pk=shared.pk) == shared
    for persona in ("other_secretary", "member", "sysadmin", "auditor"):
        with pytest.raises(NotFound):
            selectors.folder_access(user=world.user(persona), pk=shared.pk)


def test_both_sides_upload_into_an_exchange_folder_and_a_third_organization_gets_404(world):
    shared = exchange(world)
    services.file_upload(actor=world.user("secretary"), folder=shared, upload=pdf_file("甲.pdf"))
    services.file_upload(actor=world.user("clerk"), folder=shared, upload=pdf_file("乙.pdf"))
    assert shared.files.count() == 2
    with pytest.raises(NotFound):
        services.file_upload(
            actor=world.user("other_secretary"), folder=shared, upload=pdf_file("丙.pdf")
        )
    one = shared.files.first()
    with pytest.raises(NotFound):
        selectors.file_access(user=world.user("other_secretary"), pk=one.pk)


def test_a_committee_folder_for_all_is_seen_by_every_business_user_but_uploaded_by_managers(world):
    everyone = folder(world, audience_all=True)
    for persona in ("member", "other_secretary", "secretary", "schooladmin"):
        selectors.folder_access(user=world.user(persona), pk=everyone.pk)
    with pytest.raises(NotFound):
        selectors.folder_access(user=world.user("secadmin"), pk=everyone.pk)
    with pytest.raises(Forbidden):
        services.file_upload(actor=world.user("member"), folder=everyone, upload=pdf_file())
    services.file_upload(actor=world.user("orgclerk"), folder=everyone, upload=pdf_file())


def test_a_committee_folder_for_chosen_organizations_is_hidden_from_the_others(world):
    chosen = folder(world, audience=[world.orgs["org1"]])
    selectors.folder_access(user=world.user("member"), pk=chosen.pk)  # in org1's subtree
    selectors.folder_access(user=world.user("leader"), pk=chosen.pk)  # the committee
    with pytest.raises(NotFound):
        selectors.folder_access(user=world.user("other_secretary"), pk=chosen.pk)


def test_an_organization_folder_is_its_subtrees_and_managed_by_its_secretary(world):
    own = folder(world, FolderKind.ORGANIZATION, name="支部资料")
    selectors.folder_access(user=world.user("member"), pk=own.pk)
    for persona in ("other_secretary", "leader", "editor"):
        with pytest.raises(NotFound):
            selectors.folder_access(user=world.user(persona), pk=own.pk)
    services.file_upload(actor=world.user("secretary"), folder=own, upload=pdf_file())
    with pytest.raises(Forbidden):
        services.file_upload(actor=world.user("member"), folder=own, upload=pdf_file("乙.pdf"))
    child = services.folder_create(actor=world.user("secretary"), name="2026年", parent=own)
    assert (child.kind, child.organization) == (own.kind, own.organization)


def test_only_the_committees_clerks_create_committee_and_exchange_folders(world):
    for kind in (FolderKind.COMMITTEE, FolderKind.EXCHANGE):
        with pytest.raises(Forbidden):
            services.folder_create(
                actor=world.user("secretary"), name="x", kind=kind, organization=world.orgs["org1"]
            )
    with pytest.raises(Forbidden):
        services.folder_create(
            actor=world.user("other_secretary"),
            name="x",
            kind=FolderKind.ORGANIZATION,
            organization=world.orgs["org1"],
        )


def test_a_file_of_the_same_name_becomes_a_new_version_and_the_old_stays_downloadable(world):
    shared = exchange(world)
    first = services.file_upload(
        actor=world.user("secretary"), folder=shared, upload=pdf_file("总结.pdf", "第一稿")
    )
    second = services.file_upload(
        actor=world.user("clerk"), folder=shared, upload=pdf_file("总结.PDF", "第二稿")
    )
    stored = LibraryFile.objects.get()
    assert (first.number, second.number, stored.version_count) == (1, 2, 2)
    assert stored.current == second and stored.name == "总结.PDF"
    old = selectors.version_access(user=world.user("secretary"), file_id=stored.pk, number=1)
    assert old.blob.read().startswith(b"%PDF") and old.uploaded_by == world.user("secretary")


def test_downloads_are_counted_per_version_and_per_file(world):
    shared = exchange(world)
    version = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file())
    services.file_downloaded(version=version)
    services.file_downloaded(version=version)
    version.refresh_from_db()
    assert version.download_count == 2 and version.file.download_count == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", PNG),  # a picture named .pdf
        ("通知.docx", demo_xlsx([["a"]])),  # a workbook named .docx
        ("照片.png", b"%PDF-1.4 not really"),
        ("程序.exe", b"MZ\x90\x00"),
        ("空.pdf", b""),
    ],
)
def test_files_that_lie_about_their_type_are_refused_and_nothing_is_kept(
    world, settings, name, data
):
    with pytest.raises(ValidationFailed):
        services.file_upload(actor=SYSTEM, folder=exchange(world), upload=file(name, data))
    assert not LibraryFile.objects.exists() and _stored_files(settings) == []


@pytest.mark.parametrize(
    "upload",
    [
        lambda: pdf_file("材料.pdf", "秘密★一年", "正文"),
        lambda: file("材料.docx", demo_docx("密级：机密", "正文")),
        lambda: pdf_file("绝密★材料.pdf"),
    ],
)
def test_a_classified_mark_in_the_name_or_the_text_is_refused(world, settings, upload):
    with pytest.raises(ValidationFailed, match="涉密不上网"):
        services.file_upload(actor=SYSTEM, folder=exchange(world), upload=upload())
    assert not FileVersion.objects.exists() and _stored_files(settings) == []


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "/etc/资料.pdf",
        "..\\..\\资料.pdf",
        "资料\x00.pdf",
        "资料\u202efdp.pdf",
        "~/资料.pdf",
        "子目录/../资料.pdf",
    ],
)
def test_path_tricks_in_file_names_are_refused(world, name):
    upload = SimpleUploadedFile("x.pdf", pdf_file().read())
    upload._name = name  # as an API client or a hand-made request could send it, unsanitized
    with pytest.raises(ValidationFailed, match=r"文件名|file name"):
        services.file_upload(actor=SYSTEM, folder=exchange(world), upload=upload)
    assert not LibraryFile.objects.exists()


def test_a_windows_path_sent_by_an_old_browser_is_cut_to_the_file_name(world):
    upload = pdf_file()
    upload._name = "C:\\Users\\张三\\桌面\\学习材料.pdf"
    version = services.file_upload(actor=SYSTEM, folder=exchange(world), upload=upload)
    assert version.original_name == "学习材料.pdf"
    assert "学习" not in version.blob.name and version.blob.name.startswith("library/files/")


def test_an_upload_over_the_quota_is_refused_whole_and_nothing_stays_on_disk(world, settings):
    shared = exchange(world)
    kept = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("一.pdf"))
    services.quota_set(
        actor=world.user("orgclerk"), organization=world.orgs["org1"], quota_bytes=kept.size + 10
    )
    with pytest.raises(ValidationFailed, match=r"空间不足|does not fit"):
        services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("二.pdf"))
    assert LibraryFile.objects.count() == 1 and len(_stored_files(settings)) == 1
    assert services.used_bytes(world.orgs["org1"]) == kept.size


def test_versions_count_against_the_quota_and_deleting_a_file_frees_it(world, settings):
    shared = exchange(world)
    kept = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("一.pdf"))
    services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("一.pdf", "第二版"))
    assert services.used_bytes(world.orgs["org1"]) > kept.size
    services.file_delete(actor=world.user("secretary"), file=kept.file)
    assert services.used_bytes(world.orgs["org1"]) == 0


def test_a_file_is_deleted_by_its_uploader_or_a_manager_only(world):
    shared = exchange(world)
    mine = services.file_upload(actor=world.user("clerk"), folder=shared, upload=pdf_file()).file
    everyone = folder(world, audience_all=True)
    theirs = services.file_upload(
        actor=world.user("orgclerk"), folder=everyone, upload=pdf_file()
    ).file
    with pytest.raises(Forbidden):
        services.file_delete(actor=world.user("member"), file=theirs)
    with pytest.raises(NotFound):
        services.file_delete(actor=world.user("other_secretary"), file=mine)
    services.file_delete(actor=world.user("clerk"), file=mine)
    with pytest.raises(NotFound):
        selectors.file_access(user=world.user("clerk"), pk=mine.pk)


def test_a_folder_name_with_a_classified_mark_or_a_slash_is_refused(world):
    for name in ("机密★文件", "a/b", ""):
        with pytest.raises(ValidationFailed):
            services.folder_create(actor=SYSTEM, name=name, kind=FolderKind.COMMITTEE)
