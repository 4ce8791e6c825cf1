"""The exams pages: taking an exam with and without the script, setting exams, the bank and
its import, statistics; refusals and query-count pins."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from dangwu.exams import selectors, services
from dangwu.exams.enums import AttemptStatus, ExamStatus
from dangwu.exams.models import Answer, Attempt, Exam, Question
from dangwu.exams.tests.factories import bank, correct_response, fixed_exam
from dangwu.exams.workbooks import COLUMNS

pytestmark = pytest.mark.django_db


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(data: bytes, name: str = "题库.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _row(kind="单选", stem="题干", options=("甲", "乙"), answer="A", tags="党章", level="中"):
    options = list(options) + [""] * (8 - len(options))
    return [kind, stem, *options, answer, "", tags, level]


# ---------------------------------------------------------------------------------- taking


def test_a_member_sees_the_open_exam_starts_it_and_the_answers_survive_a_reload(client_for, world):
    exam = fixed_exam(world)
    client = client_for("member")
    assert exam.title in client.get("/exams/").content.decode()
    detail = client.get(f"/exams/{exam.pk}/")
    assert detail.status_code == 200
    started = client.post(f"/exams/{exam.pk}/start/")
    attempt = Attempt.objects.get()
    assert started["Location"] == f"/exams/attempts/{attempt.pk}/"
    question = selectors.attempt_paper(attempt)[0].question
    saved = client.post(
        f"/exams/attempts/{attempt.pk}/answer/", {"question": question.pk, "response": "A"}
    )
    assert saved.status_code == 200 and saved.json()["finished"] is False
    page = client.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    assert f'id="q{question.pk}-A" value="A" checked' in page
    # Starting again (the tab was closed) goes back to the same attempt.
    assert client.post(f"/exams/{exam.pk}/start/")["Location"] == started["Location"]


def test_without_the_script_the_save_button_keeps_every_answer(client_for, world):
    exam = fixed_exam(world)
    client = client_for("member")
    client.post(f"/exams/{exam.pk}/start/")
    attempt = Attempt.objects.get()
    data = {
        f"q{i.question.pk}": correct_response(i.question) for i in selectors.attempt_paper(attempt)
    }
    multiple = next(i for i in selectors.attempt_paper(attempt) if i.question.kind == "multiple")
    data[f"q{multiple.question.pk}"] = list(multiple.question.answer)
    response = client.post(f"/exams/attempts/{attempt.pk}/", data)
    assert response.status_code == 302
    assert Answer.objects.filter(attempt=attempt).count() == 4
    assert Answer.objects.get(question=multiple.question).response == multiple.question.answer
    submitted = client.post(f"/exams/attempts/{attempt.pk}/submit/")
    assert submitted["Location"] == f"/exams/attempts/{attempt.pk}/result/"
    result = client.get(submitted["Location"]).content.decode()
    assert zh("Download the certificate (PDF)") in result
    pdf = client.get(f"/exams/attempts/{attempt.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_answering_a_question_outside_the_paper_is_refused_with_a_chinese_reason(client_for, world):
    exam = fixed_exam(world)
    stranger = bank(world, tag="党史", n=1)[0]
    client = client_for("member")
    client.post(f"/exams/{exam.pk}/start/")
    attempt = Attempt.objects.get()
    response = client.post(
        f"/exams/attempts/{attempt.pk}/answer/", {"question": stranger.pk, "response": "A"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == zh("This question is not part of your exam paper.")
    assert not Answer.objects.exists()


def test_another_person_cannot_open_or_answer_my_attempt(client_for, world):
    exam = fixed_exam(world)
    attempt = services.attempt_start(actor=world.user("member"), exam=exam)
    client = client_for("secretary")
    assert client.get(f"/exams/attempts/{attempt.pk}/").status_code == 404
    answer = client.post(
        f"/exams/attempts/{attempt.pk}/answer/",
        {"question": attempt.question_ids[0], "response": "A"},
    )
    assert answer.status_code == 404
    assert client.post(f"/exams/attempts/{attempt.pk}/submit/").status_code == 404
    assert client.get(f"/exams/attempts/{attempt.pk}/certificate.pdf").status_code == 404
    assert not Answer.objects.exists()


def test_a_late_save_tells_the_script_the_exam_is_over(client_for, world):
    exam = fixed_exam(world, time_limit_minutes=5)
    member = world.user("member")
    attempt = services.attempt_start(
        actor=member, exam=exam, now=timezone.now() - timedelta(minutes=10)
    )
    client = client_for("member")
    response = client.post(
        f"/exams/attempts/{attempt.pk}/answer/",
        {"question": attempt.question_ids[0], "response": "A"},
    )
    assert response.status_code == 400 and response.json()["finished"] is True
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert client.get(f"/exams/attempts/{attempt.pk}/")["Location"].endswith("/result/")


def test_the_review_shows_the_answers_only_after_the_exam_closes(client_for, world):
    exam = fixed_exam(world)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    services.attempt_submit(actor=member, attempt=attempt)
    client = client_for("member")
    explanation = "党章总纲规定，党的最高理想和最终目标是实现共产主义。"
    assert explanation not in client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    services.exam_close(actor=world.user("schooladmin"), exam=exam)
    assert explanation in client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()


def test_an_exam_outside_my_audience_is_missing(client_for, world):
    exam = fixed_exam(world, audience=world.orgs["org2"])
    client = client_for("member")
    assert exam.title not in client.get("/exams/").content.decode()
    assert client.get(f"/exams/{exam.pk}/").status_code == 404
    assert client.post(f"/exams/{exam.pk}/start/").status_code == 404


def test_the_exam_list_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    questions = bank(world, n=2)
    for i in range(6):
        exam = fixed_exam(world, questions, title=f"考试{i}")
        services.attempt_start(actor=world.user("member"), exam=exam)
    client = client_for("member")
    with django_assert_max_num_queries(12):
        assert client.get("/exams/").status_code == 200


def test_the_paper_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    exam = fixed_exam(world, bank(world, n=10))
    client = client_for("member")
    client.post(f"/exams/{exam.pk}/start/")
    attempt = Attempt.objects.get()
    with django_assert_max_num_queries(14):
        assert client.get(f"/exams/attempts/{attempt.pk}/").status_code == 200


# ---------------------------------------------------------------------------------- setting


def test_the_school_administrator_sets_and_publishes_an_exam_with_rules(client_for, world):
    bank(world, n=3)
    client = client_for("schooladmin")
    assert client.get("/exams/manage/new/").status_code == 200
    data = {
        "title": "党章知识测试",
        "audience": world.orgs["root"].pk,
        "mode": "rules",
        "points": 10,
        "rule_1_kind": "single",
        "rule_1_tag": "党章",
        "rule_1_count": 2,
        "rule_1_points": 30,
        "rule_2_kind": "true_false",
        "rule_2_count": 2,
        "rule_2_points": 20,
        "time_limit_minutes": 20,
        "attempts_allowed": 2,
        "pass_mark": 60,
    }
    response = client.post("/exams/manage/new/", data)
    exam = Exam.objects.get()
    assert response["Location"] == f"/exams/manage/{exam.pk}/"
    assert exam.rules.count() == 2
    client.post(f"/exams/manage/{exam.pk}/publish/")
    exam.refresh_from_db()
    assert exam.status == ExamStatus.PUBLISHED


def test_rules_the_bank_cannot_satisfy_are_shown_on_the_form_and_nothing_saved(client_for, world):
    bank(world, n=1)
    client = client_for("schooladmin")
    data = {
        "title": "党章知识测试",
        "audience": world.orgs["root"].pk,
        "mode": "rules",
        "points": 10,
        "rule_1_kind": "single",
        "rule_1_tag": "党章",
        "rule_1_difficulty": "medium",
        "rule_1_count": 10,
        "rule_1_points": 10,
        "time_limit_minutes": 20,
        "attempts_allowed": 2,
        "pass_mark": 60,
    }
    response = client.post("/exams/manage/new/", data)
    assert response.status_code == 400
    assert "党章" in response.content.decode()
    assert Exam.objects.count() == 0


def _form_data(exam: Exam, **changes) -> dict:
    """What the edit form posts back for ``exam`` as it is, with ``changes``."""
    data = {
        "title": exam.title,
        "description": exam.description,
        "audience": exam.audience_id,
        "mode": exam.mode,
        "questions": [eq.question_id for eq in exam.paper.all()],
        "points": 25,
        "time_limit_minutes": exam.time_limit_minutes,
        "attempts_allowed": exam.attempts_allowed,
        "pass_mark": exam.pass_mark,
    }
    return {**data, **changes}


def test_a_draft_is_changed_on_the_form_that_set_it(client_for, world):
    exam = fixed_exam(world, publish=False)
    client = client_for("schooladmin")
    page = client.get(f"/exams/manage/{exam.pk}/edit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="党章知识测试"' in text and zh("Save the changes") in text
    response = client.post(
        f"/exams/manage/{exam.pk}/edit/",
        _form_data(
            exam,
            title="党章知识测试（修订）",
            mode="rules",
            rule_1_kind="true_false",
            rule_1_count=1,
            rule_1_points=100,
            pass_mark=100,
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/exams/manage/{exam.pk}/"
    exam.refresh_from_db()
    assert (exam.title, exam.mode, exam.pass_mark) == ("党章知识测试（修订）", "rules", 100)
    assert exam.organization == world.orgs["root"]


def test_a_drafts_rules_the_bank_cannot_satisfy_stay_on_the_form_and_nothing_saved(
    client_for, world
):
    exam = fixed_exam(world, publish=False)
    response = client_for("schooladmin").post(
        f"/exams/manage/{exam.pk}/edit/",
        _form_data(exam, title="改", mode="rules", rule_1_kind="fill", rule_1_count=20),
    )
    assert response.status_code == 400
    assert 'value="改"' in response.content.decode()
    exam.refresh_from_db()
    assert exam.title == "党章知识测试" and exam.mode == "fixed"


def test_a_published_exam_shows_its_settings_but_changes_only_title_description_closing(
    client_for, world
):
    closes = timezone.now() + timedelta(days=1)
    exam = fixed_exam(world, closes_at=closes)
    client = client_for("schooladmin")
    text = client.get(f"/exams/manage/{exam.pk}/edit/").content.decode()
    assert (
        zh(
            "This exam is published and people may have started it, so only its title, its "
            "description and a later closing time can change. The other settings are shown as they "
            "are."
        )
        in text
    )
    assert 'name="pass_mark" value="60"' in text and "disabled" in text
    later = timezone.localtime(closes + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    # A forged post of the locked settings changes nothing of them.
    response = client.post(
        f"/exams/manage/{exam.pk}/edit/",
        _form_data(
            exam, title="党章知识测试（延期）", pass_mark=0, attempts_allowed=9, closes_at=later
        ),
    )
    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.title == "党章知识测试（延期）" and exam.closes_at > closes
    assert (exam.pass_mark, exam.attempts_allowed) == (60, 2)


def test_a_published_exam_refuses_an_earlier_closing_time_on_the_form(client_for, world):
    closes = timezone.now() + timedelta(days=3)
    exam = fixed_exam(world, closes_at=closes)
    earlier = timezone.localtime(closes - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("schooladmin").post(
        f"/exams/manage/{exam.pk}/edit/", _form_data(exam, title="改", closes_at=earlier)
    )
    assert response.status_code == 400
    reason = zh(
        "This exam is already open to its people, so it can only close later, not before %(when)s."
    ) % {"when": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M")}
    assert reason in response.content.decode()
    exam.refresh_from_db()
    assert exam.title == "党章知识测试" and exam.closes_at == closes


def test_a_closed_exam_cannot_be_opened_for_changes(client_for, world):
    exam = fixed_exam(world)
    services.exam_close(actor=world.user("schooladmin"), exam=exam)
    client = client_for("schooladmin")
    response = client.get(f"/exams/manage/{exam.pk}/edit/")
    assert response["Location"] == f"/exams/manage/{exam.pk}/"
    assert "/edit/" not in client.get(f"/exams/manage/{exam.pk}/").content.decode()
    client.post(f"/exams/manage/{exam.pk}/edit/", _form_data(exam, title="改"))
    assert Exam.objects.get(pk=exam.pk).title == "党章知识测试"


# ---------------------------------------------------------------------------------- bank


def test_the_bank_filters_by_kind_tag_difficulty_and_words(client_for, world):
    bank(world, tag="党章", n=1)
    bank(world, tag="党史", n=1)
    client = client_for("schooladmin")
    page = client.get("/exams/bank/", {"kind": "fill", "tag": "党史"}).content.decode()
    assert "党史填空题0" in page and "党章填空题0" not in page and "党史单选题0" not in page
    page = client.get("/exams/bank/", {"text": "思想路线", "difficulty": "hard"}).content.decode()
    assert "党章多选题0" in page and "党章单选题0" not in page


def test_a_question_is_added_changed_and_retired_through_the_pages(client_for, world):
    client = client_for("schooladmin")
    data = {
        "kind": "single",
        "stem": "党的根本宗旨是什么？",
        "option_A": "全心全意为人民服务",
        "option_B": "发展经济",
        "answer": "A",
        "difficulty": "easy",
        "tags": "党章",
    }
    assert client.post("/exams/bank/new/", data).status_code == 302
    question = Question.objects.get()
    bad = client.post(f"/exams/bank/{question.pk}/edit/", {**data, "answer": "C"})
    assert bad.status_code == 400
    assert "党的根本宗旨是什么？" in bad.content.decode()  # the typed input is kept
    client.post(f"/exams/bank/{question.pk}/retire/")
    question.refresh_from_db()
    assert question.active is False


def test_an_import_with_a_bad_row_lists_every_problem_in_chinese_and_imports_nothing(
    client_for, world
):
    data = _xlsx(
        [
            COLUMNS,
            _row(stem="好题"),
            _row(kind="问答", stem="坏题一"),
            _row(stem="坏题二", answer="C"),
            _row(kind="判断", stem="坏题三", options=(), answer="可能"),
        ]
    )
    client = client_for("schooladmin")
    response = client.post("/exams/bank/import/", {"file": _upload(data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<td>题型</td>" in page and "<td>答案</td>" in page
    assert zh("The answer of a true-or-false question is 对 or 错.") in page
    for row in (3, 4, 5):
        assert f"<td>{row}</td>" in page
    assert Question.objects.count() == 0


def test_a_good_import_adds_every_question_and_importing_it_again_adds_none(client_for, world):
    data = _xlsx(
        [
            COLUMNS,
            _row(stem="单选题"),
            _row(kind="多选", stem="多选题", options=("甲", "乙", "丙"), answer="A,C"),
            _row(kind="判断", stem="判断题", options=(), answer="错"),
            _row(kind="填空", stem="填空题", options=(), answer="服务|服务人民", level=""),
        ]
    )
    client = client_for("schooladmin")
    assert client.post("/exams/bank/import/", {"file": _upload(data)}).status_code == 200
    assert Question.objects.count() == 4
    assert Question.objects.get(stem="多选题").answer == "AC"
    assert Question.objects.get(stem="判断题").answer == "F"
    assert client.post("/exams/bank/import/", {"file": _upload(data)}).status_code == 200
    assert Question.objects.count() == 4


def test_a_file_that_is_not_a_workbook_is_refused(client_for, world):
    client = client_for("schooladmin")
    response = client.post(
        "/exams/bank/import/", {"file": _upload(b"%PDF-1.4 not a sheet", "题库.xlsx")}
    )
    assert response.status_code == 400
    assert Question.objects.count() == 0


def test_the_export_and_the_template_can_be_imported_again(client_for, world):
    bank(world, n=1)
    client = client_for("schooladmin")
    exported = client.get("/exams/bank/export.xlsx").content
    sheet = load_workbook(io.BytesIO(exported)).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet.max_row == 5
    template = client.get("/exams/bank/template.xlsx").content
    assert load_workbook(io.BytesIO(template)).active["A1"].value == "题型"
    Question.objects.update(organization=world.orgs["org1"])  # a second import adds them again
    response = client.post("/exams/bank/import/", {"file": _upload(exported)})
    assert response.status_code == 200
    assert Question.objects.count() == 8


def test_the_bank_page_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    bank(world, n=8)
    client = client_for("schooladmin")
    with django_assert_max_num_queries(10):
        assert client.get("/exams/bank/").status_code == 200


# ---------------------------------------------------------------------------------- statistics


def _taken(world, exam, persona, right: bool):
    user = world.user(persona)
    attempt = services.attempt_start(actor=user, exam=exam)
    if right:
        for item in selectors.attempt_paper(attempt):
            services.answer_save(
                actor=user,
                attempt=attempt,
                question_id=item.question.pk,
                response=correct_response(item.question),
            )
    return services.attempt_submit(actor=user, attempt=attempt)


def test_statistics_show_pass_rate_bands_organizations_and_missed_questions(client_for, world):
    exam = fixed_exam(world)
    _taken(world, exam, "member", True)
    _taken(world, exam, "secretary", False)
    _taken(world, exam, "other_secretary", False)
    stats = selectors.exam_statistics(user=world.user("schooladmin"), exam=exam)
    assert (stats.takers, stats.passed, stats.pass_rate) == (3, 1, 33)
    assert dict(stats.bands)["0–59"] == 2 and dict(stats.bands)["90–100"] == 1
    by_org = {r.organization.code: r for r in stats.organizations}
    assert by_org["A01"].takers == 2 and by_org["A01"].passed == 1
    assert by_org["A02"].takers == 1
    assert stats.missed[0].wrong == 2
    page = client_for("schooladmin").get(f"/exams/statistics/{exam.pk}/")
    assert page.status_code == 200
    assert "echarts.min.js" in page.content.decode()


def test_a_secretary_sees_only_the_statistics_of_their_own_subtree(client_for, world):
    exam = fixed_exam(world)
    _taken(world, exam, "member", True)
    _taken(world, exam, "other_secretary", False)
    stats = selectors.exam_statistics(user=world.user("secretary"), exam=exam)
    assert (stats.takers, stats.passed) == (1, 1)
    stats = selectors.exam_statistics(user=world.user("other_secretary"), exam=exam)
    assert (stats.takers, stats.passed) == (1, 0)
    assert client_for("member").get(f"/exams/statistics/{exam.pk}/").status_code == 403


def test_the_statistics_export_has_chinese_headers_and_percent_formats(client_for, world):
    exam = fixed_exam(world)
    _taken(world, exam, "member", True)
    data = client_for("schooladmin").get(f"/exams/statistics/{exam.pk}/export.xlsx").content
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["概况", "分数分布", "各组织", "错题排行"]
    assert workbook["概况"]["B4"].value == 1 and workbook["概况"]["B4"].number_format == "0%"
    assert workbook["各组织"]["A1"].value == "组织"


def test_the_statistics_page_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    exam = fixed_exam(world, bank(world, n=5))
    for persona in ("member", "secretary", "other_secretary", "leader", "editor"):
        _taken(world, exam, persona, persona == "member")
    client = client_for("schooladmin")
    with django_assert_max_num_queries(12):
        assert client.get(f"/exams/statistics/{exam.pk}/").status_code == 200


def test_my_to_do_list_shows_exams_to_take_and_the_one_in_progress(client_for, world):
    from dangwu.exams.hooks import todos

    exam = fixed_exam(world, title="党章知识测试")
    member = world.user("member")
    assert [t.url for t in todos(member)] == [f"/exams/{exam.pk}/"]
    attempt = services.attempt_start(actor=member, exam=exam)
    items = todos(member)
    assert items[0].urgent and items[0].url == f"/exams/attempts/{attempt.pk}/"
    assert todos(world.user("auditor")) == []
