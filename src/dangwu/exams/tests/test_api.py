"""The exams API: the same flow, policy and refusals as the pages."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from dangwu.exams import services
from dangwu.exams.models import Answer, Attempt, Exam, Question
from dangwu.exams.tests.factories import bank, correct_response, fixed_exam
from dangwu.exams.workbooks import COLUMNS, XLSX

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_member_takes_an_exam_through_the_api(api_for, world):
    exam = fixed_exam(world)
    member = api_for("member")
    listed = member.get("/api/v1/exams").json()
    assert [e["id"] for e in listed] == [exam.pk]
    started = member.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert started.status_code == 201, started.content
    paper = started.json()
    assert len(paper["questions"]) == 4 and paper["seconds_left"] > 0
    questions = {q.pk: q for q in Question.objects.all()}
    for item in paper["questions"]:
        saved = member.put(
            f"/api/v1/attempts/{paper['id']}/answers/{item['question_id']}",
            {"response": correct_response(questions[item["question_id"]])},
        )
        assert saved.status_code == 200, saved.content
    resumed = member.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert resumed.status_code == 200
    assert all(q["response"] for q in resumed.json()["questions"])
    submitted = member.post(f"/api/v1/attempts/{paper['id']}/submit").json()
    assert submitted["passed"] is True and submitted["score"] == 100
    assert submitted["certificate_number"].startswith("DW")
    result = member.get(f"/api/v1/attempts/{paper['id']}/result").json()
    assert result["review"] == []  # the exam is still open


def test_the_api_refuses_a_question_outside_the_paper_and_a_late_submission(api_for, world):
    exam = fixed_exam(world, time_limit_minutes=5)
    stranger = bank(world, tag="党史", n=1)[0]
    attempt = services.attempt_start(
        actor=world.user("member"), exam=exam, now=timezone.now() - timedelta(minutes=4)
    )
    member = api_for("member")
    outside = member.put(f"/api/v1/attempts/{attempt.pk}/answers/{stranger.pk}", {"response": "A"})
    assert outside.status_code == 400 and not Answer.objects.exists()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    late = member.post(f"/api/v1/attempts/{attempt.pk}/submit")
    assert late.status_code == 400
    assert member.get(f"/api/v1/attempts/{attempt.pk}/result").json()["status"] == "expired"


def test_someone_elses_attempt_and_an_exam_outside_the_audience_are_missing(api_for, world):
    exam = fixed_exam(world, audience=world.orgs["org1"])
    attempt = services.attempt_start(actor=world.user("member"), exam=exam)
    other = api_for("other_secretary")
    assert other.get(f"/api/v1/exams/{exam.pk}").status_code == 404
    assert other.post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 404
    assert other.get(f"/api/v1/attempts/{attempt.pk}").status_code == 404
    assert (
        other.put(
            f"/api/v1/attempts/{attempt.pk}/answers/{attempt.question_ids[0]}", {"response": "A"}
        ).status_code
        == 404
    )


def test_a_response_too_long_is_a_422(api_for, world):
    exam = fixed_exam(world)
    attempt = services.attempt_start(actor=world.user("member"), exam=exam)
    response = api_for("member").put(
        f"/api/v1/attempts/{attempt.pk}/answers/{attempt.question_ids[0]}", {"response": "x" * 300}
    )
    assert response.status_code == 422


def test_the_bank_is_exported_and_imported_as_xlsx_bodies(api_for, world):
    bank(world, n=1)
    admin = api_for("schooladmin")
    exported = admin.get("/api/v1/question-bank/export.xlsx")
    assert exported["Content-Type"] == XLSX
    Question.objects.all().delete()
    imported = admin.post("/api/v1/question-bank/import", exported.content, content_type=XLSX)
    assert imported.status_code == 201, imported.content
    assert imported.json() == {"created": 4, "unchanged": 0}


def test_an_import_with_a_bad_row_names_the_row_and_column_and_imports_nothing(api_for, world):
    rows = [COLUMNS, ["单选", "好题", "甲", "乙", *[""] * 6, "A", "", "", ""]]
    rows.append(["单选", "坏题", "甲", "乙", *[""] * 6, "Z", "", "", ""])
    response = api_for("schooladmin").post(
        "/api/v1/question-bank/import", _xlsx(rows), content_type=XLSX
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "答案" and "3" in errors[0]["message"]
    assert Question.objects.count() == 0


def test_a_member_cannot_import_or_export_the_bank(api_for, world):
    member = api_for("member")
    assert member.get("/api/v1/question-bank/export.xlsx").status_code == 403
    assert member.post("/api/v1/question-bank/import", b"PK", content_type=XLSX).status_code == 403


def test_statistics_through_the_api_follow_the_callers_subtree(api_for, world):
    exam = fixed_exam(world)
    for persona in ("member", "other_secretary"):
        user = world.user(persona)
        attempt = services.attempt_start(actor=user, exam=exam)
        services.attempt_submit(actor=user, attempt=attempt)
    everyone = api_for("schooladmin").get(f"/api/v1/exams/{exam.pk}/statistics").json()
    assert everyone["takers"] == 2
    mine = api_for("secretary").get(f"/api/v1/exams/{exam.pk}/statistics").json()
    assert mine["takers"] == 1
    assert api_for("member").get(f"/api/v1/exams/{exam.pk}/statistics").status_code == 403


# ---------------------------------------------------------------------------------- changing


def test_the_school_administrator_changes_a_draft_through_the_api(api_for, world):
    exam = fixed_exam(world, publish=False)
    admin = api_for("schooladmin")
    response = admin.patch(
        f"/api/v1/exams/{exam.pk}",
        {
            "title": "党章知识测试（修订）",
            "pass_mark": 80,
            "closes_at": "2030-07-01T18:00:00",
            "questions": None,
            "rules": [{"kind": "single", "count": 1, "points": 10, "tag": "党章"}],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "党章知识测试（修订）" and body["pass_mark"] == 80
    assert body["mode"] == "rules" and body["questions"] == []
    assert body["rules"] == [
        {"kind": "single", "count": 1, "points": 10, "tag": "党章", "difficulty": ""}
    ]
    assert body["closes_at"].startswith("2030-07-01T18:00:00+08:00")


def test_a_draft_paper_of_questions_outside_my_bank_is_refused(api_for, world):
    exam = fixed_exam(world, publish=False)
    response = api_for("schooladmin").patch(
        f"/api/v1/exams/{exam.pk}", {"questions": [{"question_id": 999999}], "rules": None}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "questions"
    assert exam.paper.count() == 4


def test_rules_the_bank_cannot_satisfy_are_refused_through_the_api(api_for, world):
    exam = fixed_exam(world, publish=False)
    response = api_for("schooladmin").patch(
        f"/api/v1/exams/{exam.pk}", {"questions": None, "rules": [{"kind": "fill", "count": 50}]}
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["rules"]
    assert Exam.objects.get(pk=exam.pk).mode == "fixed"


def test_a_published_exam_takes_a_new_title_but_refuses_a_new_pass_mark(api_for, world):
    exam = fixed_exam(world)
    admin = api_for("schooladmin")
    assert admin.patch(f"/api/v1/exams/{exam.pk}", {"title": "新标题"}).status_code == 200
    refused = admin.patch(f"/api/v1/exams/{exam.pk}", {"title": "再改", "pass_mark": 90})
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["pass_mark"]
    exam.refresh_from_db()
    assert (exam.title, exam.pass_mark) == ("新标题", 60)


def test_a_closed_exam_refuses_any_change_through_the_api(api_for, world):
    exam = fixed_exam(world)
    services.exam_close(actor=world.user("schooladmin"), exam=exam)
    response = api_for("schooladmin").patch(f"/api/v1/exams/{exam.pk}", {"title": "新标题"})
    assert response.status_code == 400
    assert response.json()["detail"] == services.closed_exam_message()


def test_malformed_changes_are_refused_with_422(api_for, world):
    exam = fixed_exam(world, publish=False)
    admin = api_for("schooladmin")
    for body in ({"time_limit_minutes": 0}, {"pass_mark": "many"}, {"rules": [{"kind": "x"}]}):
        assert admin.patch(f"/api/v1/exams/{exam.pk}", body).status_code == 422, body


def test_an_exam_i_do_not_set_is_missing_for_changes(api_for, world):
    exam = fixed_exam(world, publish=False)
    assert api_for("secretary").patch(f"/api/v1/exams/{exam.pk}", {"title": "x"}).status_code in (
        403,
        404,
    )
    assert api_for("schooladmin").patch("/api/v1/exams/999999", {"title": "x"}).status_code == 404
