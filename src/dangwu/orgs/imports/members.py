"""Import member records: validate the whole file, then create or update them by ID number."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core import crypto
from dangwu.core.personal import id_check_char, normalize_id_number
from dangwu.orgs import permissions as perms
from dangwu.orgs.enums import Education, Gender, MemberCategory, MemberStatus
from dangwu.orgs.imports.tables import (
    Cells,
    ImportRejected,
    ImportResult,
    RowProblem,
    header_problems,
    in_chunks,
    read_table,
)
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.services import MEMBER_FIELDS as _FIELDS
from dangwu.orgs.services import member_values
from dangwu.orgs.validation import member_problems

MEMBER_COLUMNS: dict[str, str] = {
    "姓名": "name",
    "性别": "gender",
    "民族": "ethnicity",
    "出生日期": "birth_date",
    "身份证号码": "id_number",
    "学历": "education",
    "人员类别": "category",
    "入党日期": "joined_on",
    "转正日期": "full_member_on",
    "所在组织编码": "org_code",
    "党内职务": "post",
    "联系电话": "phone",
    "状态": "status",
}
MEMBER_REQUIRED = ("姓名", "性别", "出生日期", "身份证号码", "人员类别", "入党日期", "所在组织编码")
# Accepted and ignored on import, so that an exported list can be corrected and imported again.
MEMBER_INFO_COLUMNS = ("所在组织名称",)

_EXAMPLE_ID_BODY = "43010219750312003"
MEMBER_EXAMPLE = [
    "张伟",
    "男",
    "汉族",
    "1975-03-12",
    _EXAMPLE_ID_BODY + id_check_char(_EXAMPLE_ID_BODY),
    "大学本科",
    "正式党员",
    "2001-06-28",
    "2002-06-28",
    "A0101",
    "组织委员",
    "13907310001",
    "正常",
]

GENDER_LABELS = {"男": Gender.MALE, "女": Gender.FEMALE}
CATEGORY_LABELS = {"正式党员": MemberCategory.FULL, "预备党员": MemberCategory.PROBATIONARY}
# The first label of each value is the one exports write.
EDUCATION_LABELS = {
    "研究生": Education.POSTGRADUATE,
    "大学本科": Education.UNIVERSITY,
    "本科": Education.UNIVERSITY,
    "大专": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "中专及高中": Education.SECONDARY,
    "中专": Education.SECONDARY,
    "高中": Education.SECONDARY,
    "初中及以下": Education.PRIMARY,
}
STATUS_LABELS = {
    "正常": MemberStatus.ACTIVE,
    "转出在途": MemberStatus.TRANSFERRING,
    "已转出": MemberStatus.LEFT,
    "去世": MemberStatus.DECEASED,
}


@dataclass
class _MemberRow:
    number: int
    values: dict[str, Any]
    id_number: str
    phone: str
    organization: Organization | None
    index: str = ""


def members_import(*, actor: Any, data: bytes, filename: str = "") -> ImportResult:
    """Validate the whole file, then create or update member records by ID number in bulk.

    Raise :class:`ImportRejected` listing every problem (nothing written) when any row is bad,
    including rows placing or changing a member outside ``actor``'s subtree.
    """
    from dangwu.orgs.imports.organizations import ORG_COLUMNS

    table = read_table(data, filename)
    problems = header_problems(
        table,
        [*MEMBER_COLUMNS, *MEMBER_INFO_COLUMNS],
        MEMBER_REQUIRED,
        other_kind=(
            ORG_COLUMNS,
            _(
                "This looks like a list of organizations. Choose “Organizations” and upload it "
                "again."
            ),
        ),
    )
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        rows = _parse(table.rows, problems)
        existing = _existing(rows)
        problems += _permission_problems(actor, rows, existing)
        if problems:
            raise ImportRejected(problems)
        result = _apply(rows, existing)
        result.audit(actor=actor, action="orgs.members_imported", filename=filename)
    return result


def _organizations(table_rows: list[tuple[int, dict[str, str]]]) -> dict[str, Organization]:
    codes = sorted({values.get("所在组织编码", "").strip() for _n, values in table_rows} - {""})
    found: dict[str, Organization] = {}
    for chunk in in_chunks(codes):
        found.update(
            (o.code, o) for o in Organization.objects.filter(code__in=chunk).only("code", "path")
        )
    return found


def _parse(
    table_rows: list[tuple[int, dict[str, str]]], problems: list[RowProblem]
) -> list[_MemberRow]:
    orgs = _organizations(table_rows)
    rows: list[_MemberRow] = []
    seen_ids: dict[str, int] = {}
    for number, values in table_rows:
        cells = Cells(number, values)
        values_ = {
            "name": cells.text("姓名", required=True, max_length=60),
            "gender": cells.choice("性别", GENDER_LABELS, required=True),
            "ethnicity": cells.text("民族", max_length=20) or "汉族",
            "birth_date": cells.date("出生日期", required=True),
            "education": cells.choice("学历", EDUCATION_LABELS),
            "category": cells.choice("人员类别", CATEGORY_LABELS, required=True),
            "joined_on": cells.date("入党日期", required=True),
            "full_member_on": cells.date("转正日期"),
            "post": cells.text("党内职务", max_length=60),
            "status": cells.choice("状态", STATUS_LABELS, default=MemberStatus.ACTIVE),
        }
        id_number = normalize_id_number(cells.text("身份证号码", required=True, max_length=40))
        phone = cells.text("联系电话", max_length=20)
        org_code = cells.text("所在组织编码", required=True, max_length=40)
        for field_name, message in member_problems(
            id_number=id_number,
            phone=phone,
            birth_date=values_["birth_date"],
            joined_on=values_["joined_on"],
            full_member_on=values_["full_member_on"],
            category=values_["category"],
        ):
            column = _column(field_name)
            if not cells.has_problem(column):  # "must not be empty" already says it
                cells.problem(column, message)
        id_ok = id_number and not cells.has_problem("身份证号码")
        birth = values_["birth_date"]
        if id_ok and isinstance(birth, date) and id_number[6:14] != f"{birth:%Y%m%d}":
            cells.problem(
                "出生日期",
                _("The birth date differs from the one in the ID number (%(date)s).")
                % {"date": f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}"},
            )
        if id_ok and id_number in seen_ids:
            cells.problem(
                "身份证号码",
                _("This ID number also appears in row %(other)d.") % {"other": seen_ids[id_number]},
            )
        elif id_ok:
            seen_ids[id_number] = number
        organization = orgs.get(org_code)
        if org_code and organization is None:
            cells.problem(
                "所在组织编码",
                _("There is no organization with the code %(code)s.") % {"code": org_code},
            )
        problems += cells.problems
        rows.append(_MemberRow(number, values_, id_number, phone, organization))
    return rows


def _column(field_name: str) -> str:
    return {v: k for k, v in MEMBER_COLUMNS.items()}.get(field_name, "身份证号码")


def _existing(rows: list[_MemberRow]) -> dict[str, Member]:
    for row in rows:
        row.index = crypto.blind_index(row.id_number) if row.id_number else ""
    indexes = sorted({r.index for r in rows if r.index})
    existing: dict[str, Member] = {}
    for chunk in in_chunks(indexes):
        members = (
            Member.objects.filter(id_number_index__in=chunk)
            .select_related("organization")
            .only(*_FIELDS, "id_number_index", "phone", "organization__path")
        )
        existing.update((m.id_number_index, m) for m in members)
    return existing


def _permission_problems(
    actor: Any, rows: list[_MemberRow], existing: dict[str, Member]
) -> list[RowProblem]:
    """Every row must place the member in the actor's subtree and take it from there."""
    problems = []
    for row in rows:
        current = existing.get(row.index)
        if row.organization is not None and not access.can(
            actor, perms.MEMBER_MANAGE, row.organization
        ):
            problems.append(
                RowProblem(
                    row.number,
                    "所在组织编码",
                    _("You may only add or change members of your own organization."),
                )
            )
        elif current is not None and not access.can(actor, perms.MEMBER_MANAGE, current):
            problems.append(
                RowProblem(
                    row.number,
                    "身份证号码",
                    _(
                        "This person's record belongs to another organization; their "
                        "organization must transfer them first."
                    ),
                )
            )
    return problems


