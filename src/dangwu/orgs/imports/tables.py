"""Reading uploaded spreadsheets (.xlsx or .csv, decided by content) into checked rows.

Everything that can be wrong with a file is reported as a :class:`RowProblem` (row number as the
user sees it in Excel, column header, reason); :class:`ImportRejected` carries all of them.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from dangwu.core.errors import ValidationFailed

# A sheet wider or longer than this is not a member or organization list: stop reading early
# instead of expanding a compressed workbook into memory.
MAX_COLUMNS = 40
MAX_ROWS = 200_000

_XLSX_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or a password-protected workbook
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M:%S")
# Excel day numbers of 1900-01-01 … 2099-12-31: a date cell formatted as a plain number.
_EXCEL_SERIALS = range(1, 73051)


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with a file: ``row`` 0 means the file as a whole."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
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

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def audit(self, *, actor: Any, action: str, filename: str) -> None:
        """Record the import and its counts in the audit trail."""
        from dangwu.audit.services import audit_record

        audit_record(
            actor=actor,
            action=action,
            details={
                "file": filename[:120],
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            },
        )


class ImportRejected(ValidationFailed):
    """The file has problems; ``problems`` lists each one. Nothing was written."""

    def __init__(self, problems: list[RowProblem]) -> None:
        problems = sorted(problems, key=lambda p: (p.row, p.column))
        if len(problems) == 1 and problems[0].row == 0:
            message = problems[0].message
        else:
            message = _("The file has %(n)d problem(s); nothing was imported.") % {
                "n": len(problems)
            }
        super().__init__(message, errors=[(p.column, str(p)) for p in problems])
        self.problems = problems


@dataclass
class Table:
    header: list[str]
    header_row: int
    # (row number as seen in the file, header → text); blank rows are left out.
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def file_problem(message: str) -> ImportRejected:
    """Return the rejection of a whole file (not readable, too large, empty)."""
    return ImportRejected([RowProblem(0, "", message)])


def size_problem(size: int) -> str | None:
    """Return why a file of ``size`` bytes is refused, or None when it is small enough."""
    if size > settings.IMPORT_MAX_BYTES:
        return _(
            "The file is larger than %(limit)s. Please split it into smaller files and import "
            "them one after another."
        ) % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
    return None


def read_table(data: bytes, filename: str = "") -> Table:
    """Read an .xlsx or .csv upload; the type is decided by the content, not the name.

    CSV may be UTF-8 (with or without BOM), GBK/GB18030 (what Excel writes on Chinese Windows)
    or UTF-16 (Excel's "Unicode text"); commas or tabs separate the columns.
    """
    if (reason := size_problem(len(data))) is not None:
        raise file_problem(reason)
    if not data.strip():
        raise file_problem(_("The file is empty."))
    unreadable = _(
        "This is not a readable spreadsheet. Please save it as .xlsx or .csv and try again."
    )
    if data.startswith(_XLSX_MAGIC):
        return _table(_xlsx_rows(data, unreadable))
    if data.startswith(_OLE2_MAGIC):
        raise file_problem(
            _(
                "This is an old-style .xls workbook or a password-protected one. In Excel choose "
                "“Save as”, pick “Excel workbook (*.xlsx)” without a password, and upload that."
            )
        )
    text = _decode(data)
    if text is None or _CONTROL_CHARS.search(text[:65536]):
        raise file_problem(unreadable)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise file_problem(unreadable) from None
    if len(rows) > MAX_ROWS + 1:
        raise _too_many_rows()
    return _table(enumerate((row[:MAX_COLUMNS] for row in rows), start=1))


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data[:4096]:
        return None
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _too_many_rows() -> ImportRejected:
    return file_problem(
        _("The file has more than %(n)d rows. Please split it into smaller files.")
        % {"n": MAX_ROWS}
    )


def _xlsx_rows(data: bytes, unreadable: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the file; read what is really there.
        sheet.reset_dimensions()
        rows = list(_limited(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)))
        workbook.close()
    except ImportRejected:
        raise
    # openpyxl raises many different errors (zip, XML, key, value...) on a damaged or foreign
    # archive; for the user they all mean the same thing.
    except Exception:
        raise file_problem(unreadable) from None
    return iter(rows)


def _limited(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise _too_many_rows()
        yield number, row


def cell_text(value: Any) -> str:
    """Return a cell's value as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Full-width spaces are common in hand-typed Chinese cells.
    return str(value).replace("\u3000", " ").strip()


def _header_name(value: Any) -> str:
    # "姓名*" marks a required column in many hand-made templates.
    return cell_text(value).replace(" ", "").strip("*")


def _table(numbered_rows: Iterable[tuple[int, Iterable[Any]]]) -> Table:
    table: Table | None = None
    for number, row in numbered_rows:
        values = [cell_text(v) for v in row]
        if not any(values):
            continue
        if table is None:
            # The header is the first row with anything in it (a title row above is not
            # supported: it would be reported as unknown columns, which says what to fix).
            header = [_header_name(v) for v in row]
            while header and not header[-1]:
                header.pop()
            table = Table(header=header, header_row=number)
            continue
        table.rows.append(
            (
                number,
                {
                    h: (values[i] if i < len(values) else "")
                    for i, h in reversed(list(enumerate(table.header)))
                    if h
                },
            )
        )
    if table is None:
        raise file_problem(_("The file is empty."))
    return table


def header_problems(
    table: Table,
    columns: Iterable[str],
    required: Iterable[str],
    *,
    other_kind: tuple[Iterable[str], str] | None = None,
) -> list[RowProblem]:
    """Check the header row: required columns present, no unknown or repeated columns.

    ``other_kind`` is the other template's columns and a hint shown when the file plainly
    belongs to the other kind of import.
    """
    columns, required = set(columns), tuple(required)
    header = [h for h in table.header if h]
    if other_kind is not None:
        other_columns, hint = set(other_kind[0]), other_kind[1]
        if not any(c in header for c in required) and set(header) <= other_columns:
            return [RowProblem(table.header_row, header[0], hint)]
    problems = [
        RowProblem(table.header_row, column, _("This required column is missing."))
        for column in required
        if column not in header
    ]
    seen: set[str] = set()
    for column in header:
        if column not in columns:
            problems.append(
                RowProblem(
                    table.header_row,
                    column,
                    _("Unknown column; please use the column names of the template."),
                )
            )
        elif column in seen:
            problems.append(
                RowProblem(table.header_row, column, _("This column appears more than once."))
            )
        seen.add(column)
    if not problems and not table.rows:
        problems.append(
            RowProblem(table.header_row + 1, header[0], _("The file has a header row but no data."))
        )
    return problems


class Cells:
    """Parse one row's cells, collecting every problem instead of stopping at the first."""

    def __init__(self, number: int, values: dict[str, str]) -> None:
        self.number = number
        self.values = values
        self.problems: list[RowProblem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def has_problem(self, column: str) -> bool:
        return any(p.column == column for p in self.problems)

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
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(value, fmt).date()  # noqa: DTZ007  (a calendar date)
            except ValueError:
                continue
        if value.isdigit() and len(value) <= 5 and int(value) in _EXCEL_SERIALS:
            return from_excel(int(value)).date()
        self.problem(
            column, _("“%(value)s” is not a date; write it like 2024-07-01.") % {"value": value}
        )
        return None


def in_chunks(values: list[Any], size: int = 2000) -> Iterator[list[Any]]:
    """Yield ``values`` in slices small enough for an SQL ``IN`` list on every database."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
