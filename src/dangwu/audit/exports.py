"""The audit trail as an Excel workbook (written streaming, so memory stays flat)."""

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from dangwu.audit.labels import action_label, details_text
from dangwu.audit.models import AuditRecord

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def audit_headers() -> list[str]:
    """Return the column headers, in the active language (Chinese by default)."""
    return [
        _("Time"),
        _("User"),
        _("Action"),
        _("Action code"),
        _("Object"),
        _("Address"),
        _("Result"),
        _("Details"),
    ]


def audit_workbook(records: Iterable[AuditRecord]) -> tuple[bytes, int]:
    """Return the ``.xlsx`` content listing ``records`` and how many rows it holds."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    sheet.freeze_panes = "A2"
    sheet.append(audit_headers())
    succeeded, failed = _("Succeeded"), _("Failed")
    rows = 0
    for record in records:
        # Excel has no time zones: write the wall-clock time of Asia/Shanghai.
        at = WriteOnlyCell(sheet, value=timezone.localtime(record.at).replace(tzinfo=None))
        at.number_format = DATETIME_FORMAT
        sheet.append(
            [
                at,
                record.actor_name,
                action_label(record.action),
                record.action,
                record.target_repr,
                record.address,
                succeeded if record.success else failed,
                details_text(record.details),
            ]
        )
        rows += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows
