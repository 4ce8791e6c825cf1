"""The online Party school in a real browser: a member studies a text lesson and a short video
to the end, with time reported by the page's real heartbeat, and sees the hours counted; a hidden
tab reports nothing; the school administrator builds a course. axe-core runs on every page
(school home, course, a lesson of each kind, my record, the administrator's pages), normal and
care mode.

The heartbeat interval is shortened to two seconds for the test (``SCHOOL_HEARTBEAT_SECONDS``);
the text lesson starts with 57 of its 60 required seconds already credited, so that the real
heartbeat finishes it within seconds.
"""

from decimal import Decimal

import pytest

from dangwu.school import services
from dangwu.school.models import LessonProgress
from dangwu.school.tests.factories import TEXT, pdf, png, webm
from tests.browser.helpers import zh

pytestmark = pytest.mark.browser


@pytest.fixture
def fast_heartbeat(settings):
    settings.SCHOOL_HEARTBEAT_SECONDS = 2
    settings.SCHOOL_ACTIVE_WINDOW_SECONDS = 120


def _school(world):
    """A published course with a lesson of every kind, and a draft course."""
    admin = world.user("schooladmin")
    root = world.orgs["root"]
    course = services.course_create(
        actor=admin, title="党章学习", category="charter", organization=root, description="逐章学习"
    )

    def add(title, kind, hours, minutes, **extra):
        return services.lesson_create(
            actor=admin,
            course=course,
            title=title,
            kind=kind,
            hours=Decimal(hours),
            required_minutes=minutes,
            **extra,
        )

    lessons = {
        "text": add("总纲", "text", "1.0", 1, body=TEXT),
        "video": add("入党誓词", "video", "0.5", 10, upload=webm()),
        "pdf": add("党章全文", "pdf", "1.0", 30, upload=pdf("中国共产党章程")),
        "slides": add("党的组织制度", "slides", "0.5", 10, upload=png("第一张.png")),
        "practice": add("汉字输入练习", "practice", "1.0", 20, body="<p>每天练习十分钟。</p>"),
    }
    services.course_publish(actor=admin, course=course)
    draft = services.course_create(
        actor=admin, title="业务知识（筹备中）", category="business", organization=root
    )
    return course, lessons, draft


def _forget_browser_internal(site) -> None:
    site.external_requests[:] = [
        url
        for url in site.external_requests
        if not url.startswith(("chrome://", "chrome-extension://"))
    ]
    # Whatever the viewer loads while axe runs is browser-internal too.
    site.page.remove_listener("request", site._watch_request)
    site.page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("chrome://", "chrome-extension://"))
            else site._watch_request(r)
        ),
    )


def _keep_active(page, seconds: float) -> None:
    """Move the mouse now and then for ``seconds``, as a person reading does."""
    steps = int(seconds * 2)
    for n in range(steps):
        page.mouse.move(200 + n % 50, 300 + n % 30)
        page.wait_for_timeout(500)


def test_a_member_studies_a_text_lesson_and_a_video_and_sees_the_hours(site, world, fast_heartbeat):
    _course, lessons, _draft = _school(world)
    member = world.user("member")
    services.lesson_time_credit(actor=member, lesson=lessons["text"], seconds=57)

    site.sign_in("demo-member")
    site.go("/school/")
    page = site.page
    refusals = []
    page.on(
        "response",
        lambda r: (
            refusals.append((r.url, r.text()))
            if r.url.endswith("/progress") and r.status >= 400
            else None
        ),
    )
    assert "党章学习" in page.content() and "筹备中" not in page.content()
    site.assert_accessible()
    site.follow("党章学习")
    site.assert_accessible()

    # The text lesson: the page's heartbeat reports the time while the person is active.
    site.go(f"/school/lessons/{lessons['text'].pk}/")
    site.assert_accessible()
    assert page.locator("main button").count() == 0  # nothing to press: time alone finishes it
    done = zh("You have finished this lesson: %(hours)s study hours are counted.", hours="1.0")
    for _attempt in range(20):
        _keep_active(page, 1)
        if page.locator("#study-status").inner_text() == done:
            break
    assert page.locator("#study-status").inner_text() == done
    text_progress = LessonProgress.objects.get(user=member, lesson=lessons["text"])
    assert text_progress.completed_at is not None and text_progress.seconds >= 60

    # The video: played (muted, as a browser allows without a click) to the end.
    site.go(f"/school/lessons/{lessons['video'].pk}/")
    site.assert_accessible()
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    page.wait_for_function("() => document.querySelector('video').ended", timeout=20_000)
    done = zh("You have finished this lesson: %(hours)s study hours are counted.", hours="0.5")
    page.wait_for_function(
        "text => document.getElementById('study-status').textContent === text",
        arg=done,
        timeout=10_000,
    )
    video_progress = LessonProgress.objects.get(user=member, lesson=lessons["video"])
    assert video_progress.completed_at is not None and video_progress.position >= 2

    # The other kinds of lesson. The PDF is shown by the browser's own viewer, which loads its
    # parts from inside the browser (chrome:// and chrome-extension://), not from any server.
    for kind in ("pdf", "slides", "practice"):
        site.go(f"/school/lessons/{lessons[kind].pk}/")
        page.wait_for_load_state("networkidle")
        _forget_browser_internal(site)
        site.assert_accessible()

    assert refusals == []

    # My record: 1.0 + 0.5 study hours this year.
    site.go("/school/record/")
    record = page.locator("main").inner_text()
    assert "1.5" in record and "总纲" in record and "入党誓词" in record
    site.assert_accessible()
    site.go("/school/")
    assert "1.5" in page.locator(".year-hours").inner_text()


