"""The organization and member pages, import and export, as each persona meets them."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.orgs.imports import MEMBER_COLUMNS, ORG_COLUMNS
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.services import organization_create
from dangwu.orgs.tests.factories import member_row, members_csv, org_row, orgs_csv
from tests.personas import add_member

TREE = reverse("orgs:tree")
MEMBERS = reverse("orgs:members")
EXPORT = reverse("orgs:members_export")
IMPORT = reverse("orgs:import")
# Pinned: session read and idle-timeout write (3 with its savepoint), user, role grants, plus
# the page's own reads: tree (organizations, member counts), list (count, page), one member.
TREE_QUERIES = 10
MEMBER_LIST_QUERIES = 9
MEMBER_PAGE_QUERIES = 8


def member_url(member) -> str:
    return reverse("orgs:member", args=[member.pk])


def upload(data: bytes, name: str = "名单.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_many(world, count: int, org_key: str = "branch1", start: int = 200) -> None:
    for i in range(count):
        serial = start + i
        add_member(
            world.orgs[org_key],
            f"批量{serial}",
            serial,
            birth_date=date(1970, 1 + serial % 12, 1 + serial % 28),
        )


def read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# ---------------------------------------------------------------- tree and detail


def test_the_tree_page_shows_the_organizations_and_counts_within_scope(client_for):
    response = client_for("secretary").get(TREE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "第一机关党委" in html and "第二机关党委" in html


def test_the_separated_administrators_are_refused_the_tree(client_for):
    assert client_for("sysadmin").get(TREE).status_code == 403


def test_the_tree_page_costs_the_same_queries_for_a_bigger_tree(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("leader")
    small = page_queries(client, TREE)
    for i in range(12):
        branch = organization_create(
            actor=SYSTEM,
            code=f"A01{50 + i}",
            name=f"新支部{i}",
            kind="branch",
            parent=world.orgs["org1"],
        )
        organization_create(
            actor=SYSTEM, code=f"A01{50 + i}01", name=f"新小组{i}", kind="group", parent=branch
        )
    assert page_queries(client, TREE) == small
    with django_assert_max_num_queries(TREE_QUERIES):
        client.get(TREE)


def test_the_organization_page_links_to_members_only_where_they_may_be_seen(client_for, world):
    client = client_for("secretary")
    own = client.get(reverse("orgs:organization", args=[world.orgs["org1"].pk]))
    other = client.get(reverse("orgs:organization", args=[world.orgs["org2"].pk]))
    assert own.status_code == other.status_code == 200
    assert f"?org={world.orgs['org1'].pk}" in own.content.decode()
    assert f"?org={world.orgs['org2'].pk}" not in other.content.decode()


def test_a_missing_organization_is_a_404(client_for):
    assert client_for("leader").get(reverse("orgs:organization", args=[99999])).status_code == 404


# ---------------------------------------------------------------- member list


def test_the_member_list_shows_only_the_secretarys_members_masked(client_for, world):
    html = client_for("secretary").get(MEMBERS).content.decode()
    assert "党员乙" in html and "党员丁" not in html
    member = world.members["member"]
    assert member.id_number_masked in html
    assert member.id_number not in html and member.phone not in html


def test_the_member_list_searches_by_name_and_by_exact_id_number(client_for, world):
    client = client_for("leader")
    by_name = client.get(MEMBERS, {"q": "丙"}).content.decode()
    assert "党员丙" in by_name and "党员乙" not in by_name
    other = world.members["other"]
    by_id = client.get(MEMBERS, {"q": other.id_number}).content.decode()
    assert "党员丁" in by_id and "党员丙" not in by_id
    assert other.id_number_masked in by_id


def test_the_member_list_is_paginated(client_for, world):
    add_many(world, 35)
    client = client_for("secretary")
    first = client.get(MEMBERS)
    second = client.get(MEMBERS, {"page": 2})
    assert first.context["page"].paginator.count == 38
    assert len(first.context["page"].object_list) == 30
    assert len(second.context["page"].object_list) == 8
    names_1 = {m.name for m in first.context["page"].object_list}
    names_2 = {m.name for m in second.context["page"].object_list}
    assert not names_1 & names_2


def test_the_member_list_page_costs_the_same_queries_for_more_members(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("secretary")
    small = page_queries(client, MEMBERS)
    add_many(world, 40)
    assert page_queries(client, MEMBERS) == small
    with django_assert_max_num_queries(MEMBER_LIST_QUERIES):
        client.get(MEMBERS, {"q": "批量", "page": 2})


def test_a_member_sees_their_own_record_but_not_the_member_list(client_for, world):
    client = client_for("member")
    assert client.get(MEMBERS).status_code == 403
    own = client.get(member_url(world.members["member"]))
    assert own.status_code == 200
    assert client.get(member_url(world.members["colleague"])).status_code == 404


def test_the_list_offers_import_and_export_only_to_those_allowed(client_for):
    secretary = client_for("secretary").get(MEMBERS).content.decode()
    assert EXPORT in secretary and IMPORT in secretary
    leader = client_for("leader").get(MEMBERS).content.decode()
    assert EXPORT in leader and IMPORT not in leader


def test_the_menu_has_the_import_page_for_record_keepers_only(client_for):
    assert IMPORT in client_for("secretary").get(TREE).content.decode()
    assert IMPORT not in client_for("leader").get(TREE).content.decode()


# ---------------------------------------------------------------- member detail and reveal


def test_the_member_page_is_masked(client_for, world):
    member = world.members["member"]
    html = client_for("secretary").get(member_url(member)).content.decode()
    assert member.id_number_masked in html and member.phone_masked in html
    assert member.id_number not in html and member.phone not in html


def test_revealing_shows_the_full_numbers_once_and_is_audited(client_for, world):
    member = world.members["member"]
    client = client_for("secretary")
    response = client.post(reverse("orgs:member_reveal", args=[member.pk]), {"reason": "核对"})
    assert response.status_code == 200
    html = response.content.decode()
    assert member.id_number in html and member.phone in html
    assert response["Cache-Control"] == "no-store"
    record = AuditRecord.objects.get(action="orgs.member_revealed")
    assert (record.actor_name, record.target_id) == ("demo-secretary", str(member.pk))
    again = client.get(member_url(member)).content.decode()
    assert member.id_number not in again


def test_reveal_must_be_posted(client_for, world):
    url = reverse("orgs:member_reveal", args=[world.members["member"].pk])
    assert client_for("secretary").get(url).status_code == 405
    assert not AuditRecord.objects.filter(action="orgs.member_revealed").exists()


def test_the_leader_sees_the_member_masked_and_cannot_reveal(client_for, world):
    member = world.members["member"]
    client = client_for("leader")
    assert client.get(member_url(member)).status_code == 200
    response = client.post(reverse("orgs:member_reveal", args=[member.pk]))
    assert response.status_code == 403
    assert member.id_number not in response.content.decode()


def test_a_secretary_gets_404_for_another_organizations_member(client_for, world):
    other = world.members["other"]
    client = client_for("secretary")
    assert client.get(member_url(other)).status_code == 404
    response = client.post(reverse("orgs:member_reveal", args=[other.pk]))
    assert response.status_code == 404
    assert other.id_number not in response.content.decode()
    assert not AuditRecord.objects.filter(action="orgs.member_revealed").exists()


def test_the_member_page_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("secretary")
    url = member_url(world.members["member"])
    with django_assert_max_num_queries(MEMBER_PAGE_QUERIES):
        client.get(url)


# ---------------------------------------------------------------- import page


def test_the_import_page_is_for_those_keeping_records(client_for):
    assert client_for("secretary").get(IMPORT).status_code == 200
    for persona in ("leader", "editor", "member", "sysadmin"):
        assert client_for(persona).get(IMPORT).status_code == 403, persona


def test_importing_a_good_member_file_shows_the_counts(client_for, world):
    data = members_csv(member_row("导入甲", 1), member_row("导入乙", 2, org="A0102"))
    response = client_for("secretary").post(IMPORT, {"kind": "members", "file": upload(data)})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert Member.objects.filter(name__startswith="导入").count() == 2
    again = client_for("secretary").post(IMPORT, {"kind": "members", "file": upload(data)})
    assert again.context["result"].unchanged == 2


def test_a_bad_member_file_lists_every_bad_row_writes_nothing_and_keeps_the_kind(client_for):
    rows = [
        member_row("导入甲", 1),
        member_row("导入乙", 2, 入党日期="2005-02-30"),
        member_row("导入丙", 3, org="A0201"),
    ]
    response = client_for("secretary").post(
        IMPORT, {"kind": "members", "file": upload(members_csv(*rows))}
    )
    assert response.status_code == 400
    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert problems == [(3, "入党日期"), (4, "所在组织编码")]
    html = response.content.decode()
    assert "<td>3</td><td>入党日期</td>" in html
    assert re.search(r'<input type="radio" name="kind" value="members"[^>]* checked', html)
    assert response.context["form"]["kind"].value() == "members"
    assert not Member.objects.filter(name__startswith="导入").exists()


def test_an_organization_file_with_a_cycle_is_refused_on_the_page(client_for):
    data = orgs_csv(org_row("X1", "甲", "党支部", "X2"), org_row("X2", "乙", "党支部", "X1"))
    response = client_for("secretary").post(IMPORT, {"kind": "organizations", "file": upload(data)})
    assert response.status_code == 400
    assert {p.row for p in response.context["problems"]} == {2, 3}
    assert response.context["form"]["kind"].value() == "organizations"
    assert not Organization.objects.filter(code__in=["X1", "X2"]).exists()


def test_importing_organizations_on_the_page(client_for):
    data = orgs_csv(org_row("A0103", "第三支部"))
    response = client_for("secretary").post(IMPORT, {"kind": "organizations", "file": upload(data)})
    assert response.status_code == 200
    assert response.context["result"].created == 1
    assert Organization.objects.get(code="A0103").path == "/GW/A01/A0103/"


def test_an_oversized_upload_is_a_400_with_the_limit(client_for, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = members_csv(*(member_row(f"导入{i}", i) for i in range(20)))
    response = client_for("secretary").post(IMPORT, {"kind": "members", "file": upload(data)})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Member.objects.filter(name__startswith="导入").exists()


def test_a_picture_named_xlsx_is_a_400_saying_it_is_not_a_spreadsheet(client_for):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    response = client_for("secretary").post(
        IMPORT, {"kind": "members", "file": upload(png, "名单.xlsx")}
    )
    assert response.status_code == 400
    assert (
        _("This is not a readable spreadsheet. Please save it as .xlsx or .csv and try again.")
        in response.content.decode()
    )


def test_an_upload_without_a_file_is_a_400(client_for):
    response = client_for("secretary").post(IMPORT, {"kind": "organizations"})
    assert response.status_code == 400
    assert response.context["form"]["kind"].value() == "organizations"


def test_a_leader_cannot_post_an_import(client_for):
    data = members_csv(member_row("导入甲", 1))
    response = client_for("leader").post(IMPORT, {"kind": "members", "file": upload(data)})
    assert response.status_code == 403
    assert not Member.objects.filter(name="导入甲").exists()


@pytest.mark.parametrize(
    ("kind", "columns"), [("members", MEMBER_COLUMNS), ("organizations", ORG_COLUMNS)]
)
def test_the_templates_download_as_workbooks_with_the_columns(client_for, kind, columns):
    response = client_for("secretary").get(reverse("orgs:import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response.content)
    assert rows[0] == list(columns) and len(rows) == 2


def test_an_unknown_template_is_a_404_and_others_may_not_download(client_for):
    assert client_for("secretary").get("/orgs/import/template/secrets.xlsx").status_code == 404
    url = reverse("orgs:import_template", args=["members"])
    assert client_for("editor").get(url).status_code == 403


# ---------------------------------------------------------------- export


def test_the_leader_exports_everyone_masked_and_the_export_is_audited(client_for, world):
    response = client_for("leader").get(EXPORT)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response.content)
    assert rows[0][:3] == ["姓名", "性别", "民族"]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"书记甲", "党员乙", "党员丙", "党员丁", "书记戊"}
    member = world.members["member"]
    assert by_name["党员乙"][4] == member.id_number_masked
    assert by_name["党员乙"][11] == member.phone_masked
    record = AuditRecord.objects.get(action="orgs.members_exported")
    assert record.actor_name == "demo-leader"
    assert (record.details["count"], record.details["revealed"]) == (5, 0)


def test_the_secretary_exports_their_members_in_full_with_the_filters(client_for, world):
    member = world.members["member"]
    response = client_for("secretary").get(EXPORT, {"q": "党员", "status": "active"})
    rows = read_xlsx(response.content)
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"党员乙", "党员丙"}
    assert by_name["党员乙"][4] == member.id_number
    assert by_name["党员乙"][11] == member.phone
    assert by_name["党员乙"][9] == "A0101" and by_name["党员乙"][13] == "第一机关党委第一支部"
    details = AuditRecord.objects.get(action="orgs.members_exported").details
    assert details == {
        "count": 2,
        "revealed": 2,
        "filters": {"q": "党员", "by_id_number": False, "org": "", "status": "active"},
    }


def test_an_id_number_searched_for_in_an_export_is_masked_in_the_audit(client_for, world):
    member = world.members["member"]
    client_for("secretary").get(EXPORT, {"q": member.id_number})
    details = AuditRecord.objects.get(action="orgs.members_exported").details
    assert details["count"] == 1
    assert member.id_number not in str(details)


def test_an_exported_list_can_be_imported_again_unchanged(client_for, world):
    content = client_for("secretary").get(EXPORT).content
    response = client_for("secretary").post(
        IMPORT, {"kind": "members", "file": upload(content, "导出.xlsx")}
    )
    assert response.status_code == 200
    assert response.context["result"].unchanged == 3


@pytest.mark.parametrize("persona", ["editor", "member", "auditor"])
def test_roles_that_may_not_export_get_403(client_for, persona):
    assert client_for(persona).get(EXPORT).status_code == 403
    assert not AuditRecord.objects.filter(action="orgs.members_exported").exists()


def test_the_export_costs_the_same_queries_for_more_members(client_for, world):
    client = client_for("secretary")
    small = page_queries(client, EXPORT)
    add_many(world, 30)
    assert page_queries(client, EXPORT) == small


def test_searching_by_id_number_never_puts_the_number_in_the_address(client_for, world):
    client = client_for("secretary")
    member = world.members["member"]
    response = client.post("/orgs/members/", {"q": member.id_number})
    assert response.status_code == 302
    assert member.id_number not in response["Location"]
    assert "idx=" in response["Location"]
    page = client.get(response["Location"])
    body = page.content.decode()
    assert member.name in body
    assert world.members["colleague"].name not in body
    assert member.id_number not in body


def test_searching_by_name_through_the_form_keeps_the_name_in_the_address(client_for, world):
    client = client_for("secretary")
    response = client.post("/orgs/members/", {"q": "党员乙", "status": "active"}, follow=True)
    assert "党员乙" in response.content.decode()
    assert "党员丙" not in response.content.decode()


def test_the_tree_page_stops_at_the_branches_and_links_to_deeper_levels(client_for, world):
    body = client_for("leader").get(TREE).content.decode()
    branch = world.orgs["branch1"]
    assert branch.name in body
    assert world.orgs["group1"].name not in body
    assert f'href="/orgs/{branch.pk}/"' in body
    with translation.override("zh-hans"):
        more = ngettext(
            "See the %(n)s organization under it", "See the %(n)s organizations under it", 1
        ) % {"n": 1}
    assert more in body


def test_an_organization_page_lists_its_children_with_their_own_counts(client_for, world):
    body = client_for("leader").get(f"/orgs/{world.orgs['branch1'].pk}/").content.decode()
    assert world.orgs["group1"].name in body


@pytest.mark.parametrize(
    "params",
    [
        {"q": "党员\x00乙"},
        {"idx": "not-an-index\x00"},
        {"org": "99999999999999999999999"},
        {"org": "²"},
        {"status": "active\x00"},
    ],
)
def test_malformed_member_filters_are_ignored_not_an_error(client_for, world, params):
    client = client_for("secretary")
    assert client.get(MEMBERS, params).status_code == 200
    assert client.get(EXPORT, params).status_code == 200


def test_member_name_search_ignores_letter_case(client_for, world):
    from tests.personas import add_member

    add_member(world.orgs["branch1"], "Anna李", 77, birth_date=date(1975, 5, 5))
    body = client_for("secretary").get(MEMBERS, {"q": "anna"}).content.decode()
    assert "Anna李" in body
