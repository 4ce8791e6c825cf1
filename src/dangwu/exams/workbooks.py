"""The question bank in Excel: the import (all rows checked first), the export, the template,
and the statistics export. Column headers and cell values are Chinese (see docs/exams.md).
"""

import io
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.exams import grading, selectors, services
from dangwu.exams import permissions as perms
from dangwu.exams.enums import DIFFICULTY_LABELS, KIND_LABELS, OPTION_LETTERS, Difficulty
from dangwu.exams.models import Exam, Question
from dangwu.orgs.imports.tables import (
    Cells,
    ImportRejected,
    ImportResult,
    RowProblem,
    header_problems,
    read_table,
)
from dangwu.orgs.models import Organization

OPTION_COLUMNS = [f"选项{letter}" for letter in OPTION_LETTERS]
COLUMNS = ["题型", "题干", *OPTION_COLUMNS, "答案", "解析", "标签", "难度"]
REQUIRED = ("题型", "题干", "答案")
# Where each problem of grading.check_question is shown.
FIELD_COLUMNS = {
    "kind": "题型",
    "stem": "题干",
    "options": "选项A",
    "answer": "答案",
    "explanation": "解析",
    "tags": "标签",
    "difficulty": "难度",
}
EXAMPLES = [
    [
        "单选",
        "党的最高理想和最终目标是什么？",
        "实现共产主义",
        "全面建成小康社会",
        "实现现代化",
        "",
        "",
        "",
        "",
        "",
        "A",
        "党章总纲。",
        "党章",
        "易",
    ],
    [
        "多选",
        "党的思想路线包括哪些内容？",
        "一切从实际出发",
        "理论联系实际",
        "实事求是",
        "在实践中检验真理",
        "",
        "",
        "",
        "",
        "ABCD",
        "",
        "党章",
        "中",
    ],
    [
        "判断",
        "预备党员的预备期为一年。",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "对",
        "党章第七条。",
        "党章,党规",
        "易",
    ],
    [
        "填空",
        "党的根本宗旨是全心全意为人民____。",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "服务|服务人民",
        "",
        "党章",
        "易",
    ],
]
KIND_NAMES: dict[str, str] = {str(value): label for label, value in KIND_LABELS.items()}
DIFFICULTY_NAMES: dict[str, str] = {str(v): label for label, v in DIFFICULTY_LABELS.items()}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _column_notes() -> list[tuple[str, bool, str]]:
    return [
        ("题型", True, "、".join(KIND_LABELS)),
        ("题干", True, _("The question, at most %(n)d characters.") % {"n": grading.STEM_MAX}),
        (
            "选项A … 选项H",
            False,
            _("For 单选 and 多选: 2 to 8 options from 选项A on, none skipped. Empty otherwise."),
        ),
        (
            "答案",
            True,
            _(
                "单选: one letter (A). 多选: two or more letters (ACD). 判断: 对 or 错. 填空: the "
                "accepted answers separated by | (case and spaces do not matter)."
            ),
        ),
        ("解析", False, _("Shown with the correct answer after the exam closes.")),
        ("标签", False, _("Topics such as 党章, 党史, 党规, separated by commas.")),
        ("难度", False, "、".join(DIFFICULTY_LABELS) + _(" (empty means 中)")),
    ]


