"""The pages to rename, delete and re-share folders and to set quotas: forms keep the input and
say in Chinese what to fix; the quotas table takes the same queries for 3 or 30 organizations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from dangwu.access import SYSTEM
from dangwu.library import files_services as services
from dangwu.library.models import Folder, LibraryQuota
from dangwu.library.tests.files_factories import exchange, folder, pdf_file
from dangwu.orgs.enums import OrgKind
from dangwu.orgs.services import organization_create

pytestmark = pytest.mark.django_db

FILES = "/library/files"


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def test_a_manager_renames_a_folder_from_its_page(client, world):
    shared = folder(world, audience_all=True)
    client.force_login(world.user("orgclerk"))
    page = client.get(f"{FILES}/folders/{shared.pk}/").content.decode()
    assert f"{FILES}/folders/{shared.pk}/edit/" in page
    assert client.get(f"{FILES}/folders/{shared.pk}/edit/").status_code == 200
    response = client.post(f"{FILES}/folders/{shared.pk}/edit/", {"name": "学习资料"})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.name == "学习资料"


def test_a_refused_rename_keeps_the_input_and_says_why(client, world):
    shared = folder(world, audience_all=True)
    client.force_login(world.user("orgclerk"))
    response = client.post(f"{FILES}/folders/{shared.pk}/edit/", {"name": "a/b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="a/b"' in page
    assert escape(_zh("A folder name must not contain / \\ < > or control characters.")) in page


def test_the_folder_page_offers_no_change_to_who_may_not_and_the_pages_refuse_them(client, world):
    shared = exchange(world)
    client.force_login(world.user("secretary"))
    assert (
        f"{FILES}/folders/{shared.pk}/edit/"
        not in client.get(f"{FILES}/folders/{shared.pk}/").content.decode()
    )
    assert client.get(f"{FILES}/folders/{shared.pk}/edit/").status_code == 403
    client.force_login(world.user("other_secretary"))
    for path in ("edit/", "delete/"):
        assert client.post(f"{FILES}/folders/{shared.pk}/{path}", {"name": "新"}).status_code == 404


def test_a_folder_with_files_is_not_deleted_and_the_page_says_so(client, world):
    shared = folder(world, audience_all=True)
    services.file_upload(actor=SYSTEM, folder=shared, upload=pdf_file())
    client.force_login(world.user("orgclerk"))
    response = client.post(f"{FILES}/folders/{shared.pk}/delete/")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Folder.objects.get(pk=shared.pk).deleted_at is None


def test_an_empty_subfolder_is_deleted_and_the_parent_is_shown(client, world):
    top = folder(world, audience_all=True)
    sub = services.folder_create(actor=SYSTEM, name="旧资料", parent=top)
    client.force_login(world.user("orgclerk"))
    assert client.get(f"{FILES}/folders/{sub.pk}/delete/").status_code == 405
    response = client.post(f"{FILES}/folders/{sub.pk}/delete/")
    assert response.status_code == 302 and response["Location"].endswith(f"/folders/{top.pk}/")
    assert f"/folders/{sub.pk}/" not in client.get(response["Location"]).content.decode()
    assert client.get(f"{FILES}/folders/{sub.pk}/").status_code == 404
    response = client.post(f"{FILES}/folders/{top.pk}/delete/")
    assert response.status_code == 302 and response["Location"].endswith(f"{FILES}/")


def test_the_audience_page_shares_a_committee_folder_with_chosen_organizations(client, world):
    shared = folder(world, audience_all=True)
    client.force_login(world.user("orgclerk"))
    page = client.get(f"{FILES}/folders/{shared.pk}/audience/")
    assert page.status_code == 200 and "第一机关党委" in page.content.decode()
    response = client.post(
        f"{FILES}/folders/{shared.pk}/audience/", {"audience": [world.orgs["org2"].pk]}
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert not shared.audience_all and list(shared.audience.all()) == [world.orgs["org2"]]
    bad = client.post(f"{FILES}/folders/{shared.pk}/audience/", {"audience": ["99999"]})
    assert bad.status_code == 400
    sub = services.folder_create(actor=SYSTEM, name="子", parent=shared)
    assert client.get(f"{FILES}/folders/{sub.pk}/audience/").status_code == 404
    client.force_login(world.user("member"))
    assert client.get(f"{FILES}/folders/{shared.pk}/audience/").status_code == 404


def _orgs(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        org = organization_create(
            actor=SYSTEM,
            code=f"Z{i:02d}",
            name=f"测试机关党委{i:02d}",
            kind=OrgKind.PARTY_COMMITTEE,
            parent=world.orgs["root"],
        )
        if i % 2:
            services.quota_set(actor=SYSTEM, organization=org, quota_bytes=(i + 1) * 1024**2)


def test_the_quotas_page_takes_the_same_queries_for_3_or_30_organizations(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.user("orgclerk"))
    _orgs(world, 3)
    services.file_upload(actor=SYSTEM, folder=exchange(world), upload=pdf_file())
    with CaptureQueriesContext(connection) as few:
        response = client.get(f"{FILES}/quotas/", {"q": "测试机关党委"})
    assert response.status_code == 200 and response.content.decode().count("测试机关党委") >= 3
    _orgs(world, 27, start=3)
    with django_assert_max_num_queries(len(few)), CaptureQueriesContext(connection) as many:
        response = client.get(f"{FILES}/quotas/", {"q": "测试机关党委"})
    assert "测试机关党委29" in response.content.decode()
    assert len(many) == len(few)


def test_the_quotas_page_shows_50_a_page_and_filters_by_name(client, world):
    _orgs(world, 55)
    client.force_login(world.user("clerk"))
    page = client.get(f"{FILES}/quotas/").content.decode()
    assert page.count(f"{FILES}/quotas/") >= 50 and "page=2" in page
    filtered = client.get(f"{FILES}/quotas/", {"q": "第一机关党委"}).content.decode()
    assert "测试机关党委01" not in filtered and "第一机关党委" in filtered


def test_a_quota_is_set_in_gb_or_mb_and_refusals_are_in_chinese(client, world, settings):
    settings.LIBRARY_QUOTA_MAX_BYTES = 100 * 1024**3
    org = world.orgs["org1"]
    client.force_login(world.user("orgclerk"))
    url = f"{FILES}/quotas/{org.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"amount": "5", "unit": "GB"}).status_code == 302
    assert LibraryQuota.objects.get(organization=org).quota_bytes == 5 * 1024**3
    assert client.post(url, {"amount": "1.5", "unit": "MB"}).status_code == 302
    assert LibraryQuota.objects.get(organization=org).quota_bytes == int(1.5 * 1024**2)
    negative = client.post(url, {"amount": "-1", "unit": "GB"})
    assert negative.status_code == 400
    assert _zh("The quota cannot be negative.") in negative.content.decode()
    assert 'value="-1"' in negative.content.decode()
    absurd = client.post(url, {"amount": "101", "unit": "GB"})
    assert absurd.status_code == 400
    assert client.post(url, {"amount": "很多", "unit": "GB"}).status_code == 400
    assert LibraryQuota.objects.get(organization=org).quota_bytes == int(1.5 * 1024**2)
    assert client.post(url, {"amount": "", "unit": "GB"}).status_code == 302
    assert LibraryQuota.objects.get(organization=org).quota_bytes is None
    assert client.get(f"{FILES}/quotas/999999/").status_code == 404


def test_only_the_committees_clerks_open_the_quotas(client, world):
    for persona in ("secretary", "other_secretary", "member"):
        client.force_login(world.user(persona))
        assert client.get(f"{FILES}/quotas/").status_code == 403
        assert (
            client.post(f"{FILES}/quotas/{world.orgs['org1'].pk}/", {"amount": "1"}).status_code
            == 403
        )
    assert LibraryQuota.objects.filter(quota_bytes__isnull=False).count() == 0
