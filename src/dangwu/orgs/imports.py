"""Import organizations and members from .xlsx / .csv files with Chinese column headers.

Validation comes first: every bad row is reported with its row number, column and reason, and
nothing is written until the whole file is clean. Imports are idempotent: organizations are
matched by code, members by ID number (through its blind index), so a second run of the same
file changes nothing.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core import crypto
from dangwu.core.errors import ValidationFailed
from dangwu.core.personal import normalize_id_number
from dangwu.orgs import permissions as perms
from dangwu.orgs.enums import (
    Education,
    Gender,
    MemberCategory,
    MemberStatus,
    NetworkAccess,
    OrgKind,
)
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.services import child_path, member_values, move_subtree
from dangwu.orgs.validation import member_problems, org_problems

# Column headers (the template) → model field. Labels are the Chinese the users write.
ORG_COLUMNS: dict[str, str] = {
    "组织编码": "code",
    "组织名称": "name",
    "简称": "short_name",
    "组织类别": "kind",
    "上级组织编码": "parent_code",
    "成立日期": "founded_on",
    "联系人": "contact_person",
    "联系电话": "contact_phone",
    "网络接入方式": "network_access",
    "书记能否操作电脑": "secretary_computer_literate",
}
ORG_REQUIRED = ("组织编码", "组织名称", "组织类别")

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

# Chinese labels accepted in the files for each coded value.
KIND_LABELS = {
    "工委": OrgKind.COMMITTEE,
    "机关党委": OrgKind.PARTY_COMMITTEE,
    "党总支": OrgKind.GENERAL_BRANCH,
    "党支部": OrgKind.BRANCH,
    "党小组": OrgKind.GROUP,
}
NETWORK_LABELS = {
    "内网直连": NetworkAccess.DIRECT,
    "经办公室内网": NetworkAccess.VIA_OFFICE,
    "仅互联网": NetworkAccess.INTERNET_ONLY,
    "未接入": NetworkAccess.NONE,
    "未知": NetworkAccess.UNKNOWN,
}
YES_NO = {"是": True, "能": True, "否": False, "不能": False}
GENDER_LABELS = {"男": Gender.MALE, "女": Gender.FEMALE}
CATEGORY_LABELS = {"正式党员": MemberCategory.FULL, "预备党员": MemberCategory.PROBATIONARY}
EDUCATION_LABELS = {
    "研究生": Education.POSTGRADUATE,
    "大学本科": Education.UNIVERSITY,
    "本科": Education.UNIVERSITY,
    "大专": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "中专": Education.SECONDARY,
    "高中": Education.SECONDARY,
    "中专及高中": Education.SECONDARY,
    "初中及以下": Education.PRIMARY,
}
STATUS_LABELS = {
    "正常": MemberStatus.ACTIVE,
    "转出在途": MemberStatus.TRANSFERRING,
    "已转出": MemberStatus.LEFT,
    "去世": MemberStatus.DECEASED,
}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class ImportRejected(ValidationFailed):
    """The file has problems; ``problems`` lists each one. Nothing was written."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            _("The file has %(n)d problem(s); nothing was imported.") % {"n": len(problems)},
            errors=[(p.column, str(p)) for p in problems],
        )
        self.problems = problems


# ---------------------------------------------------------------- reading files


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as seen in the file, header → text)


def _file_problem(message: str) -> ImportRejected:
    return ImportRejected([RowProblem(0, _("file"), message)])


