"""Small files for the attachment and .docx tests, generated on the fly (no binaries in git)."""

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
from docx.shared import Inches

from dangwu.core.samples import pdf

__all__ = ["pdf"]  # re-exported: the tests take every sample file from here


def png(width: int = 2, height: int = 2, rgb: bytes = b"\xc0\x00\x00") -> bytes:
    """Return a valid PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + rgb * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """Return the start of a JPEG (SOI + JFIF APP0 + EOI): enough for a content check."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def docx_file(
    *paragraphs: str, header: str = "", title_property: str = "", picture: bool = False
) -> bytes:
    """Return a .docx with ``paragraphs`` (plain), an optional header and an inline picture."""
    document = docx.Document()
    if title_property:
        document.core_properties.title = title_property
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    if picture:
        document.add_picture(io.BytesIO(png()), width=Inches(1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rich_docx() -> bytes:
    """Return a .docx with a title, headings, bold/italic, both kinds of list, a table, a
    picture (used twice) and an underlined word — what a committee notice looks like."""
    document = docx.Document()
    document.add_paragraph("关于开展主题党日活动的通知", style="Title")
    document.add_heading("一、活动安排", level=1)
    paragraph = document.add_paragraph("各支部要")
    paragraph.add_run("高度重视").bold = True
    paragraph.add_run("，")
    paragraph.add_run("认真组织").italic = True
    paragraph.add_run("，")
    paragraph.add_run("按时报送").underline = True
    document.add_paragraph("学习党章", style="List Bullet")
    document.add_paragraph("重温入党誓词", style="List Bullet")
    document.add_paragraph("第一步：集中学习", style="List Number")
    document.add_heading("二、参加人员", level=2)
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {
        (0, 0): "支部",
        (0, 1): "人数",
        (1, 0): "第一支部",
        (1, 1): "12",
    }.items():
        table.cell(row, col).text = text
    document.add_picture(io.BytesIO(png()), width=Inches(1))
    document.add_picture(io.BytesIO(png()), width=Inches(1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    """Return a small workbook with a Chinese sheet."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "党费"
    workbook.active.append(["姓名", "金额"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def pptx() -> bytes:
    """Return the skeleton of a PowerPoint file: its package parts name a presentation."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/ppt/presentation.xml" ContentType="{_PRESENTATION}"/>'
            "</Types>",
        )
        archive.writestr(
            "ppt/presentation.xml",
            '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
        )
    return out.getvalue()


def with_extra_part(data: bytes, name: str, size: int) -> bytes:
    """Return the zip ``data`` with one more part of ``size`` zero bytes (a zip bomb when big:
    zeros compress about a thousandfold)."""
    out = io.BytesIO(data)
    block = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as member,
    ):
        for _ in range(size // len(block)):
            member.write(block)
        member.write(bytes(size % len(block)))
    return out.getvalue()
