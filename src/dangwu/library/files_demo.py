"""Demo data of the file library: a committee folder for everyone with a few real PDF, Word and
Excel files (generated here, nothing fetched), an exchange folder with the demo secretary's
organization, and that organization's own folder."""

import io
from typing import Any

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.library import files_services as services
from dangwu.library.enums import FolderKind
from dangwu.library.models import Folder


def demo_pdf(*lines: str) -> bytes:
    """Return a one-page PDF whose text layer holds ``lines`` (Chinese included).

    Each character gets a two-byte code in a Type0 font with a ToUnicode map, which is what
    text extraction (and so search) reads.
    """
    chars = sorted({ch for line in lines for ch in line})
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    ops = [
        f"BT /F1 12 Tf 72 {720 - 20 * n} Td <{''.join(f'{code[ch]:04X}' for ch in line)}> Tj ET"
        for n, line in enumerate(lines)
    ]
    content = "\n".join(ops).encode()
    bfchars = "\n".join(f"<{code[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchars}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def demo_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def demo_xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.create_sheet("Sheet1", 0)
    book.remove(book.worksheets[1])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(actor: Any, folder: Folder, name: str, data: bytes) -> None:
    services.file_upload(actor=actor, folder=folder, upload=SimpleUploadedFile(name, data))


def build_file_library(context: DemoContext) -> None:
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    committee_clerk = users.get("demo-orgclerk") or SYSTEM
    secretary = users.get("demo-secretary") or SYSTEM
    first_org = context.data.get("first_org")
    committee = services.folder_create(
        actor=committee_clerk,
        name="工委文件资料",
        kind=FolderKind.COMMITTEE,
        audience_all=True,
        description="工委下发的学习资料、制度文件和表格模板",
    )
    _upload(
        committee_clerk,
        committee,
        "2026年党建工作要点.pdf",
        demo_pdf(
            "2026年党建工作要点", "一、加强政治建设", "二、夯实基层组织", "三、推进党风廉政建设"
        ),
    )
    _upload(
        committee_clerk,
        committee,
        "党支部工作条例学习提纲.docx",
        demo_docx(
            "党支部工作条例学习提纲", "一、党支部的职责", "二、组织生活制度", "三会一课要落实到位。"
        ),
    )
    _upload(
        committee_clerk,
        committee,
        "党费收缴统计表模板.xlsx",
        demo_xlsx(
            [["支部", "党员人数", "应缴党费（元）"], ["第一支部", 12, 3600], ["第二支部", 9, 2700]]
        ),
    )
    if first_org is None:
        return
    exchange = services.folder_create(
        actor=committee_clerk,
        name=f"与{first_org.name}交换",
        kind=FolderKind.EXCHANGE,
        organization=first_org,
        description="工委与本组织之间的材料往来",
    )
    _upload(
        secretary,
        exchange,
        "第一季度党建工作总结.docx",
        demo_docx("第一季度党建工作总结", "本季度共开展主题党日活动三次，集中学习四次。"),
    )
    own = services.folder_create(
        actor=secretary,
        name="支部活动资料",
        kind=FolderKind.ORGANIZATION,
        organization=first_org,
        description="本组织的会议记录和活动材料",
    )
    _upload(
        secretary,
        own,
        "主题党日活动记录.pdf",
        demo_pdf("主题党日活动记录", "时间：三月五日", "内容：重温入党誓词，学习党章。"),
    )
    context.data["library_folders"] = [committee, exchange, own]


build_file_library.order = 36  # type: ignore[attr-defined]  # read by core.demo.build_demo; after accounts (20)
