"""Excel exports of the training app (openpyxl, Chinese headers): completion and typing history."""

from datetime import datetime
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangwu.training.selectors import Completion, typing_history

DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _bold(sheet: Any, values: list[str]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _percent(value: int | None) -> Any:
    return "" if value is None else value


def completion_workbook(completion: Completion) -> bytes:
    """Return a plan's completion (as its viewer sees it): organizations, people, items."""
    workbook = Workbook(write_only=True)
    plan = completion.plan
    yes, no = pgettext("answer", "Yes"), pgettext("answer", "No")

    sheet = workbook.create_sheet(_("Organizations"))
    sheet.column_dimensions["A"].width = 40
    sheet.append([plan.title])
    sheet.append(
        _bold(
            sheet,
            [
                _("Organization"),
                _("People assigned"),
                _("People who completed"),
                _("Percentage"),
                _("Assigned, with organizations under it"),
                _("Completed, with organizations under it"),
                _("Percentage, with organizations under it"),
            ],
        )
    )
    for row in completion.organizations:
        sheet.append(
            [
                "　" * max(0, row.depth) + row.name,
                row.assigned,
                row.completed,
                _percent(row.percent),
                row.assigned_all,
                row.completed_all,
                _percent(row.percent_all),
            ]
        )
    total_row = [_("Total"), completion.assigned, completion.completed]
    sheet.append([*total_row, _percent(completion.percent)])

    sheet = workbook.create_sheet(_("People in the plan"))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["E"].width = 60
    sheet.append(
        _bold(
            sheet,
            [_("Full name"), _("Organization"), _("Items done"), _("All done"), _("Not done yet")],
        )
    )
    total = len(completion.items)
    for person in completion.people:
        sheet.append(
            [
                person.name,
                person.organization_name,
                f"{person.done}/{total}",
                yes if person.complete else no,
                "、".join(person.missing),
            ]
        )

    sheet = workbook.create_sheet(_("Items"))
    sheet.column_dimensions["A"].width = 40
    sheet.append(_bold(sheet, [_("Course or exam"), _("Done by"), _("Percentage")]))
    for item in completion.items:
        sheet.append([item.title, item.done, _percent(item.percent(completion.assigned))])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def typing_workbook(user: Any) -> bytes:
    """Return the person's typing results, newest first."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Typing practice"))
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 30
    sheet.append(
        _bold(
            sheet,
            [
                _("Time"),
                _("Text"),
                _("Characters per minute"),
                _("Accuracy (%)"),
                _("Characters typed"),
                _("Seconds"),
            ],
        )
    )
    for session in typing_history(user).iterator(chunk_size=1000):
        when = WriteOnlyCell(sheet, value=_local(session.created_at))
        when.number_format = DATE_FORMAT
        sheet.append(
            [
                when,
                session.text.title,
                float(session.chars_per_minute),
                float(session.accuracy),
                session.typed_chars,
                session.seconds,
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
