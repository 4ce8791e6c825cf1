"""Import organizations: validate the whole file, then create, change or move them by code."""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.orgs import permissions as perms
from dangwu.orgs.enums import ALLOWED_CHILDREN, NetworkAccess, OrgKind
from dangwu.orgs.imports.tables import (
    Cells,
    ImportRejected,
    ImportResult,
    RowProblem,
    header_problems,
    in_chunks,
    read_table,
)
from dangwu.orgs.models import Organization
from dangwu.orgs.services import child_path, move_subtree
from dangwu.orgs.validation import org_problems

# Column headers of the template → field. The Chinese headers are part of the file format.
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
ORG_EXAMPLE = [
    "A01",
    "中共江城市财政局机关委员会",
    "市财政局机关党委",
    "机关党委",
    "GW",
    "1992-07-01",
    "王建国",
    "0731-88886666",
    "经办公室内网",
    "是",
]

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

_VALUE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "founded_on",
    "contact_person",
    "contact_phone",
    "network_access",
    "secretary_computer_literate",
)
_PATH_MAX = cast(int, Organization._meta.get_field("path").max_length)  # set on every CharField


@dataclass
class _OrgRow:
    number: int
    code: str
    parent_code: str
    values: dict[str, Any]
    final_path: str = ""
    depth: int = 0


@dataclass(frozen=True)
class _Place:
    """Where an organization will sit after the import, for the access policy."""

    scope_path: str


def organizations_import(*, actor: Any, data: bytes, filename: str = "") -> ImportResult:
    """Validate the whole file, then create or update organizations by code, parents first.

    Raise :class:`ImportRejected` listing every problem (nothing written) when any row is bad,
    including rows ``actor`` may not change. Importing the same file twice changes nothing.
    """
    table = read_table(data, filename)
    from dangwu.orgs.imports.members import MEMBER_COLUMNS, MEMBER_INFO_COLUMNS

    problems = header_problems(
        table,
        ORG_COLUMNS,
        ORG_REQUIRED,
        other_kind=(
            [*MEMBER_COLUMNS, *MEMBER_INFO_COLUMNS],
            _("This looks like a member list. Choose “Members” and upload it again."),
        ),
    )
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        rows = _parse(table.rows, problems)
        existing = _existing(rows)
        problems += _tree_problems(rows, existing)
        problems += _permission_problems(actor, rows, existing)
        if problems:
            raise ImportRejected(problems)
        result = _apply(rows, existing)
        result.audit(actor=actor, action="orgs.organizations_imported", filename=filename)
    return result


def _parse(
    table_rows: list[tuple[int, dict[str, str]]], problems: list[RowProblem]
) -> dict[str, _OrgRow]:
    rows: dict[str, _OrgRow] = {}
    for number, values in table_rows:
        cells = Cells(number, values)
        code = cells.text("组织编码", required=True, max_length=40)
        parent_code = cells.text("上级组织编码", max_length=40)
        row = _OrgRow(
            number=number,
            code=code,
            parent_code=parent_code,
            values={
                "name": cells.text("组织名称", required=True),
                "short_name": cells.text("简称", max_length=60),
                "kind": cells.choice("组织类别", KIND_LABELS, required=True),
                "founded_on": cells.date("成立日期"),
                "contact_person": cells.text("联系人", max_length=60),
                "contact_phone": cells.text("联系电话", max_length=40),
                "network_access": cells.choice(
                    "网络接入方式", NETWORK_LABELS, default=NetworkAccess.UNKNOWN
                ),
                "secretary_computer_literate": cells.choice(
                    "书记能否操作电脑", YES_NO, default=None
                ),
            },
        )
        for field_name, message in org_problems(
            code=code, name=row.values["name"], kind=row.values["kind"] or "", parent_kind=None
        ):
            # Placement (kind under parent) is checked once the whole tree is known.
            if field_name == "code" and code:
                cells.problem("组织编码", message)
        founded = row.values["founded_on"]
        if isinstance(founded, date) and founded > timezone.localdate():
            cells.problem("成立日期", _("The date founded is in the future."))
        problems += cells.problems
        if code in rows:
            problems.append(
                RowProblem(
                    number,
                    "组织编码",
                    _("The code %(code)s also appears in row %(other)d.")
                    % {"code": code, "other": rows[code].number},
                )
            )
        elif code:
            rows[code] = row
    return rows


def _existing(rows: dict[str, _OrgRow]) -> dict[str, Organization]:
    codes = sorted(set(rows) | {r.parent_code for r in rows.values() if r.parent_code})
    existing: dict[str, Organization] = {}
    for chunk in in_chunks(codes):
        existing.update((o.code, o) for o in Organization.objects.filter(code__in=chunk))
    return existing


