"""Downloadable import templates and the member list export (.xlsx)."""

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.personal import mask_id_number
from dangwu.orgs import permissions as perms
from dangwu.orgs import selectors
from dangwu.orgs.imports.members import (
    CATEGORY_LABELS,
    EDUCATION_LABELS,
    GENDER_LABELS,
    MEMBER_COLUMNS,
    MEMBER_EXAMPLE,
    MEMBER_INFO_COLUMNS,
    MEMBER_REQUIRED,
    STATUS_LABELS,
)
from dangwu.orgs.imports.organizations import (
    KIND_LABELS,
    NETWORK_LABELS,
    ORG_COLUMNS,
    ORG_EXAMPLE,
    ORG_REQUIRED,
    YES_NO,
)
from dangwu.orgs.models import Organization

TEMPLATE_KINDS = ("organizations", "members")
# Columns Excel must keep as text: it would turn an 18-digit ID number into 4.30102E+17.
_TEXT_COLUMNS = {"身份证号码", "联系电话", "组织编码", "上级组织编码", "所在组织编码"}
_DATE_HELP = "2024-07-01"


def _allowed(labels: dict[str, Any]) -> str:
    return "、".join(labels)


def _column_notes(kind: str) -> list[tuple[str, bool, str]]:
    """Return (column, required, what to write) for each column of a template."""
    if kind == "organizations":
        notes = {
            "组织编码": _(
                "Unique code of the organization: letters, digits, - and _ (at most 40)."
            ),
            "组织名称": _("Full name."),
            "简称": _("Short name (optional)."),
            "组织类别": _allowed(KIND_LABELS),
            "上级组织编码": _(
                "Code of the organization above it, in the platform or in this file; empty only "
                "for the working committee."
            ),
            "成立日期": _("A date like %(example)s.") % {"example": _DATE_HELP},
            "联系人": _("Name of the contact person."),
            "联系电话": _("Contact phone number."),
            "网络接入方式": _allowed(NETWORK_LABELS) + _(" (empty means 未知)"),
            "书记能否操作电脑": _allowed(YES_NO) + _(" (empty means unknown)"),
        }
        return [(c, c in ORG_REQUIRED, notes[c]) for c in ORG_COLUMNS]
    notes = {
        "姓名": _("Full name."),
        "性别": _allowed(GENDER_LABELS),
        "民族": _("For example 汉族 (empty means 汉族)."),
        "出生日期": _("A date like %(example)s; must match the ID number.")
        % {"example": "1975-03-12"},
        "身份证号码": _("18 characters; the last may be X. The check digit is verified."),
        "学历": _allowed(EDUCATION_LABELS),
        "人员类别": _allowed(CATEGORY_LABELS),
        "入党日期": _("A date like %(example)s.") % {"example": _DATE_HELP},
        "转正日期": _("Required for 正式党员, empty for 预备党员."),
        "所在组织编码": _("Code of the branch or organization the member belongs to."),
        "党内职务": _("For example 书记, 组织委员 (optional)."),
        "联系电话": _("11-digit mobile number or landline with area code (optional)."),
        "状态": _allowed(STATUS_LABELS) + _(" (empty means 正常)"),
    }
    rows = [(c, c in MEMBER_REQUIRED, notes[c]) for c in MEMBER_COLUMNS]
    rows += [(c, False, _("For reading only; ignored on import.")) for c in MEMBER_INFO_COLUMNS]
    return rows


def template_workbook(kind: str) -> bytes:
    """Return the downloadable template of ``kind``: headers, an example row, and a help sheet."""
    columns, example = (
        (list(ORG_COLUMNS), ORG_EXAMPLE)
        if kind == "organizations"
        else (list(MEMBER_COLUMNS), MEMBER_EXAMPLE)
    )
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "导入模板"
    sheet.append(columns)
    sheet.append(example)
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(str(cell.value)) * 2 + 4)
        if cell.value in _TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
            sheet[f"{letter}2"].number_format = "@"
    sheet.column_dimensions["E" if kind == "members" else "B"].width = 24
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("How to fill in"))
    notes.append([_("Spreadsheet column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column, required, text in _column_notes(kind):
        notes.append([column, _("Yes") if required else _("No"), text])
    notes.append([])
    notes.append(
        [
            _(
                "Delete the example row before importing. Keep the column names of the first "
                "sheet unchanged; the first sheet is the one imported."
            )
        ]
    )
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_notes(kind: str) -> list[tuple[str, bool, str]]:
    """Return the template's columns with whether they are required and what they hold."""
    return _column_notes(kind)


# ---------------------------------------------------------------- export

_EXPORT_HEADER = [*MEMBER_COLUMNS, *MEMBER_INFO_COLUMNS]


def _label_of(labels: dict[str, Any]) -> dict[Any, str]:
    inverse: dict[Any, str] = {}
    for label, value in labels.items():
        inverse.setdefault(value, label)
    return inverse


def members_export(
    *,
    actor: Any,
    query: str = "",
    id_index: str = "",
    organization: Organization | None = None,
    status: str = "",
) -> bytes:
    """Return the members ``actor`` may export (filtered as the member list) as .xlsx.

    Full ID and phone numbers appear only for members ``actor`` may reveal; every export is
    audited with its filters and counts.
    """
    access.require(actor, perms.MEMBER_EXPORT)
    members = access.visible(
        actor,
        perms.MEMBER_EXPORT,
        selectors.member_list(
            user=actor, query=query, id_index=id_index, organization=organization, status=status
        ),
        "organization__path",
    )
    may_reveal_any = bool(access.scope_paths(actor, perms.MEMBER_REVEAL)) or (
        actor is access.SYSTEM
    )
    if may_reveal_any:
        # Load the encrypted values too (lists defer them); decrypted only in memory here.
        members = members.defer(None)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员名册")
    sheet.append(_EXPORT_HEADER)
    counts = _write_rows(sheet, actor, members.iterator(chunk_size=2000), may_reveal_any)
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor,
        action="orgs.members_exported",
        target=organization,
        details={
            "count": counts["count"],
            "revealed": counts["revealed"],
            "filters": {
                # An ID number typed into the search box is personal data too.
                "q": mask_id_number(query) if len(query) == 18 else query,
                "by_id_number": bool(id_index),
                "org": organization.code if organization else "",
                "status": status,
            },
        },
    )
    return buffer.getvalue()


def _write_rows(
    sheet: Any, actor: Any, members: Iterable[Any], may_reveal_any: bool
) -> dict[str, int]:
    gender, category = _label_of(GENDER_LABELS), _label_of(CATEGORY_LABELS)
    education, status = _label_of(EDUCATION_LABELS), _label_of(STATUS_LABELS)
    counts = {"count": 0, "revealed": 0}
    for m in members:
        reveal = may_reveal_any and access.can(actor, perms.MEMBER_REVEAL, m)
        counts["count"] += 1
        counts["revealed"] += reveal
        sheet.append(
            [
                m.name,
                gender.get(m.gender, ""),
                m.ethnicity,
                m.birth_date,
                m.id_number if reveal else m.id_number_masked,
                education.get(m.education, ""),
                category.get(m.category, ""),
                m.joined_on,
                m.full_member_on,
                m.organization.code,
                m.post,
                (m.phone if reveal else m.phone_masked) or "",
                status.get(m.status, ""),
                m.organization.name,
            ]
        )
    return counts
