"""The issuer's Excel export of one document's receipts (openpyxl, Chinese headers)."""

from datetime import datetime
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangwu.documents.enums import OVERDUE, ReceiptStatus, RecipientKind
from dangwu.documents.models import Document
from dangwu.documents.selectors import dashboard_rows, receipt_state

DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: write Beijing time, as the pages show it.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _name(user: Any) -> str:
    return str(user.label) if user else ""


def state_label(state: str) -> str:
    """Return the label of a receipt state, 逾期 included."""
    return _("Overdue") if state == OVERDUE else str(ReceiptStatus(state).label)


def receipts_workbook(document: Document, state: str, now: datetime) -> bytes:
    """Return the receipts of ``document`` (filtered by ``state``) as an .xlsx file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Receipts"))
    headers = [
        _("Organization"),
        _("Recipient kind"),
        _("State"),
        _("Received at"),
        _("Signed for at"),
        _("Signed for by"),
        _("Assigned to"),
        _("Replied at"),
        _("Replied by"),
    ]
    sheet.column_dimensions["A"].width = 36
    for letter in "DEH":
        sheet.column_dimensions[letter].width = 18

    def cell(value: Any, *, bold: bool = False) -> Any:
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            written.number_format = DATE_FORMAT
        if bold:
            written.font = Font(bold=True)
        return written

    # Labels translated once, not once per row.
    kinds = {value: str(label) for value, label in RecipientKind.choices}
    states = {value: state_label(value) for value in [*ReceiptStatus.values, OVERDUE]}
    sheet.append([document.number or document.title])
    sheet.append([cell(h, bold=True) for h in headers])
    for receipt in dashboard_rows(document, state, now).iterator(chunk_size=2000):
        sheet.append(
            [
                receipt.organization.name,
                kinds[receipt.kind],
                states[receipt_state(receipt, document, now)],
                cell(_local(receipt.created_at)),
                cell(_local(receipt.signed_at)),
                _name(receipt.signed_by),
                _name(receipt.assignee),
                cell(_local(receipt.replied_at)),
                _name(receipt.replied_by),
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