def _tree_problems(rows: dict[str, _OrgRow], existing: dict[str, Organization]) -> list[RowProblem]:
    """Check the tree as it will be after the import: parents known, no cycle, kinds allowed.

    Organizations already in the platform but not in the file keep their place; their chain of
    parents is read from the materialized paths of the organizations loaded.
    """
    problems: list[RowProblem] = []
    current_parent: dict[str, str | None] = {}
    for org in existing.values():
        codes = org.path.strip("/").split("/")
        current_parent.setdefault(codes[0], None)
        for above, below in pairwise(codes):
            current_parent.setdefault(below, above)

    def final_parent(code: str) -> str | None:
        if code in rows:
            return rows[code].parent_code or None
        return current_parent.get(code)

    for code, row in rows.items():
        if row.parent_code and row.parent_code not in rows and row.parent_code not in existing:
            problems.append(
                RowProblem(
                    row.number,
                    "上级组织编码",
                    _(
                        "There is no organization with the code %(code)s, neither in the "
                        "platform nor in this file."
                    )
                    % {"code": row.parent_code},
                )
            )
            continue
        chain = [code]
        parent = final_parent(code)
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = final_parent(parent)
        if parent is not None:
            if parent == code:
                problems.append(RowProblem(row.number, "上级组织编码", _cycle_message(chain)))
            # A row leading into someone else's cycle is reported through that cycle's rows.
            continue
        if chain[-1] not in rows and chain[-1] not in existing and chain[-1] not in current_parent:
            continue  # an unknown parent further up, reported on its own row
        row.final_path = "/" + "/".join(reversed(chain)) + "/"
        row.depth = len(chain) - 1
        if len(row.final_path) > _PATH_MAX:
            problems.append(
                RowProblem(row.number, "上级组织编码", _("The organization tree is too deep here."))
            )
        kind = row.values["kind"]
        if not kind:
            continue
        parent_code = row.parent_code or None
        parent_kind = (
            None
            if parent_code is None
            else rows[parent_code].values["kind"]
            if parent_code in rows
            else existing[parent_code].kind
        )
        if parent_code in rows and not parent_kind:
            continue  # the parent's own kind is wrong; reported on its row
        for field_name, message in org_problems(
            code=code, name=row.values["name"] or "-", kind=kind, parent_kind=parent_kind
        ):
            if field_name in ("kind", "parent"):
                column = "组织类别" if field_name == "kind" else "上级组织编码"
                problems.append(RowProblem(row.number, column, message))
    problems += _kept_children_problems(rows, existing)
    return problems


def _cycle_message(chain: list[str]) -> str:
    return _(
        "The parents go round in a circle (%(chain)s); an organization cannot be under itself."
    ) % {"chain": " → ".join([*chain, chain[0]])}


def _kept_children_problems(
    rows: dict[str, _OrgRow], existing: dict[str, Organization]
) -> list[RowProblem]:
    """Check that organizations staying under a re-kinded organization are still allowed there."""
    changed = {
        existing[code].pk: row
        for code, row in rows.items()
        if code in existing and row.values["kind"] and row.values["kind"] != existing[code].kind
    }
    if not changed:
        return []
    problems = []
    children = Organization.objects.filter(parent_id__in=list(changed)).exclude(code__in=list(rows))
    for child in children.only("code", "name", "kind", "parent_id"):
        # Selected by parent_id__in, so never null.
        row = changed[cast(int, child.parent_id)]
        if child.kind not in ALLOWED_CHILDREN[row.values["kind"]]:
            problems.append(
                RowProblem(
                    row.number,
                    "组织类别",
                    _(
                        "%(child)s (%(child_kind)s) is under this organization and cannot stay "
                        "under a %(kind)s."
                    )
                    % {
                        "child": child.name,
                        "child_kind": child.get_kind_display(),
                        "kind": OrgKind(row.values["kind"]).label,
                    },
                )
            )
    return problems


def _permission_problems(
    actor: Any, rows: dict[str, _OrgRow], existing: dict[str, Organization]
) -> list[RowProblem]:
    """Every row must change an organization in the actor's subtree and leave it there."""
    problems = []
    for code, row in rows.items():
        current = existing.get(code)
        allowed = current is None or access.can(actor, perms.ORG_MANAGE, current)
        if allowed and row.final_path and (current is None or _moves(row, current)):
            # A new or moved organization needs the right to manage its new parent, as in
            # organization_create / organization_update; only the system adds a top.
            parent_path = row.final_path[: -len(code) - 1]
            allowed = (
                actor is access.SYSTEM
                if parent_path == "/"
                else access.can(actor, perms.ORG_MANAGE, _Place(parent_path))
            )
        if not allowed:
            problems.append(
                RowProblem(
                    row.number,
                    "组织编码",
                    _("You may only add or change organizations within your own organization."),
                )
            )
    return problems


def _moves(row: _OrgRow, current: Organization) -> bool:
    codes = current.path.strip("/").split("/")
    return (row.parent_code or None) != (codes[-2] if len(codes) > 1 else None)


def _apply(rows: dict[str, _OrgRow], existing: dict[str, Organization]) -> ImportResult:
    result = ImportResult()
    by_code = dict(existing)
    # Parents before children: by depth in the tree as it will be.
    for row in sorted(rows.values(), key=lambda r: (r.depth, r.final_path)):
        parent = by_code[row.parent_code] if row.parent_code else None
        org = existing.get(row.code)
        if org is None:
            by_code[row.code] = Organization.objects.create(
                code=row.code,
                parent=parent,
                path=child_path(parent, row.code),
                depth=parent.depth + 1 if parent else 0,
                **row.values,
            )
            result.created += 1
            continue
        changed = [f for f in _VALUE_FIELDS if getattr(org, f) != row.values[f]]
        moved = parent is not None and parent.pk != org.parent_id
        if not changed and not moved:
            result.unchanged += 1
            continue
        for f in changed:
            setattr(org, f, row.values[f])
        fields = [*changed, "updated_at"]
        if moved and parent is not None:  # moved implies a parent (for the type checker)
            old_path, old_depth = org.path, org.depth
            move_subtree(org, parent)
            _follow_move(by_code.values(), org, old_path, org.depth - old_depth)
            fields += ["parent", "path", "depth"]
        org.save(update_fields=fields)
        result.updated += 1
    return result


def _follow_move(loaded: Any, moved: Organization, old_path: str, depth_delta: int) -> None:
    """Update the loaded copies of a moved subtree, as the database was updated."""
    for org in loaded:
        if org is not moved and org.path.startswith(old_path):
            org.path = moved.path + org.path[len(old_path) :]
            org.depth += depth_delta
