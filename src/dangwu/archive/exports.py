"""The archive catalogue (归档文件目录) as an Excel workbook, columns as DA/T 22-2015 lists them."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from dangwu.archive.models import ArchiveItem


def catalogue_headers() -> list[str]:
    """Return the column headers in the active language (序号, 档号, 文号, ...)."""
    return [
        _("No."),
        _("Archival code"),
        _("Document number"),
        _("Responsible body"),
        _("Title"),
        _("Date"),
        _("Classification"),
        _("Pages"),
        _("Remarks"),
    ]


def catalogue_workbook(items: Iterable[ArchiveItem], *, sheet_title: str) -> tuple[bytes, int]:
    """Return the ``.xlsx`` content listing ``items`` in order and how many rows it holds."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(catalogue_headers())
    rows = 0
    for rows, item in enumerate(items, start=1):
        # Texts are written as text cells: a title starting with "=" is not a formula.
        texts = [item.code, item.doc_number, item.responsible, item.title, item.date_code]
        cells = []
        for text in texts:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            cells.append(cell)
        remarks = WriteOnlyCell(sheet, value=item.remarks)
        remarks.data_type = "s"
        sheet.append([rows, *cells, item.classification, item.pages, remarks])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows
