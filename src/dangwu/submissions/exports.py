"""The ranking as an Excel file (openpyxl, Chinese headers, number formats)."""

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangwu.submissions.selectors import Ranking


def ranking_workbook(ranking: Ranking) -> bytes:
    """Return the ranking as an .xlsx file: one row per organization, the silent ones too."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ranking"))
    sheet.column_dimensions["B"].width = 40
    for letter in "CDEF":
        sheet.column_dimensions[letter].width = 14

    def cell(value: Any, *, bold: bool = False, number: str = "") -> Any:
        written = WriteOnlyCell(sheet, value=value)
        if number:
            written.number_format = number
        if bold:
            written.font = Font(bold=True)
        return written

    period = f"{ranking.date_from:%Y-%m-%d} — {ranking.date_to:%Y-%m-%d}"
    sheet.append([cell(_("Submissions ranking") + " " + period, bold=True)])
    headers = [_("Rank"), _("Organization"), _("Items sent"), _("Adopted"), _("Points"), _("Note")]
    sheet.append([cell(h, bold=True) for h in headers])
    silent = _("Sent nothing")
    for row in ranking.rows:
        name = row.organization.name + (_(" (its own items)") if row.own_only else "")
        sheet.append(
            [
                cell(row.rank, number="0"),
                name,
                cell(row.submissions, number="#,##0"),
                cell(row.adoptions, number="#,##0"),
                cell(row.points, number="#,##0"),
                silent if row.silent else "",
            ]
        )
    sent, adopted, points = ranking.totals
    sheet.append(
        [
            "",
            cell(_("Total"), bold=True),
            cell(sent, number="#,##0", bold=True),
            cell(adopted, number="#,##0", bold=True),
            cell(points, number="#,##0", bold=True),
            "",
        ]
    )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
