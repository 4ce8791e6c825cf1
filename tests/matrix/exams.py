"""Access matrix cases of the exams app (see tests/matrix/__init__.py).

Every business user takes the exams whose audience includes them (the committee's exam reaches
everyone; 第一支部's only the member); an attempt is its person's, and its result and
certificate also open to the school administrator who set the exam. The school administrator
keeps the bank and sets exams; statistics are for the school administrator, the leader, the
secretaries and the organization clerk (each for their own subtree).
"""

import io

from tests.matrix import BUSINESS, Case

SCHOOL = frozenset({"schooladmin"})
MEMBER = frozenset({"member"})
MEMBER_AND_SCHOOL = MEMBER | SCHOOL
STATS = frozenset({"schooladmin", "leader", "secretary", "other_secretary", "orgclerk"})


def _exam(world, audience: str = "root", publish: bool = True) -> int:
    from dangwu.exams.tests.factories import fixed_exam

    return fixed_exam(world, audience=world.orgs[audience], publish=publish).pk


def _attempt(world, submitted: bool = False, passed: bool = False) -> int:
    """Return the id of the member's attempt at the committee's exam."""
    from dangwu.exams import selectors, services
    from dangwu.exams.models import Exam
    from dangwu.exams.tests.factories import correct_response

    member = world.user("member")
    exam = Exam.objects.get(pk=_exam(world))
    attempt = services.attempt_start(actor=member, exam=exam)
    if passed:
        for item in selectors.attempt_paper(attempt):
            services.answer_save(
                actor=member,
                attempt=attempt,
                question_id=item.question.pk,
                response=correct_response(item.question),
            )
    if submitted or passed:
        services.attempt_submit(actor=member, attempt=attempt)
    return attempt.pk


def _edit_data(world) -> dict:
    """The edit form of the exam just made, posted back with a new title."""
    from dangwu.exams.models import Exam

    exam = Exam.objects.latest("id")
    return {
        "title": "党章知识测试（修订）",
        "audience": exam.audience_id,
        "mode": exam.mode,
        "questions": [eq.question_id for eq in exam.paper.all()],
        "points": 25,
        "time_limit_minutes": exam.time_limit_minutes,
        "attempts_allowed": exam.attempts_allowed,
        "pass_mark": exam.pass_mark,
    }


def _question(world) -> int:
    from dangwu.exams.tests.factories import bank

    return bank(world, n=1)[0].pk


def _first_question(world) -> dict:
    from dangwu.exams.models import Attempt

    return {"question": Attempt.objects.latest("id").question_ids[0], "response": "A"}