def _apply(rows: list[_MemberRow], existing: dict[str, Member]) -> ImportResult:
    result = ImportResult()
    to_create: list[Member] = []
    to_update: list[Member] = []
    now = timezone.now()
    for row in rows:
        # _parse reported every row without a known organization; only a clean file gets here.
        organization = cast(Organization, row.organization)
        member = existing.get(row.index)
        if member is None:
            to_create.append(
                Member(
                    organization=organization,
                    **row.values,
                    **member_values(id_number=row.id_number, phone=row.phone),
                )
            )
            continue
        changed = any(getattr(member, f) != row.values[f] for f in _FIELDS) or (
            member.organization_id != organization.pk or member.phone != row.phone
        )
        if not changed:
            result.unchanged += 1
            continue
        for f in _FIELDS:
            setattr(member, f, row.values[f])
        member.organization = organization
        personal = member_values(id_number=row.id_number, phone=row.phone)
        member.phone, member.phone_masked = personal["phone"], personal["phone_masked"]
        member.updated_at = now
        to_update.append(member)
    Member.objects.bulk_create(to_create, batch_size=500)
    Member.objects.bulk_update(
        to_update, [*_FIELDS, "organization", "phone", "phone_masked", "updated_at"], batch_size=500
    )
    result.created, result.updated = len(to_create), len(to_update)
    return result
