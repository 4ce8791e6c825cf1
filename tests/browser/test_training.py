"""Training in a real browser: a member types a passage and sees speed and accuracy recorded
(and the time credited to the practice lesson), then the progress chart; a secretary sees the
completion of the organization's people under a committee plan and downloads it; the school
administrator's plan pages. axe-core runs on every page, normal and care mode.

The operating system's pinyin IME is not available to headless Chromium: the test commits text
with ``page.keyboard.insert_text``, which the page receives exactly like characters committed by
an IME (an ``input`` event outside any composition). The composition handling itself (letters
being composed are not counted) is plain event logic in ``training/static/training/typing.js``.
"""

import io
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from dangwu.access import Role
from dangwu.training.models import TypingSession
from dangwu.training.tests import factories
from tests.browser.helpers import is_xlsx, zh

pytestmark = pytest.mark.browser


@pytest.fixture
def training(world):
    from dangwu.access import SYSTEM
    from dangwu.accounts.services import role_grant, user_create
    from dangwu.orgs.services import member_link_account
    from tests.personas import add_member

    _course, lesson = factories.practice_course(world)
    text = factories.typing_text()
    course = factories.course(world, title="计算机基础：党务工作者入门")
    plan = factories.plan(
        world, courses=[course], orgs=[world.orgs["root"]], roles=[Role.SECRETARY]
    )
    # Two more people in 第一支部 (one finished) and one in 第二机关党委's branch.
    users = []
    for serial, org in ((201, "branch1"), (202, "branch1"), (203, "branch3")):
        birth = date(1968, 3, serial % 28 + 1)
        member = add_member(world.orgs[org], f"学员{serial}", serial, birth_date=birth)
        user = user_create(actor=SYSTEM, username=f"learner{serial}", password="x-Pass-2026")
        role_grant(actor=SYSTEM, user=user, role=Role.MEMBER, organization=world.orgs[org])
        member_link_account(actor=SYSTEM, member=member, user=user)
        users.append(user)
    factories.complete_course(users[0], course)
    return {"text": text, "lesson": lesson, "plan": plan, "course": course}


def test_a_typing_exercise_records_speed_and_accuracy(site, world, training):
    from dangwu.school.models import LessonProgress

    page = site.page
    site.sign_in("demo-member")
    site.go("/training/")
    site.assert_accessible()
    assert "计算机基础：党务工作者入门" in page.locator("main").inner_text()
    site.follow(zh("Chinese typing practice"))
    site.assert_accessible()
    site.follow(training["text"].title)
    site.assert_accessible()
    box = page.get_by_label(zh("Type the text here"))
    box.click()
    # Typed at an honest pace: a first character, a pause, then the rest.
    text = factories.TEXT[:-1] + "张"  # one character wrong
    page.keyboard.insert_text(text[0])
    page.wait_for_timeout(8000)
    page.keyboard.insert_text(text[1:])
    assert page.locator("#typing-status").is_visible()
    site.press(zh("Finish and see my result"))
    session = TypingSession.objects.get()
    assert session.typed_chars == len(factories.TEXT)
    assert session.correct_chars == len(factories.TEXT) - 1
    assert 8 <= session.seconds <= 30
    main = page.locator("main").inner_text()
    assert f"{session.accuracy}%" in main
    assert str(session.chars_per_minute) in main
    site.assert_accessible()
    assert LessonProgress.objects.get(lesson=training["lesson"]).seconds == session.seconds

    site.follow(zh("My practice history"))
    page.wait_for_selector("#typing-chart svg")
    assert page.get_by_role("table", name=zh("The numbers of the chart")).count() == 1
    site.assert_accessible()


def test_a_forged_duration_is_refused_in_the_browser_and_the_text_kept(site, world, training):
    page = site.page
    site.sign_in("demo-member")
    site.go(f"/training/typing/{training['text'].pk}/")
    page.get_by_label(zh("Type the text here")).fill(factories.TEXT)
    page.locator("input[name=seconds]").evaluate("(e) => { e.form.onsubmit = null; }")
    # Pasted in one go and sent at once: far faster than anyone types.
    site.press(zh("Finish and see my result"))
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label(zh("Type the text here")).input_value() == factories.TEXT
    assert TypingSession.objects.count() == 0
    site.assert_accessible()


def test_a_secretary_sees_the_organizations_completion(site, world, training):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/training/plans/")
    site.assert_accessible()
    site.follow(training["plan"].title)
    site.assert_accessible()
    organizations = page.get_by_role("table", name=zh("By organization"))
    row = organizations.locator("tr").filter(
        has=page.get_by_role("rowheader", name="第一机关党委第一支部", exact=True)
    )
    assert row.locator("td").first.inner_text() == "3"  # the member and two learners
    assert "第二机关党委" not in organizations.inner_text()
    assert "学员203" not in page.locator("main").inner_text()
    page.select_option("#id_show", "incomplete")
    site.press(zh("Show"))
    people = page.locator("main").inner_text()
    assert "学员202" in people and "学员201" not in people
    site.assert_accessible()
    with page.expect_download() as info:
        page.get_by_role("link", name=zh("Download as Excel")).click()
    body = Path(info.value.path()).read_bytes()
    assert is_xlsx(body)
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert any(r[0] == "学员201" for r in book.worksheets[1].iter_rows(values_only=True))


def test_the_school_administrator_makes_a_plan(site, world, training):
    page = site.page
    site.sign_in("demo-schooladmin")
    site.go("/training/plans/")
    site.follow(zh("Make a training plan"))
    site.assert_accessible()
    page.get_by_label(zh("Title")).fill("党支部书记培训")
    page.get_by_label(zh("Starts on")).fill("2020-01-01")
    page.get_by_label(zh("Due on")).fill("2019-01-01")
    site.press(zh("Save the plan"))
    assert zh("The due date is before the start date.") in page.locator("main").inner_text()
    site.assert_accessible()
    today = timezone.localdate()
    page.get_by_label(zh("Starts on")).fill(today.isoformat())
    page.get_by_label(zh("Due on")).fill((today + timedelta(days=60)).isoformat())
    page.get_by_label("计算机基础：党务工作者入门").check()
    page.get_by_label(zh("Organization secretary")).check()
    site.press(zh("Save the plan"))
    site.assert_accessible()
    site.press(zh("Start the plan"))
    assert zh("The plan has started.") in page.locator("main").inner_text()
    site.follow(zh("Change the plan"))
    assert page.get_by_label(zh("Title")).input_value() == "党支部书记培训"
    site.assert_accessible()
