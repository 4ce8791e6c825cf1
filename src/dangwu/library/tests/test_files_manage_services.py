"""Renaming, deleting and re-sharing folders, and setting quotas: every refusal, and who may."""

import pytest

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import Forbidden, NotFound, ValidationFailed
from dangwu.library import files_selectors as selectors
from dangwu.library import files_services as services
from dangwu.library.enums import FolderKind
from dangwu.library.models import FileVersion, Folder
from dangwu.library.tests.files_factories import exchange, folder, pdf_file

pytestmark = pytest.mark.django_db


def _sub(world, parent: Folder, name: str = "2026年") -> Folder:
    return services.folder_create(actor=SYSTEM, name=name, parent=parent)


# ------------------------------------------------------------------------------------- rename


def test_a_committee_manager_renames_a_folder_and_it_is_recorded(world):
    shared = folder(world, audience_all=True)
    services.folder_rename(actor=world.user("orgclerk"), folder=shared, name="  学习  资料 ")
    shared.refresh_from_db()
    assert shared.name == "学习 资料"
    record = AuditRecord.objects.get(action="library.folder_renamed")
    assert record.details == {"from": "资料", "to": "学习 资料"}


@pytest.mark.parametrize("name", ["", "a/b", "机密★文件", "x" * 101, "a\u202eb"])
def test_a_rename_follows_the_naming_rules_of_creation(world, name):
    shared = folder(world, audience_all=True)
    with pytest.raises(ValidationFailed):
        services.folder_rename(actor=world.user("orgclerk"), folder=shared, name=name)
    shared.refresh_from_db()
    assert shared.name == "资料"


def test_a_rename_to_the_name_of_a_folder_beside_it_is_refused(world):
    folder(world, name="甲", audience_all=True)
    second = folder(world, name="乙", audience_all=True)
    with pytest.raises(ValidationFailed, match=r"同名|already exists"):
        services.folder_rename(actor=world.user("orgclerk"), folder=second, name="甲")
    top = exchange(world)
    first_sub, second_sub = _sub(world, top, "一"), _sub(world, top, "二")
    with pytest.raises(ValidationFailed):
        services.folder_rename(actor=world.user("secretary"), folder=second_sub, name="一")
    services.folder_rename(actor=world.user("secretary"), folder=first_sub, name="一")  # itself


def test_who_may_not_rename_is_refused_and_a_third_organization_gets_404(world):
    shared = exchange(world)
    sub = _sub(world, shared)
    with pytest.raises(NotFound):
        services.folder_rename(actor=world.user("other_secretary"), folder=shared, name="新")
    with pytest.raises(NotFound):
        services.folder_rename(actor=world.user("other_secretary"), folder=sub, name="新")
    # The partner's secretary manages inside the exchange folder, not the folder itself.
    with pytest.raises(Forbidden):
        services.folder_rename(actor=world.user("secretary"), folder=shared, name="新")
    services.folder_rename(actor=world.user("secretary"), folder=sub, name="新")
    everyone = folder(world, audience_all=True)
    for persona in ("member", "secretary", "leader"):
        with pytest.raises(Forbidden):
            services.folder_rename(actor=world.user(persona), folder=everyone, name="新")
    with pytest.raises(NotFound):
        services.folder_rename(actor=world.user("sysadmin"), folder=everyone, name="新")


def test_an_organizations_secretary_renames_its_own_folder_only(world):
    own = folder(world, FolderKind.ORGANIZATION, name="支部资料")
    services.folder_rename(actor=world.user("secretary"), folder=own, name="支部活动资料")
    with pytest.raises(NotFound):
        services.folder_rename(actor=world.user("other_secretary"), folder=own, name="别的")
    with pytest.raises(Forbidden):
        services.folder_rename(actor=world.user("member"), folder=own, name="别的")


# ------------------------------------------------------------------------------------- delete


def test_a_folder_holding_files_is_not_deleted_and_says_why(world):
    shared = exchange(world)
    sub = _sub(world, shared)
    services.file_upload(actor=SYSTEM, folder=sub, upload=pdf_file())
    with pytest.raises(ValidationFailed, match=r"1") as refused:
        services.folder_delete(actor=world.user("orgclerk"), folder=shared)
    assert refused.value.status_code == 400
    with pytest.raises(ValidationFailed):
        services.folder_delete(actor=world.user("secretary"), folder=sub)
    assert selectors.folder_access(user=world.user("secretary"), pk=sub.pk) == sub
    assert not Folder.objects.filter(deleted_at__isnull=False).exists()


def test_an_empty_folder_is_deleted_with_its_subfolders_and_its_old_files_stay_recorded(world):
    shared = exchange(world)
    sub = _sub(world, shared)
    kept = services.file_upload(actor=SYSTEM, folder=sub, upload=pdf_file())
    services.file_delete(actor=world.user("secretary"), file=kept.file)
    services.folder_delete(actor=world.user("clerk"), folder=shared)
    for pk in (shared.pk, sub.pk):
        with pytest.raises(NotFound):
            selectors.folder_access(user=world.user("clerk"), pk=pk)
    assert FileVersion.objects.filter(pk=kept.pk).exists()
    assert selectors.library_home(user=world.user("clerk")).exchange == []
    assert AuditRecord.objects.filter(action="library.folder_deleted").count() == 1
    with pytest.raises(NotFound):
        services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file())
    with pytest.raises(NotFound):
        services.folder_delete(actor=world.user("clerk"), folder=shared)
    assert exchange(world).name == "交换"  # the name is free again


def test_a_deleted_subfolder_leaves_its_parent_and_frees_its_name(world):
    top = folder(world, audience_all=True)
    sub = _sub(world, top)
    services.folder_delete(actor=world.user("orgclerk"), folder=sub)
    assert selectors.subfolders(top) == []
    assert _sub(world, top).name == "2026年"