def test_a_hidden_page_reports_no_study_time(site, world, fast_heartbeat):
    _course, lessons, _draft = _school(world)
    site.sign_in("demo-member")
    reports = []
    site.page.on(
        "request", lambda r: reports.append(r.url) if r.url.endswith("/progress") else None
    )
    site.go(f"/school/lessons/{lessons['text'].pk}/")
    # The tab goes to the background (Page Visibility API): nothing is counted or sent.
    site.page.evaluate(
        """() => {
            Object.defineProperty(document, 'visibilityState', {get: () => 'hidden'});
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    _keep_active(site.page, 5)
    assert reports == []
    assert not LessonProgress.objects.filter(lesson=lessons["text"]).exists()


def test_an_idle_person_reports_no_study_time(site, world, settings):
    settings.SCHOOL_HEARTBEAT_SECONDS = 2
    settings.SCHOOL_ACTIVE_WINDOW_SECONDS = 1
    _course, lessons, _draft = _school(world)
    site.sign_in("demo-member")
    reports = []
    site.page.on(
        "request", lambda r: reports.append(r.url) if r.url.endswith("/progress") else None
    )
    site.go(f"/school/lessons/{lessons['text'].pk}/")
    site.page.wait_for_timeout(5000)  # nobody touches anything
    assert reports == []


def test_the_school_administrator_builds_a_course(site, world):
    _course, lessons, draft = _school(world)
    site.sign_in("demo-schooladmin")
    site.go("/school/manage/")
    site.assert_accessible()
    site.follow(zh("Create a course"))
    site.assert_accessible()
    page = site.page
    site.press(zh("Create the course"))  # nothing filled in: the page says what to fix
    assert page.locator(".error-summary").count() == 1
    site.assert_accessible()
    page.get_by_label(zh("Title of the course")).fill("党史上的重要时刻")
    page.get_by_label(zh("Category")).select_option("history")
    page.get_by_label("党章学习").check()
    site.press(zh("Create the course"))
    site.assert_accessible()  # the course's own page: lessons, publish, its fields
    page.get_by_label(zh("Kind of lesson")).select_option("text")
    site.press(zh("Add a lesson"))
    site.assert_accessible()
    page.get_by_label(zh("Title of the lesson")).fill("开天辟地")
    page.get_by_label(zh("Minutes of study required")).fill("10")
    page.locator(".rich-area").click()
    page.keyboard.type("1921年7月，中国共产党第一次全国代表大会召开。")
    site.press(zh("Add the lesson"))
    site.assert_accessible()  # the lesson's edit page
    site.go(f"/school/manage/lessons/{lessons['slides'].pk}/")
    site.assert_accessible()  # slides: pictures, remove, add
    site.go(f"/school/manage/{draft.pk}/")
    site.press(zh("Publish the course"))
    assert zh("Add at least one lesson before publishing the course.") in page.content()
    site.assert_accessible()


def test_an_mp4_upload_in_disguise_is_refused_on_the_page(site, world):
    course, _lessons, _draft = _school(world)
    site.sign_in("demo-schooladmin")
    site.go(f"/school/manage/{course.pk}/lessons/new/?kind=video")
    page = site.page
    page.get_by_label(zh("Title of the lesson")).fill("视频")
    page.get_by_label(zh("File")).set_input_files(
        files=[{"name": "讲座.mp4", "mimeType": "video/mp4", "buffer": b"%PDF-1.4 renamed"}]
    )
    site.press(zh("Add the lesson"))
    assert page.locator(".error-summary").count() == 1
    assert page.get_by_label(zh("Title of the lesson")).input_value() == "视频"
    site.assert_accessible()
