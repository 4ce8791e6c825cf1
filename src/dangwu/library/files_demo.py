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
from dangwu.core import samples
from dangwu.core.demo import DemoContext
from dangwu.library import files_services as services
from dangwu.library.enums import FolderKind
from dangwu.library.models import Folder


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
        samples.pdf(
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
        samples.pdf("主题党日活动记录", "时间：三月五日", "内容：重温入党誓词，学习党章。"),
    )
    context.data["library_folders"] = [committee, exchange, own]


build_file_library.order = 36  # type: ignore[attr-defined]  # read by core.demo.build_demo; after accounts (20)