def read_table(data: bytes, filename: str) -> Table:
    """Read an .xlsx or .csv upload; the type is decided by the content, not the name."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _file_problem(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise _file_problem(_("The file is empty."))
    unreadable = _(
        "This is not a readable spreadsheet. Please save it as .xlsx or .csv and try again."
    )
    if data[:4] == b"PK\x03\x04":
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
            raise _file_problem(unreadable) from None
        return _table(rows)
    if b"\x00" in data[:4096]:
        raise _file_problem(unreadable)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _table(list(csv.reader(io.StringIO(text))))
    raise _file_problem(unreadable)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(rows: list[Iterable[Any]]) -> Table:
    if not rows:
        raise _file_problem(_("The file is empty."))
    header = [_cell_text(h) for h in rows[0]]
    body = []
    for number, row in enumerate(rows[1:], start=2):
        values = [_cell_text(v) for v in row]
        if any(values):
            body.append(
                (
                    number,
                    {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h},
                )
            )
    return Table(header=[h for h in header if h], rows=body)


def _header_problems(
    table: Table, columns: dict[str, str], required: tuple[str, ...]
) -> list[RowProblem]:
    problems = [
        RowProblem(1, column, _("This required column is missing from the header row."))
        for column in required
        if column not in table.header
    ]
    problems += [
        RowProblem(1, column, _("Unknown column; please use the column names of the template."))
        for column in table.header
        if column not in columns
    ]
    if not problems and not table.rows:
        problems.append(RowProblem(2, _("file"), _("The file has a header row but no data.")))
    return problems


# ---------------------------------------------------------------- parsing cells


class _Cells:
    """Parse one row's cells, collecting every problem instead of stopping at the first."""

    def __init__(self, number: int, values: dict[str, str]) -> None:
        self.number = number
        self.values = values
        self.problems: list[RowProblem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 120) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.problem(column, _("This cell must not be empty."))
        elif len(value) > max_length:
            self.problem(column, _("At most %(n)d characters.") % {"n": max_length})
        return value

    def choice(
        self, column: str, labels: dict[str, Any], *, required: bool = False, default: Any = ""
    ) -> Any:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.problem(column, _("This cell must not be empty."))
            return default
        if value not in labels:
            self.problem(
                column,
                _("“%(value)s” is not allowed; use one of: %(allowed)s")
                % {"value": value, "allowed": "、".join(labels)},
            )
            return default
        return labels[value]

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.problem(column, _("This cell must not be empty."))
            return None
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
            try:
                return datetime.strptime(value, fmt).date()  # noqa: DTZ007  (a calendar date)
            except ValueError:
                continue
        self.problem(
            column, _("“%(value)s” is not a date; write it like 2024-07-01.") % {"value": value}
        )
        return None


# ---------------------------------------------------------------- organizations


def organizations_import(*, actor: Any, data: bytes, filename: str) -> ImportResult:
    """Validate the whole file, then create or update organizations by code, parents first."""
    table = read_table(data, filename)
    problems = _header_problems(table, ORG_COLUMNS, ORG_REQUIRED)
    if problems:
        raise ImportRejected(problems)
    parsed: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, values in table.rows:
        cells = _Cells(number, values)
        row = {
            "code": cells.text("组织编码", required=True, max_length=40),
            "name": cells.text("组织名称", required=True),
            "short_name": cells.text("简称", max_length=60),
            "kind": cells.choice("组织类别", KIND_LABELS, required=True),
            "parent_code": cells.text("上级组织编码", max_length=40),
            "founded_on": cells.date("成立日期"),
            "contact_person": cells.text("联系人", max_length=60),
            "contact_phone": cells.text("联系电话", max_length=40),
            "network_access": cells.choice(
                "网络接入方式", NETWORK_LABELS, default=NetworkAccess.UNKNOWN
            ),
            "secretary_computer_literate": cells.choice("书记能否操作电脑", YES_NO, default=None),
        }
        problems += cells.problems
        if row["code"] in parsed:
            problems.append(
                RowProblem(
                    number,
                    "组织编码",
                    _("The code %(code)s also appears in row %(other)d.")
                    % {"code": row["code"], "other": parsed[row["code"]][0]},
                )
            )
        elif row["code"]:
            parsed[row["code"]] = (number, row)
    existing = {
        o.code: o
        for o in Organization.objects.filter(
            code__in=list(parsed)
            + [r["parent_code"] for _n, r in parsed.values() if r["parent_code"]]
        )
    }
    order = _parents_first(parsed, existing, problems)
    for code in order:
        number, row = parsed[code]
        parent_kind = _kind_of(row["parent_code"], parsed, existing)
        for column_field, message in org_problems(
            code=code, name=row["name"], kind=row["kind"] or "", parent_kind=parent_kind
        ):
            if row["kind"] or column_field != "kind":
                problems.append(RowProblem(number, _org_column(column_field), message))
        scope_target = existing.get(code) or existing.get(row["parent_code"])
        if scope_target is None and row["parent_code"] in parsed:
            scope_target = _nearest_existing(row["parent_code"], parsed, existing)
        if scope_target is None:
            if actor is not access.SYSTEM:
                problems.append(
                    RowProblem(number, "上级组织编码", _("You may not add organizations here."))
                )
        elif not access.can(actor, perms.ORG_MANAGE, scope_target):
            problems.append(
                RowProblem(
                    number,
                    "组织编码",
                    _("You may not change organizations outside your own organization."),
                )
            )
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: (p.row, p.column)))
    return _apply_organizations(actor, order, parsed, existing)


