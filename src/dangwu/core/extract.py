"""Plain text from uploaded files, for search and the classification guard.

PDF through pypdf, Word (.docx) through python-docx; other types carry no text. Text is
normalized to NFKC: PDFs printed by browsers use compatibility code points (⼀ for 一).
"""

import re
import unicodedata
from typing import BinaryIO

import docx
from docx.table import Table
from pypdf import PdfReader
from pypdf.errors import PyPdfError

# Enough for any real article's attachment; keeps one odd file from filling the search index.
MAX_TEXT_CHARS = 1_000_000


class Unreadable(Exception):
    """The file cannot be read: damaged, or locked with a password."""

    def __init__(self, *, encrypted: bool = False) -> None:
        super().__init__("encrypted" if encrypted else "damaged")
        self.encrypted = encrypted


def normalize_text(text: str) -> str:
    """Return ``text`` in NFKC with NULs gone and runs of blank lines folded."""
    text = unicodedata.normalize("NFKC", text).replace("\x00", "")
    text = re.sub(r"[ \t\u3000]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()[:MAX_TEXT_CHARS]


def pdf_text(stream: BinaryIO) -> str:
    """Return the text of every page of a PDF (none for a scanned one)."""
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable(encrypted=True)
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
    except Unreadable:
        raise
    # pypdf raises its own errors and, on odd files, plain ones from deep inside the parser.
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise Unreadable from error
    return normalize_text("\n".join(pages))


def docx_text(stream: BinaryIO) -> str:
    """Return the text of a Word document: the first page's header, then the body in order."""
    try:
        document = docx.Document(stream)
    # python-docx raises many kinds of errors (zip, XML, missing part) on a damaged file.
    except Exception as error:
        raise Unreadable from error
    lines: list[str] = []
    if document.sections:
        # A 密级 mark may sit in the header of the first page, above the body.
        section = document.sections[0]
        header = section.first_page_header if section.different_first_page_header_footer else None
        for part in (header, section.header):
            if part is not None and not part.is_linked_to_previous:
                lines.extend(p.text for p in part.paragraphs)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    return normalize_text("\n".join(lines))


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; keep it once.
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        lines.append("\t".join(cells))
    return lines