def test_who_may_not_delete_is_refused_and_a_third_organization_gets_404(world):
    shared = exchange(world)
    with pytest.raises(NotFound):
        services.folder_delete(actor=world.user("other_secretary"), folder=shared)
    with pytest.raises(Forbidden):
        services.folder_delete(actor=world.user("secretary"), folder=shared)
    everyone = folder(world, audience_all=True)
    with pytest.raises(Forbidden):
        services.folder_delete(actor=world.user("member"), folder=everyone)
    assert not Folder.objects.filter(deleted_at__isnull=False).exists()


# ------------------------------------------------------------------------------------- audience


def test_a_committee_folder_is_reshared_to_chosen_organizations_and_its_subfolders_follow(world):
    shared = folder(world, audience_all=True)
    sub = _sub(world, shared)
    services.folder_audience_set(
        actor=world.user("orgclerk"),
        folder=shared,
        audience_all=False,
        audience=[world.orgs["org2"]],
    )
    for pk in (shared.pk, sub.pk):
        selectors.folder_access(user=world.user("other_secretary"), pk=pk)
        with pytest.raises(NotFound):
            selectors.folder_access(user=world.user("member"), pk=pk)
    services.folder_audience_set(actor=world.user("clerk"), folder=shared, audience_all=True)
    for pk in (shared.pk, sub.pk):
        selectors.folder_access(user=world.user("member"), pk=pk)
    shared.refresh_from_db()
    assert shared.audience_all and not shared.audience.exists()
    assert AuditRecord.objects.filter(action="library.folder_audience_set").count() == 2


def test_with_no_organization_chosen_only_the_committee_sees_the_folder(world):
    shared = folder(world, audience_all=True)
    services.folder_audience_set(actor=world.user("orgclerk"), folder=shared, audience_all=False)
    selectors.folder_access(user=world.user("leader"), pk=shared.pk)
    for persona in ("member", "secretary", "other_secretary"):
        with pytest.raises(NotFound):
            selectors.folder_access(user=world.user(persona), pk=shared.pk)


def test_only_a_top_level_committee_folder_has_its_own_audience(world):
    sub = _sub(world, folder(world, audience_all=True))
    with pytest.raises(ValidationFailed):
        services.folder_audience_set(actor=world.user("orgclerk"), folder=sub, audience_all=True)
    with pytest.raises(ValidationFailed):
        services.folder_audience_set(
            actor=world.user("orgclerk"), folder=exchange(world), audience_all=True
        )


def test_who_may_not_change_the_audience_is_refused_and_an_outsider_gets_404(world):
    chosen = folder(world, audience=[world.orgs["org1"]])
    with pytest.raises(NotFound):
        services.folder_audience_set(
            actor=world.user("other_secretary"), folder=chosen, audience_all=True
        )
    for persona in ("secretary", "member", "leader"):
        with pytest.raises(Forbidden):
            services.folder_audience_set(
                actor=world.user(persona), folder=chosen, audience_all=True
            )
    chosen.refresh_from_db()
    assert not chosen.audience_all


# ------------------------------------------------------------------------------------- quotas


GB = 1024**3


def test_a_negative_or_absurd_quota_is_refused_and_nothing_changes(world, settings):
    settings.LIBRARY_QUOTA_MAX_BYTES = 10 * GB
    org = world.orgs["org1"]
    for value in (-1, 10 * GB + 1):
        with pytest.raises(ValidationFailed):
            services.quota_set(actor=world.user("orgclerk"), organization=org, quota_bytes=value)
    assert services.quota_of(org) == services.default_quota_bytes()
    services.quota_set(actor=world.user("orgclerk"), organization=org, quota_bytes=10 * GB)
    assert services.quota_of(org) == 10 * GB
    services.quota_set(actor=world.user("orgclerk"), organization=org, quota_bytes=None)
    assert services.quota_of(org) == services.default_quota_bytes()


def test_only_the_committees_clerks_set_quotas(world):
    for persona in ("secretary", "other_secretary", "member", "leader", "sysadmin"):
        with pytest.raises(Forbidden):
            services.quota_set(
                actor=world.user(persona), organization=world.orgs["org1"], quota_bytes=GB
            )


def test_a_quota_below_what_is_used_is_allowed_and_then_uploads_are_refused(world):
    shared = exchange(world)
    kept = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("一.pdf"))
    services.quota_set(actor=world.user("clerk"), organization=world.orgs["org1"], quota_bytes=1)
    row = selectors.quota_row(pk=world.orgs["org1"].pk)
    assert row.used == kept.size and row.quota == 1 and row.over and row.own
    with pytest.raises(ValidationFailed, match=r"空间不足|does not fit"):
        services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("二.pdf"))


def test_the_usage_counts_each_owner_and_leaves_deleted_files_out(world):
    shared = exchange(world)
    committee = folder(world, audience_all=True)
    one = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("一.pdf"))
    two = services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file("二.pdf"))
    three = services.file_upload(actor=SYSTEM, folder=committee, upload=pdf_file("三.pdf"))
    services.file_delete(actor=SYSTEM, file=two.file)
    rows = {
        r.organization.pk: r for r in selectors.quota_rows(selectors.organizations_with_usage())
    }
    assert rows[world.orgs["org1"].pk].used == one.size
    assert rows[world.orgs["root"].pk].used == three.size
    assert rows[world.orgs["org2"].pk].used == 0 and not rows[world.orgs["org2"].pk].own
    names = selectors.organizations_with_usage(name=" 第一机关党委 ").values_list("name", flat=True)
    assert "第一机关党委" in names and "第二机关党委" not in names