def _workbook() -> bytes:
    from openpyxl import Workbook

    from dangwu.exams.workbooks import COLUMNS

    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append(["判断", "预备党员的预备期为一年。", *[""] * 8, "对", "", "党章", "易"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Xlsx:
    """A workbook the test client can send any number of times (the cases are shared)."""

    name = "题库.xlsx"

    def read(self, *args) -> bytes:
        return _workbook()


CASES: list[Case] = [
    # ------------------------------------------------------------------ taking exams
    Case("exams:list", "get", lambda w: "/exams/", BUSINESS),
    Case("exams:detail", "get", lambda w: f"/exams/{_exam(w)}/", BUSINESS),
    Case("exams:detail", "get", lambda w: f"/exams/{_exam(w, 'branch1')}/", MEMBER),
    Case("exams:detail", "get", lambda w: f"/exams/{_exam(w, publish=False)}/", frozenset()),
    Case("exams:start", "post", lambda w: f"/exams/{_exam(w)}/start/", BUSINESS),
    Case("exams:start", "post", lambda w: f"/exams/{_exam(w, 'branch1')}/start/", MEMBER),
    Case("exams:attempt", "get", lambda w: f"/exams/attempts/{_attempt(w)}/", MEMBER),
    Case("exams:attempt", "post", lambda w: f"/exams/attempts/{_attempt(w)}/", MEMBER),
    Case(
        "exams:answer",
        "post",
        lambda w: f"/exams/attempts/{_attempt(w)}/answer/",
        MEMBER,
        _first_question,
    ),
    Case("exams:submit", "post", lambda w: f"/exams/attempts/{_attempt(w)}/submit/", MEMBER),
    Case(
        "exams:result",
        "get",
        lambda w: f"/exams/attempts/{_attempt(w, submitted=True)}/result/",
        MEMBER_AND_SCHOOL,
    ),
    Case(
        "exams:certificate",
        "get",
        lambda w: f"/exams/attempts/{_attempt(w, passed=True)}/certificate.pdf",
        MEMBER_AND_SCHOOL,
    ),
    # ------------------------------------------------------------------ setting exams
    Case("exams:manage", "get", lambda w: "/exams/manage/", SCHOOL),
    Case("exams:create", "get", lambda w: "/exams/manage/new/", SCHOOL),
    Case("exams:manage_detail", "get", lambda w: f"/exams/manage/{_exam(w)}/", SCHOOL),
    Case("exams:edit", "get", lambda w: f"/exams/manage/{_exam(w, publish=False)}/edit/", SCHOOL),
    Case(
        "exams:edit",
        "post",
        lambda w: f"/exams/manage/{_exam(w, publish=False)}/edit/",
        SCHOOL,
        _edit_data,
    ),
    Case("exams:edit", "get", lambda w: f"/exams/manage/{_exam(w)}/edit/", SCHOOL),
    Case(
        "exams:publish",
        "post",
        lambda w: f"/exams/manage/{_exam(w, publish=False)}/publish/",
        SCHOOL,
    ),
    Case("exams:close", "post", lambda w: f"/exams/manage/{_exam(w)}/close/", SCHOOL),
    # ------------------------------------------------------------------ question bank
    Case("exams:bank", "get", lambda w: "/exams/bank/", SCHOOL),
    Case("exams:question_create", "get", lambda w: "/exams/bank/new/", SCHOOL),
    Case("exams:question_edit", "get", lambda w: f"/exams/bank/{_question(w)}/edit/", SCHOOL),
    Case(
        "exams:question_deactivate",
        "post",
        lambda w: f"/exams/bank/{_question(w)}/retire/",
        SCHOOL,
    ),
    Case("exams:import", "get", lambda w: "/exams/bank/import/", SCHOOL),
    Case("exams:import", "post", lambda w: "/exams/bank/import/", SCHOOL, {"file": _Xlsx()}),
    Case("exams:template", "get", lambda w: "/exams/bank/template.xlsx", SCHOOL),
    Case("exams:export", "get", lambda w: "/exams/bank/export.xlsx", SCHOOL),
    # ------------------------------------------------------------------ statistics
    Case("exams:stats", "get", lambda w: "/exams/statistics/", STATS),
    Case("exams:exam_stats", "get", lambda w: f"/exams/statistics/{_exam(w)}/", STATS),
    Case(
        "exams:stats_export",
        "get",
        lambda w: f"/exams/statistics/{_exam(w)}/export.xlsx",
        STATS,
    ),
    # ------------------------------------------------------------------ API
    Case("api:exam_list", "get", lambda w: "/api/v1/exams", BUSINESS),
    Case("api:exam_detail", "get", lambda w: f"/api/v1/exams/{_exam(w)}", BUSINESS),
    Case("api:exam_detail", "get", lambda w: f"/api/v1/exams/{_exam(w, 'branch1')}", MEMBER),
    Case(
        "api:exam_attempt_start", "post", lambda w: f"/api/v1/exams/{_exam(w)}/attempts", BUSINESS
    ),
    Case("api:attempt_detail", "get", lambda w: f"/api/v1/attempts/{_attempt(w)}", MEMBER),
    Case(
        "api:attempt_answer_save",
        "put",
        lambda w: "/api/v1/attempts/{}/answers/{}".format(
            _attempt(w), _first_question(w)["question"]
        ),
        MEMBER,
        {"response": "A"},
    ),
    Case("api:attempt_submit", "post", lambda w: f"/api/v1/attempts/{_attempt(w)}/submit", MEMBER),
    Case(
        "api:attempt_result",
        "get",
        lambda w: f"/api/v1/attempts/{_attempt(w, submitted=True)}/result",
        MEMBER,
    ),
    Case("api:question_bank_export", "get", lambda w: "/api/v1/question-bank/export.xlsx", SCHOOL),
    Case(
        "api:question_bank_import",
        "post",
        lambda w: "/api/v1/question-bank/import",
        SCHOOL,
        lambda w: _workbook(),
    ),
    Case(
        "api:exam_update",
        "patch",
        lambda w: f"/api/v1/exams/{_exam(w, publish=False)}",
        SCHOOL,
        {"title": "党章知识测试（修订）", "pass_mark": 70},
    ),
    Case(
        "api:exam_update",
        "patch",
        lambda w: f"/api/v1/exams/{_exam(w)}",
        SCHOOL,
        {"title": "党章知识测试（修订）"},
    ),
    Case("api:exam_statistics", "get", lambda w: f"/api/v1/exams/{_exam(w)}/statistics", STATS),
]
