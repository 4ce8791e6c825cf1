"""Import organizations and members from .xlsx / .csv files with Chinese column headers.

Validation comes first: every bad row is reported with its row number, column and reason, and
nothing is written until the whole file is clean. Imports are idempotent: organizations are
matched by code, members by ID number (through its blind index), so a second run of the same
file changes nothing. The column formats are documented in ``docs/import-templates.md``.
"""

from dangwu.orgs.imports.members import (
    MEMBER_COLUMNS,
    MEMBER_EXAMPLE,
    MEMBER_INFO_COLUMNS,
    MEMBER_REQUIRED,
    members_import,
)
from dangwu.orgs.imports.organizations import (
    ORG_COLUMNS,
    ORG_EXAMPLE,
    ORG_REQUIRED,
    organizations_import,
)
from dangwu.orgs.imports.tables import (
    ImportRejected,
    ImportResult,
    RowProblem,
    Table,
    read_table,
    size_problem,
)
from dangwu.orgs.imports.workbooks import (
    TEMPLATE_KINDS,
    column_notes,
    members_export,
    template_workbook,
)

__all__ = [
    "MEMBER_COLUMNS",
    "MEMBER_EXAMPLE",
    "MEMBER_INFO_COLUMNS",
    "MEMBER_REQUIRED",
    "ORG_COLUMNS",
    "ORG_EXAMPLE",
    "ORG_REQUIRED",
    "TEMPLATE_KINDS",
    "ImportRejected",
    "ImportResult",
    "RowProblem",
    "Table",
    "column_notes",
    "members_export",
    "members_import",
    "organizations_import",
    "read_table",
    "size_problem",
    "template_workbook",
]
