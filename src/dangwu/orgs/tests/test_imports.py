"""Spreadsheet imports: every kind of bad file is refused with row-level reasons, nothing
half-written; good files are applied idempotently and only inside the importer's subtree."""

import io
import os
import zipfile
from datetime import date, datetime

import pytest
from django.utils.translation import gettext as _

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.core import crypto
from dangwu.orgs.enums import MemberCategory, NetworkAccess, OrgKind
from dangwu.orgs.imports import (
    MEMBER_COLUMNS,
    MEMBER_EXAMPLE,
    ORG_COLUMNS,
    ImportRejected,
    members_import,
    organizations_import,
    read_table,
    template_workbook,
)
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.tests.factories import (
    csv_bytes,
    member_row,
    members_csv,
    members_xlsx,
    org_row,
    orgs_csv,
    table,
)
from tests.personas import make_id_number

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def rejected(run, *, actor=SYSTEM, data: bytes, filename: str = "upload.csv") -> ImportRejected:
    before = (Organization.objects.count(), Member.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ImportRejected) as info:
        run(actor=actor, data=data, filename=filename)
    after = (Organization.objects.count(), Member.objects.count(), AuditRecord.objects.count())
    assert after == before, "a rejected file must write nothing"
    return info.value


def where(error: ImportRejected) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in error.problems}


# ---------------------------------------------------------------- the file itself


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(world, settings):
    settings.IMPORT_MAX_BYTES = 200
    data = members_csv(*(member_row(f"党员{i}", i) for i in range(5)))
    assert len(data) > 200
    error = rejected(members_import, data=data)
    assert [p.row for p in error.problems] == [0]
    assert "200" in error.message