def template_workbook() -> bytes:
    """Return the import template: headers, four example rows and a help sheet."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "题库导入模板"
    sheet.append(COLUMNS)
    for row in EXAMPLES:
        sheet.append(row)
    _style_header(sheet)
    notes = workbook.create_sheet(_("How to fill in"))
    notes.append([_("Spreadsheet column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column, required, text in _column_notes():
        notes.append([column, _("Must be filled in") if required else _("May be left empty"), text])
    notes.append([])
    notes.append(
        [
            _(
                "Delete the example rows before importing. Keep the column names of the first "
                "sheet unchanged; the first sheet is the one imported."
            )
        ]
    )
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 90
    return _save(workbook)


def column_notes() -> list[tuple[str, bool, str]]:
    return _column_notes()


def _style_header(sheet: Any) -> None:
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.column_dimensions["B"].width = 50
    sheet.freeze_panes = "A2"


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def questions_import(
    *, actor: Any, data: bytes, filename: str = "", organization: Organization | None = None
) -> ImportResult:
    """Check every row of an uploaded bank, then add all of its questions or none.

    Raise :class:`ImportRejected` listing every problem (row number, column, reason) when any row
    is bad. A question already in the bank (same kind and wording) is left as it is, so importing
    the same file twice adds nothing.
    """
    organization = organization or services.home_organization(actor, perms.BANK_MANAGE)
    access.require(actor, perms.BANK_MANAGE, organization)
    table = read_table(data, filename)
    problems = header_problems(table, COLUMNS, REQUIRED)
    if problems:
        raise ImportRejected(problems)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, values in table.rows:
        cells = Cells(number, values)
        kind = cells.choice("题型", KIND_LABELS, required=True)
        difficulty = cells.choice("难度", DIFFICULTY_LABELS, default=Difficulty.MEDIUM)
        checked, found = grading.check_question(
            kind=kind or "single",
            stem=cells.values.get("题干", ""),
            options=[cells.values.get(c, "") for c in OPTION_COLUMNS],
            answer=cells.values.get("答案", ""),
            tags=grading.split_tags(cells.values.get("标签", "")),
            difficulty=difficulty,
            explanation=cells.values.get("解析", ""),
        )
        for field, message in found:
            column = FIELD_COLUMNS.get(field, "题干")
            if not cells.has_problem(column):
                cells.problem(column, message)
        problems += cells.problems
        rows.append((number, checked))
    seen: dict[tuple[Any, Any], int] = {}
    for number, values in rows:
        key = (values["kind"], values["stem"])
        if key in seen:
            problems.append(
                RowProblem(
                    number,
                    "题干",
                    _("The same question is already on row %(row)d.") % {"row": seen[key]},
                )
            )
        seen.setdefault(key, number)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        existing = set(
            Question.objects.filter(
                organization=organization, stem__in=[v["stem"] for _n, v in rows]
            ).values_list("kind", "stem")
        )
        new = [
            Question(organization=organization, created_by=services.user_or_none(actor), **values)
            for _n, values in rows
            if (values["kind"], values["stem"]) not in existing
        ]
        Question.objects.bulk_create(new, batch_size=500)
        result = ImportResult(created=len(new), unchanged=len(rows) - len(new))
        result.audit(actor=actor, action="exams.questions_imported", filename=filename)
    return result


def questions_export(*, actor: Any, questions: Any) -> bytes:
    """Return ``questions`` (already scoped) in the import's columns, so it can be re-imported."""
    access.require(actor, perms.BANK_MANAGE)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("题库")
    sheet.append(COLUMNS)
    count = 0
    for q in questions.iterator(chunk_size=2000):
        options = list(q.options) + [""] * (len(OPTION_COLUMNS) - len(q.options))
        answer = (
            {"T": "对", "F": "错"}.get(q.answer, q.answer) if q.kind == "true_false" else q.answer
        )
        sheet.append(
            [
                KIND_NAMES[q.kind],
                q.stem,
                *options,
                answer,
                q.explanation,
                ",".join(q.tag_list),
                DIFFICULTY_NAMES.get(q.difficulty, "中"),
            ]
        )
        count += 1
    audit_record(actor=actor, action="exams.questions_exported", details={"count": count})
    return _save(workbook)


def statistics_workbook(stats: selectors.ExamStatistics) -> bytes:
    """Return an exam's statistics: summary, score bands, organizations, missed questions."""
    workbook = Workbook()
    bold = Font(bold=True)
    percent = "0%"
    summary = workbook.worksheets[0]
    summary.title = "概况"
    exam: Exam = stats.exam
    summary.append(["考试", exam.title])
    summary.append(["参考人数", stats.takers])
    summary.append(["通过人数", stats.passed])
    summary.append(["通过率", _share(stats.passed, stats.takers)])
    summary["B4"].number_format = percent
    summary.append(["平均分（百分制）", stats.average])
    summary.append(["交卷次数", stats.attempts])
    summary.append(["正在作答", stats.waiting])
    summary.column_dimensions["A"].width = 20
    summary.column_dimensions["B"].width = 40
    for cells in summary.iter_rows(min_col=1, max_col=1):
        cells[0].font = bold

    bands = workbook.create_sheet("分数分布")
    bands.append(["分数段（百分制）", "人数"])
    for label, n in stats.bands:
        bands.append([label, n])

    orgs = workbook.create_sheet("各组织")
    orgs.append(["组织", "参考人数", "通过人数", "通过率", "平均分"])
    for row in stats.organizations:
        orgs.append(
            [
                row.organization.name,
                row.takers,
                row.passed,
                _share(row.passed, row.takers),
                row.average,
            ]
        )
        orgs.cell(orgs.max_row, 4).number_format = percent
    orgs.column_dimensions["A"].width = 36

    missed = workbook.create_sheet("错题排行")
    missed.append(["题号", "题干", "题型", "作答次数", "答错次数", "错误率"])
    for m in stats.missed:
        missed.append(
            [
                m.question_id,
                m.stem,
                KIND_NAMES.get(m.kind, m.kind),
                m.answered,
                m.wrong,
                _share(m.wrong, m.answered),
            ]
        )
        missed.cell(missed.max_row, 6).number_format = percent
        missed.cell(missed.max_row, 2).alignment = Alignment(wrap_text=True)
    missed.column_dimensions["B"].width = 60
    for sheet in (bands, orgs, missed):
        for cell in sheet[1]:
            cell.font = bold
    return _save(workbook)


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None
