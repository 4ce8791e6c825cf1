"""Exams in a real browser: a member takes an exam, closes the tab in the middle, opens it again
and finds the answers kept, hands in, passes and downloads the certificate; the school
administrator's pages (bank, import with a bad row, setting an exam, statistics with charts).
axe-core runs on every page, normal and care mode.
"""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from dangwu.exams import selectors, services
from dangwu.exams.models import Attempt
from dangwu.exams.tests.factories import bank, correct_response, fixed_exam
from dangwu.exams.workbooks import COLUMNS
from tests.browser.conftest import Site
from tests.browser.helpers import zh

pytestmark = pytest.mark.browser


def _saved(page, question_id: int) -> None:
    prefix = zh("Saved at %(time)s").split("%")[0]
    expect(page.locator(f"#saved-{question_id}")).to_contain_text(prefix)


def _answer(page, item) -> None:
    question = item.question
    response = correct_response(question)
    if question.kind == "fill":
        page.locator(f"#q{question.pk}-text").fill(response)
        page.locator(f"#q{question.pk}-text").blur()
    else:
        for key in response:
            page.locator(f"#q{question.pk}-{key}").check()
    _saved(page, question.pk)


def test_a_member_takes_an_exam_closes_the_tab_comes_back_passes_and_gets_the_certificate(
    site, world, live_server
):
    exam = fixed_exam(world, title="党章知识测试", shuffle_options=True)
    site.sign_in("demo-member")
    site.go("/")
    site.follow(zh("Take the exam: %(title)s", title=exam.title))
    site.assert_accessible()
    site.press(zh("Start the exam"))
    site.assert_accessible()
    attempt = Attempt.objects.get()
    items = selectors.attempt_paper(attempt)
    _answer(site.page, items[0])
    _answer(site.page, items[2])

    # The tab is closed in the middle of the exam; a new one opens the exam again.
    context = site.page.context
    site.page.close()
    again = Site(context.new_page(), live_server.url)
    again.go(f"/exams/{exam.pk}/")
    again.assert_accessible()
    again.follow(zh("Continue the exam"))
    page = again.page
    first = items[0].question
    expect(page.locator(f"#q{first.pk}-{correct_response(first)}")).to_be_checked()
    expect(page.locator(f"#q{items[2].question.pk}-{items[2].question.answer}")).to_be_checked()
    _answer(page, items[1])
    _answer(page, items[3])
    again.press(zh("Hand in the exam"))
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/result/")
    expect(page.locator("main")).to_contain_text(zh("Passed."))
    again.assert_accessible()
    link = page.get_by_role("link", name=zh("Download the certificate (PDF)"))
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100


def test_the_exam_list_and_a_closed_exams_review_are_accessible(site, world):
    exam = fixed_exam(world, title="党史知识小测验")
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    services.attempt_submit(actor=member, attempt=attempt)
    services.exam_close(actor=world.user("schooladmin"), exam=exam)
    site.sign_in("demo-member")
    site.go("/exams/")
    site.assert_accessible()
    site.go(f"/exams/attempts/{attempt.pk}/result/")
    expect(site.page.locator("main")).to_contain_text(zh("Your answers and the correct answers"))
    site.assert_accessible()


def _workbook(tmp_path) -> str:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(
        [
            "单选",
            "党的根本宗旨是什么？",
            "全心全意为人民服务",
            "发展经济",
            *[""] * 6,
            "A",
            "",
            "党章",
            "易",
        ]
    )
    sheet.append(["判断", "预备党员的预备期为一年。", *[""] * 8, "也许", "", "党章", "易"])
    path = tmp_path / "题库.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_the_school_administrator_imports_a_bank_with_a_bad_row_and_sets_an_exam(
    site, world, tmp_path
):
    bank(world, n=2)
    site.sign_in("demo-schooladmin")
    site.go("/exams/bank/")
    site.assert_accessible()
    site.follow(zh("Import from Excel"))
    site.assert_accessible()
    site.page.locator("#id_file").set_input_files(_workbook(tmp_path))
    site.press(zh("Check and import"))
    problems = site.page.locator("table.problems")
    expect(problems).to_contain_text("答案")
    expect(problems).to_contain_text(zh("The answer of a true-or-false question is 对 or 错."))
    expect(problems.locator("td").first).to_have_text("3")
    site.assert_accessible()
    site.go("/exams/bank/new/")
    site.assert_accessible()
    site.go("/exams/manage/new/")
    site.assert_accessible()
    site.page.locator("#id_title").fill("党章知识测试")
    site.page.locator("#id_mode_1").check()
    site.page.locator("#id_rule_1_kind").select_option("single")
    site.page.locator("#id_rule_1_tag").fill("党章")
    site.page.locator("#id_rule_1_count").fill("5")
    site.press(zh("Save the exam"))
    expect(site.page.locator(".error-summary")).to_be_visible()
    site.assert_accessible()
    site.page.locator("#id_rule_1_count").fill("2")
    site.press(zh("Save the exam"))
    site.assert_accessible()
    site.press(zh("Publish the exam"))
    expect(site.page.locator("main")).to_contain_text(zh("Published"))
    site.go("/exams/manage/")
    site.assert_accessible()


def test_the_statistics_page_shows_charts_with_their_numbers(site, world):
    exam = fixed_exam(world, title="党章知识测试")
    for persona, right in (("member", True), ("secretary", False), ("other_secretary", False)):
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
        services.attempt_submit(actor=user, attempt=attempt)
    site.sign_in("demo-schooladmin")
    site.go("/exams/statistics/")
    site.assert_accessible()
    site.follow(exam.title)
    expect(site.page.locator("#bands-chart canvas")).to_have_count(1)
    expect(site.page.locator("#orgs-chart canvas")).to_have_count(1)
    expect(site.page.locator("main")).to_contain_text("33%")
    site.assert_accessible()


def test_the_school_administrator_changes_a_draft_and_then_a_published_exam(site, world):
    exam = fixed_exam(world, title="党章知识测试", publish=False)
    site.sign_in("demo-schooladmin")
    site.go(f"/exams/manage/{exam.pk}/")
    site.follow(zh("Change the exam"))
    site.assert_accessible()
    site.page.locator("#id_title").fill("党章知识测试（修订）")
    site.page.locator("#id_pass_mark").fill("80")
    site.press(zh("Save the changes"))
    expect(site.page.locator("h1")).to_have_text("党章知识测试（修订）")
    site.press(zh("Publish the exam"))
    site.follow(zh("Change the exam"))
    # Published: the settings are shown, only the title, description and closing time open.
    expect(site.page.locator("#id_pass_mark")).to_be_disabled()
    expect(site.page.locator("#id_pass_mark")).to_have_value("80")
    expect(site.page.locator("#id_title")).to_be_enabled()
    site.assert_accessible()
    site.page.locator("#id_title").fill("")
    site.press(zh("Save the changes"))
    expect(site.page.locator(".error-summary")).to_be_visible()
    site.assert_accessible()
    site.page.locator("#id_title").fill("党章知识测试（第二期）")
    site.press(zh("Save the changes"))
    expect(site.page.locator("h1")).to_have_text("党章知识测试（第二期）")
    exam.refresh_from_db()
    assert (exam.title, exam.pass_mark, exam.status) == ("党章知识测试（第二期）", 80, "published")