@pytest.mark.parametrize(
    "data",
    [PNG, os.urandom(3000), b"PK\x03\x04" + os.urandom(500)],
    ids=["png", "random-binary", "broken-zip"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_name(world, data):
    error = rejected(members_import, data=data, filename="党员名单.xlsx")
    assert error.message == _(
        "This is not a readable spreadsheet. Please save it as .xlsx or .csv and try again."
    )


def test_a_zip_archive_that_is_not_a_workbook_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = rejected(organizations_import, data=buffer.getvalue(), filename="orgs.xlsx")
    assert [p.row for p in error.problems] == [0]


def test_an_old_xls_workbook_gets_advice_to_save_as_xlsx(world):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    error = rejected(members_import, data=data, filename="old.xls")
    assert ".xlsx" in error.message


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n", b",,,\r\n,,\r\n"], ids=["empty", "blank", "commas"]
)
def test_an_empty_file_is_refused(world, data):
    error = rejected(members_import, data=data)
    assert error.message == _("The file is empty.")


def test_a_file_with_only_the_header_row_is_refused(world):
    error = rejected(members_import, data=csv_bytes(list(MEMBER_COLUMNS), []))
    assert error.problems[0].message == _("The file has a header row but no data.")


# ---------------------------------------------------------------- headers


def test_an_unknown_column_is_reported_on_the_header_row(world):
    header, rows = table([member_row("党员甲", 1)], MEMBER_COLUMNS)
    header[0] = "名字"
    error = rejected(members_import, data=csv_bytes(header, rows))
    assert (1, "名字") in where(error)
    assert (1, "姓名") in where(error)  # and the required one is missing


def test_a_missing_required_column_is_named(world):
    header, rows = table([member_row("党员甲", 1)], MEMBER_COLUMNS)
    drop = header.index("身份证号码")
    del header[drop]
    for row in rows:
        del row[drop]
    error = rejected(members_import, data=csv_bytes(header, rows))
    assert [(p.row, p.column, p.message) for p in error.problems] == [
        (1, "身份证号码", _("This required column is missing."))
    ]


def test_a_repeated_column_is_reported(world):
    header, rows = table([org_row("A0103", "第三支部")], ORG_COLUMNS)
    error = rejected(
        organizations_import, data=csv_bytes([*header, "简称"], [[*r, "三支"] for r in rows])
    )
    assert where(error) == {(1, "简称")}


def test_a_member_list_uploaded_as_organizations_says_which_kind_it_is(world):
    error = rejected(organizations_import, data=members_csv(member_row("党员甲", 1)))
    assert len(error.problems) == 1
    assert error.problems[0].message == _(
        "This looks like a member list. Choose “Members” and upload it again."
    )


def test_the_header_may_start_below_blank_rows_and_row_numbers_stay_those_of_the_file(world):
    header, rows = table([member_row("党员甲", 1, 入党日期="2005-13-01")], MEMBER_COLUMNS)
    data = csv_bytes([""] * len(header), [[""] * len(header), header, *rows])
    error = rejected(members_import, data=data)
    # blank, blank, header on row 3, the member on row 4
    assert where(error) == {(4, "入党日期")}


# ---------------------------------------------------------------- member rows


def test_every_bad_member_cell_is_reported_with_row_and_column(world):
    good = member_row("党员甲", 1)
    bad_date = member_row("党员乙", 2, 入党日期="2005年13月1日")
    bad_check = member_row("党员丙", 3)
    valid = bad_check["身份证号码"]
    bad_check["身份证号码"] = valid[:17] + ("1" if valid[17] != "1" else "2")
    wrong_birth = member_row("党员丁", 4, 出生日期="1981-04-05")
    bad_choice = member_row("党员戊", 5, 性别="男性", 人员类别="党员")
    empty_name = member_row("", 6)
    error = rejected(
        members_import,
        data=members_csv(good, bad_date, bad_check, wrong_birth, bad_choice, empty_name),
    )
    assert where(error) == {
        (3, "入党日期"),
        (4, "身份证号码"),
        (5, "出生日期"),
        (6, "性别"),
        (6, "人员类别"),
        (7, "姓名"),
    }
    messages = {(p.row, p.column): p.message for p in error.problems}
    assert messages[(4, "身份证号码")] == _(
        "The ID number's check character is wrong; please check for a typing mistake."
    )
    assert messages[(3, "入党日期")] == _(
        "“%(value)s” is not a date; write it like 2024-07-01."
    ) % {"value": "2005年13月1日"}
    assert "1980-05-05" in messages[(5, "出生日期")]


def test_a_duplicate_id_number_in_the_file_points_to_the_first_row(world):
    first = member_row("党员甲", 1)
    again = member_row(
        "党员乙", 2, 身份证号码=first["身份证号码"].lower(), 出生日期=first["出生日期"]
    )
    error = rejected(members_import, data=members_csv(first, again))
    assert where(error) == {(3, "身份证号码")}
    assert error.problems[0].message == _("This ID number also appears in row %(other)d.") % {
        "other": 2
    }


def test_an_unknown_organization_code_is_reported(world):
    error = rejected(members_import, data=members_csv(member_row("党员甲", 1, org="Z99")))
    assert where(error) == {(2, "所在组织编码")}


def test_one_bad_row_means_nothing_is_imported(world):
    rows = [member_row(f"党员{i}", i) for i in range(1, 40)]
    rows[25]["转正日期"] = "2004-01-01"  # before the date joined
    error = rejected(members_import, data=members_csv(*rows))
    assert where(error) == {(27, "转正日期")}
    assert not Member.objects.filter(name__startswith="党员1").exists()


# ---------------------------------------------------------------- members applied


def test_members_are_created_with_encrypted_and_masked_personal_values(world):
    row = member_row("党员甲", 1, 人员类别="预备党员", 转正日期="", 学历="大专")
    result = members_import(actor=SYSTEM, data=members_csv(row))
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    member = Member.objects.get(id_number_index=crypto.blind_index(row["身份证号码"]))
    assert member.organization == world.orgs["branch1"]
    assert member.category == MemberCategory.PROBATIONARY
    assert member.id_number == row["身份证号码"]
    assert member.id_number_masked == row["身份证号码"][:4] + "*" * 10 + row["身份证号码"][-4:]
    assert member.phone == row["联系电话"]
    assert AuditRecord.objects.filter(action="orgs.members_imported").count() == 1


def test_importing_the_same_member_file_twice_changes_nothing_the_second_time(world):
    data = members_csv(*(member_row(f"党员{i}", i) for i in range(1, 21)))
    first = members_import(actor=SYSTEM, data=data)
    count = Member.objects.count()
    stamps = dict(Member.objects.values_list("pk", "updated_at"))
    second = members_import(actor=SYSTEM, data=data)
    assert first.created == 20
    assert (second.created, second.updated, second.unchanged) == (0, 0, 20)
    assert Member.objects.count() == count
    assert dict(Member.objects.values_list("pk", "updated_at")) == stamps


def test_a_changed_row_updates_the_existing_member_found_by_id_number(world):
    colleague = world.members["colleague"]
    row = member_row(
        "党员丙（改名）",
        3,
        org="A0101",
        出生日期=f"{colleague.birth_date:%Y-%m-%d}",
        身份证号码=colleague.id_number,
        联系电话="13700000000",
    )
    result = members_import(actor=SYSTEM, data=members_csv(row))
    assert (result.created, result.updated) == (0, 1)
    colleague = Member.objects.get(pk=colleague.pk)
    assert colleague.name == "党员丙（改名）"
    assert colleague.organization == world.orgs["branch1"]
    assert colleague.phone == "13700000000"
    assert colleague.phone_masked == "137****0000"


def test_an_xlsx_with_real_date_cells_and_number_cells_is_read(world):
    birth = date(1979, 6, 30)
    id_number = make_id_number(birth, 77)
    row = member_row(
        "党员甲",
        1,
        出生日期=datetime(1979, 6, 30),
        身份证号码=id_number,
        入党日期=date(2003, 7, 1),
        转正日期=datetime(2004, 7, 1, 0, 0),
        联系电话=13812345678,
    )
    result = members_import(actor=SYSTEM, data=members_xlsx(row), filename="名单.xlsx")
    assert result.created == 1
    member = Member.objects.get(id_number_index=crypto.blind_index(id_number))
    assert (member.birth_date, member.joined_on, member.full_member_on) == (
        birth,
        date(2003, 7, 1),
        date(2004, 7, 1),
    )
    assert member.phone == "13812345678"


def test_a_date_cell_formatted_as_a_plain_number_is_read_as_the_date(world):
    # 2003-07-01 is day 37803 in Excel.
    row = member_row("党员甲", 1, 入党日期=37803, 转正日期="2004/7/1")
    members_import(actor=SYSTEM, data=members_xlsx(row), filename="名单.xlsx")
    member = Member.objects.get(name="党员甲")
    assert (member.joined_on, member.full_member_on) == (date(2003, 7, 1), date(2004, 7, 1))


def test_a_gbk_encoded_csv_from_chinese_excel_is_read(world):
    data = members_csv(member_row("欧阳党员", 1, 民族="土家族"), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    members_import(actor=SYSTEM, data=data, filename="名单.csv")
    assert Member.objects.get(name="欧阳党员").ethnicity == "土家族"


def test_a_utf8_csv_with_bom_and_a_tab_separated_unicode_text_file_are_read(world):
    bom = "\ufeff".encode() + members_csv(member_row("党员甲", 1))
    header, rows = table([member_row("党员乙", 2)], MEMBER_COLUMNS)
    tabbed = "\r\n".join("\t".join(map(str, r)) for r in [header, *rows]).encode("utf-16")
    assert read_table(bom).header[0] == "姓名"
    members_import(actor=SYSTEM, data=bom)
    members_import(actor=SYSTEM, data=tabbed, filename="名单.txt")
    assert set(
        Member.objects.filter(name__in=["党员甲", "党员乙"]).values_list("name", flat=True)
    ) == {
        "党员甲",
        "党员乙",
    }


def test_the_exported_organization_name_column_is_accepted_and_ignored(world):
    header, rows = table([member_row("党员甲", 1)], MEMBER_COLUMNS)
    data = csv_bytes([*header, "所在组织名称"], [[*r, "随便写"] for r in rows])
    assert members_import(actor=SYSTEM, data=data).created == 1


# ---------------------------------------------------------------- member permissions


def test_a_secretary_can_import_members_into_their_own_organization(world):
    result = members_import(
        actor=world.user("secretary"), data=members_csv(member_row("党员甲", 1, org="A0102"))
    )
    assert result.created == 1


def test_a_secretary_of_a01_cannot_import_members_into_a02(world):
    rows = [member_row("党员甲", 1, org="A0101"), member_row("党员乙", 2, org="A0201")]
    error = rejected(members_import, actor=world.user("secretary"), data=members_csv(*rows))
    assert where(error) == {(3, "所在组织编码")}


def test_a_secretary_cannot_pull_another_organizations_member_in_by_id_number(world):
    other = world.members["other"]
    row = member_row(
        "党员丁",
        4,
        org="A0101",
        出生日期=f"{other.birth_date:%Y-%m-%d}",
        身份证号码=other.id_number,
    )
    error = rejected(members_import, actor=world.user("secretary"), data=members_csv(row))
    assert where(error) == {(2, "身份证号码")}
    assert Member.objects.get(pk=other.pk).organization == world.orgs["branch3"]


def test_a_leader_who_may_not_manage_members_cannot_import_any(world):
    error = rejected(
        members_import, actor=world.user("leader"), data=members_csv(member_row("党员甲", 1))
    )
    assert where(error) == {(2, "所在组织编码")}


# ---------------------------------------------------------------- organizations


def test_organizations_are_created_parents_first_whatever_the_row_order(world):
    data = orgs_csv(
        org_row("A030101", "第一党小组", "党小组", "A0301"),
        org_row("A0301", "第一支部", "党支部", "A03"),
        org_row(
            "A03", "第三机关党委", "机关党委", "GW", 网络接入方式="未接入", 书记能否操作电脑="否"
        ),
    )
    result = organizations_import(actor=SYSTEM, data=data)
    assert result.created == 3
    group = Organization.objects.get(code="A030101")
    assert (group.path, group.depth) == ("/GW/A03/A0301/A030101/", 3)
    a03 = Organization.objects.get(code="A03")
    assert (a03.network_access, a03.secretary_computer_literate) == (NetworkAccess.NONE, False)


def test_importing_the_same_organization_file_twice_changes_nothing_the_second_time(world):
    data = orgs_csv(
        org_row("A03", "第三机关党委", "机关党委", "GW", 成立日期="1990-07-01"),
        org_row("A0301", "第一支部", "党支部", "A03"),
    )
    organizations_import(actor=SYSTEM, data=data)
    count = Organization.objects.count()
    second = organizations_import(actor=SYSTEM, data=data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Organization.objects.count() == count


def test_duplicate_codes_in_the_file_are_reported(world):
    error = rejected(
        organizations_import,
        data=orgs_csv(org_row("A0103", "第三支部"), org_row("A0103", "第四支部")),
    )
    assert where(error) == {(3, "组织编码")}


def test_an_unknown_parent_is_reported(world):
    error = rejected(
        organizations_import, data=orgs_csv(org_row("A0301", "第一支部", parent="A03"))
    )
    assert where(error) == {(2, "上级组织编码")}


def test_a_cycle_in_the_file_is_reported_on_each_of_its_rows(world):
    data = orgs_csv(
        org_row("X1", "甲党总支", "党总支", "X2"),
        org_row("X2", "乙党总支", "党总支", "X1"),
        org_row("X3", "丙支部", "党支部", "X1"),
    )
    error = rejected(organizations_import, data=data)
    assert {(2, "上级组织编码"), (3, "上级组织编码")} <= where(error)
    assert "X1 → X2 → X1" in error.problems[0].message


def test_an_organization_cannot_be_its_own_parent(world):
    error = rejected(
        organizations_import, data=orgs_csv(org_row("A0103", "第三支部", parent="A0103"))
    )
    assert where(error) == {(2, "上级组织编码")}


def test_moving_an_organization_under_its_own_descendant_already_in_the_platform_is_a_cycle(world):
    # A01 is in the platform above A0101; the file puts A01 under A0101.
    data = orgs_csv(org_row("A01", "第一机关党委", "机关党委", "A0101"))
    error = rejected(organizations_import, data=data)
    assert (2, "上级组织编码") in where(error)
    assert Organization.objects.get(code="A0101").path == "/GW/A01/A0101/"


def test_a_kind_not_allowed_under_its_parent_is_reported(world):
    data = orgs_csv(
        org_row("A0103", "第三支部", "机关党委", "A01"),
        org_row("A020101", "小组", "党小组", "A02"),
        org_row("TOP", "另一个工委", "党支部", ""),
    )
    error = rejected(organizations_import, data=data)
    assert where(error) == {(2, "组织类别"), (3, "组织类别"), (4, "上级组织编码")}


def test_changing_a_kind_that_its_existing_sub_organizations_do_not_allow_is_reported(world):
    # A0101 (a branch) has the party group A010101 under it; a general branch has no groups.
    error = rejected(
        organizations_import, data=orgs_csv(org_row("A0101", "第一机关党委第一支部", "党总支"))
    )
    assert where(error) == {(2, "组织类别")}
    assert "第一党小组" in error.problems[0].message


def test_moving_an_organization_moves_its_whole_subtree(world):
    data = orgs_csv(org_row("A0101", "第一机关党委第一支部", "党支部", "A02"))
    result = organizations_import(actor=SYSTEM, data=data)
    assert result.updated == 1
    paths = dict(Organization.objects.values_list("code", "path"))
    assert paths["A0101"] == "/GW/A02/A0101/"
    assert paths["A010101"] == "/GW/A02/A0101/A010101/"
    assert Organization.objects.get(code="A010101").depth == 3


def test_a_move_and_a_new_child_of_the_moved_organization_in_one_file(world):
    data = orgs_csv(
        org_row("A010102", "第二党小组", "党小组", "A0101"),
        org_row("A0101", "第一机关党委第一支部", "党支部", "A02"),
        org_row("A02", "第二机关党委（新名）", "机关党委", "GW", 网络接入方式="未接入"),
    )
    result = organizations_import(actor=SYSTEM, data=data)
    assert (result.created, result.updated) == (1, 2)
    paths = dict(Organization.objects.values_list("code", "path"))
    assert paths["A010102"] == "/GW/A02/A0101/A010102/"
    assert paths["A010101"] == "/GW/A02/A0101/A010101/"


def test_a_secretary_of_a01_cannot_import_organizations_into_a02(world):
    data = orgs_csv(
        org_row("A0103", "第三支部", parent="A01"), org_row("A0202", "第二支部", parent="A02")
    )
    error = rejected(organizations_import, actor=world.user("secretary"), data=data)
    assert where(error) == {(3, "组织编码")}


def test_a_secretary_cannot_move_an_organization_out_of_their_subtree(world):
    data = orgs_csv(org_row("A0102", "第一机关党委第二支部", "党支部", "A02"))
    error = rejected(organizations_import, actor=world.user("secretary"), data=data)
    assert where(error) == {(2, "组织编码")}
    assert Organization.objects.get(code="A0102").path == "/GW/A01/A0102/"


def test_a_secretary_may_update_their_own_organization_and_add_under_it(world):
    data = orgs_csv(
        org_row("A01", "第一机关党委", "机关党委", "GW", 网络接入方式="内网直连"),
        org_row("A0103", "第三支部", parent="A01"),
    )
    result = organizations_import(actor=world.user("secretary"), data=data)
    assert (result.created, result.unchanged) == (1, 1)
    assert Organization.objects.get(code="A0103").kind == OrgKind.BRANCH


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", ["organizations", "members"])
def test_the_template_has_the_columns_and_an_example_row_that_passes_the_checks(world, kind):
    table_ = read_table(template_workbook(kind), "template.xlsx")
    columns = ORG_COLUMNS if kind == "organizations" else MEMBER_COLUMNS
    assert table_.header == list(columns)
    assert len(table_.rows) == 1
    if kind == "members":
        # The example only needs its organization to exist.
        assert table_.rows[0][1]["身份证号码"] == MEMBER_EXAMPLE[4]
        assert members_import(actor=SYSTEM, data=template_workbook(kind)).created == 1
    else:
        assert organizations_import(actor=SYSTEM, data=template_workbook(kind)).updated == 1