def _org_column(field_name: str) -> str:
    inverse = {v: k for k, v in ORG_COLUMNS.items()}
    return inverse.get(field_name, inverse.get(f"{field_name}_code", "组织编码"))


def _kind_of(code: str, parsed: dict, existing: dict) -> str | None:
    if not code:
        return None
    if code in parsed:
        return parsed[code][1]["kind"] or None
    return existing[code].kind if code in existing else None


def _nearest_existing(code: str, parsed: dict, existing: dict) -> Organization | None:
    seen = set()
    while code in parsed and code not in existing and code not in seen:
        seen.add(code)
        code = parsed[code][1]["parent_code"]
    return existing.get(code)


def _parents_first(parsed: dict, existing: dict, problems: list[RowProblem]) -> list[str]:
    """Order the codes so each parent comes before its children; report unknown parents and cycles."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(code: str, chain: list[str]) -> bool:
        if state.get(code) == "done":
            return True
        if state.get(code) == "visiting":
            number = parsed[code][0]
            problems.append(
                RowProblem(
                    number,
                    "上级组织编码",
                    _("These organizations are each other's parents (a cycle): %(chain)s")
                    % {"chain": " → ".join([*chain[chain.index(code) :], code])},
                )
            )
            return False
        state[code] = "visiting"
        number, row = parsed[code]
        parent = row["parent_code"]
        ok = True
        if parent:
            if parent == code:
                problems.append(
                    RowProblem(
                        number, "上级组织编码", _("An organization cannot be its own parent.")
                    )
                )
                ok = False
            elif parent in parsed:
                ok = visit(parent, [*chain, code])
            elif parent not in existing:
                problems.append(
                    RowProblem(
                        number,
                        "上级组织编码",
                        _(
                            "There is no organization with the code %(code)s, neither in the platform "
                            "nor in this file."
                        )
                        % {"code": parent},
                    )
                )
                ok = False
        state[code] = "done"
        order.append(code)
        return ok

    for code in parsed:
        visit(code, [])
    return order


@transaction.atomic
def _apply_organizations(
    actor: Any, order: list[str], parsed: dict, existing: dict
) -> ImportResult:
    result = ImportResult()
    by_code = dict(existing)
    fields = (
        "name",
        "short_name",
        "kind",
        "founded_on",
        "contact_person",
        "contact_phone",
        "network_access",
        "secretary_computer_literate",
    )
    for code in order:
        _number, row = parsed[code]
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        values = {f: row[f] for f in fields}
        org = by_code.get(code) if code in existing else None
        if org is None:
            org = Organization.objects.create(
                code=code,
                parent=parent,
                path=child_path(parent, code),
                depth=parent.depth + 1 if parent else 0,
                **values,
            )
            by_code[code] = org
            result.created += 1
            continue
        changed = {f: v for f, v in values.items() if getattr(org, f) != v}
        parent_changed = (parent.pk if parent else None) != org.parent_id
        if not changed and not parent_changed:
            result.unchanged += 1
            continue
        for f, v in changed.items():
            setattr(org, f, v)
        if parent_changed and parent is not None:
            move_subtree(org, parent)
        org.save()
        result.updated += 1
    audit_record(
        actor=actor,
        action="orgs.organizations_imported",
        details={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result


# ---------------------------------------------------------------- members


def members_import(*, actor: Any, data: bytes, filename: str) -> ImportResult:
    """Validate the whole file, then create or update member records by ID number in bulk."""
    table = read_table(data, filename)
    problems = _header_problems(table, MEMBER_COLUMNS, MEMBER_REQUIRED)
    if problems:
        raise ImportRejected(problems)
    org_codes = {values.get("所在组织编码", "").strip() for _n, values in table.rows}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=org_codes)}
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen_ids: dict[str, int] = {}
    for number, values in table.rows:
        cells = _Cells(number, values)
        row = {
            "name": cells.text("姓名", required=True, max_length=60),
            "gender": cells.choice("性别", GENDER_LABELS, required=True),
            "ethnicity": cells.text("民族", max_length=20) or "汉族",
            "birth_date": cells.date("出生日期", required=True),
            "id_number": normalize_id_number(
                cells.text("身份证号码", required=True, max_length=18)
            ),
            "education": cells.choice("学历", EDUCATION_LABELS),
            "category": cells.choice("人员类别", CATEGORY_LABELS, required=True),
            "joined_on": cells.date("入党日期", required=True),
            "full_member_on": cells.date("转正日期"),
            "post": cells.text("党内职务", max_length=60),
            "phone": cells.text("联系电话", max_length=20),
            "status": cells.choice("状态", STATUS_LABELS, default=MemberStatus.ACTIVE),
        }
        org_code = cells.text("所在组织编码", required=True, max_length=40)
        for field_name, message in member_problems(
            id_number=row["id_number"],
            phone=row["phone"],
            birth_date=row["birth_date"],
            joined_on=row["joined_on"],
            full_member_on=row["full_member_on"],
            category=row["category"],
        ):
            cells.problem(_member_column(field_name), message)
        id_number = row["id_number"]
        if id_number and id_number[:14][6:14].isdigit() and row["birth_date"]:
            if id_number[6:14] != row["birth_date"].strftime("%Y%m%d"):
                cells.problem(
                    "出生日期", _("The birth date differs from the one in the ID number.")
                )
        if id_number in seen_ids:
            cells.problem(
                "身份证号码",
                _("This ID number also appears in row %(other)d.") % {"other": seen_ids[id_number]},
            )
        elif id_number:
            seen_ids[id_number] = number
        org = orgs.get(org_code)
        if org_code and org is None:
            cells.problem(
                "所在组织编码",
                _("There is no organization with the code %(code)s.") % {"code": org_code},
            )
        elif org is not None and not access.can(actor, perms.MEMBER_MANAGE, org):
            cells.problem(
                "所在组织编码", _("You may not change members outside your own organization.")
            )
        row["organization"] = org
        problems += cells.problems
        parsed.append((number, row))
    if problems:
        raise ImportRejected(problems)
    return _apply_members(actor, parsed)


def _member_column(field_name: str) -> str:
    inverse = {v: k for k, v in MEMBER_COLUMNS.items()}
    return inverse.get(field_name, field_name)


_MEMBER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "full_member_on",
    "post",
    "status",
    "organization",
)


@transaction.atomic
def _apply_members(actor: Any, parsed: list[tuple[int, dict[str, Any]]]) -> ImportResult:
    result = ImportResult()
    index_of = {crypto.blind_index(row["id_number"]): row for _n, row in parsed}
    existing = {
        m.id_number_index: m
        for m in Member.objects.filter(id_number_index__in=list(index_of)).select_related(None)
    }
    to_create: list[Member] = []
    to_update: list[Member] = []
    for index, row in index_of.items():
        personal = member_values(id_number=row["id_number"], phone=row["phone"])
        member = existing.get(index)
        if member is None:
            to_create.append(Member(**{f: row[f] for f in _MEMBER_FIELDS}, **personal))
            continue
        changed = [f for f in _MEMBER_FIELDS if getattr(member, f) != row[f]]
        if member.phone != row["phone"]:
            changed.append("phone")
        if not changed:
            result.unchanged += 1
            continue
        for f in _MEMBER_FIELDS:
            setattr(member, f, row[f])
        member.phone = personal["phone"]
        member.phone_masked = personal["phone_masked"]
        to_update.append(member)
    Member.objects.bulk_create(to_create, batch_size=500)
    Member.objects.bulk_update(
        to_update, [*_MEMBER_FIELDS, "phone", "phone_masked"], batch_size=500
    )
    result.created, result.updated = len(to_create), len(to_update)
    audit_record(
        actor=actor,
        action="orgs.members_imported",
        details={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result


# ---------------------------------------------------------------- templates and export


def template_workbook(columns: dict[str, str], example: list[str]) -> bytes:
    """Return an .xlsx with the header row and one example row (the downloadable template)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入模板"
    sheet.append(list(columns))
    sheet.append(example)
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) * 2 + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
