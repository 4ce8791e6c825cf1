"""The GB/T 9704 layout of a document: one HTML fragment for the print page and the PDF.

The PDF is made by WeasyPrint (CSS paged media: A4, the standard margins, page numbers
"— 1 —" outside the type area, odd pages right and even pages left) with the Noto CJK fonts of
Debian's ``fonts-noto-cjk`` package; see docs/documents.md for the choice.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from dangwu.documents.enums import DISCLOSURE_NOTES, URGENCY_MARKS, DocType
from dangwu.documents.models import Document

CSS_PATH = "documents/gbt9704.css"
# 上行文 carry the 签发人 on the number line (GB/T 9704 §7.2.5).
UPWARD_TYPES = frozenset({DocType.REPORT, DocType.REQUEST})


def chinese_date(value: date | datetime | None) -> str:
    """Return a date as printed on documents: 2026年7月1日 (Arabic digits, no leading zeros)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True)
class Layout:
    """What the 版头, 主体 and 版记 print, in their order."""

    document: Document
    urgency_mark: str
    classification_mark: str
    number: str
    signer: str
    main_line: str
    attachments: list[str]
    issuer: str
    date: str
    note: str
    contact: str
    copy_line: str
    printed_by: str
    printed_on: str


def layout(document: Document, attachments: list[Any]) -> Layout:
    """Return the printed parts of ``document`` (its attachments' names given)."""
    signed_on = document.signed_at or document.updated_at
    return Layout(
        document=document,
        urgency_mark=URGENCY_MARKS.get(document.urgency, ""),
        classification_mark="内部" if document.classification == "internal" else "",
        number=document.number,
        signer=document.signer_name if document.doc_type in UPWARD_TYPES else "",
        main_line=document.main_line,
        attachments=[a.original_name.rsplit(".", 1)[0] for a in attachments],
        issuer=document.organization.name,
        date=chinese_date(signed_on) if document.signed_at else "",
        note=DISCLOSURE_NOTES.get(document.disclosure, ""),
        contact=document.contact,
        copy_line=document.copy_line,
        printed_by=document.organization.name,
        printed_on=chinese_date(document.distributed_at or document.signed_at),
    )


def document_pdf(document: Document) -> bytes:
    """Return the document as an A4 PDF in the GB/T 9704 layout."""
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # ships no type hints

    html = render_to_string(
        "documents/pdf.html", {"layout": layout(document, list(document.files.all()))}
    )
    css_file = finders.find(CSS_PATH)
    return bytes(HTML(string=html).write_pdf(stylesheets=[CSS(filename=css_file)]))
