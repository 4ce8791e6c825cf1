"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited.

Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in
such a thread unless told it is safe, which it is here (one test thread, a separate server).
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.personas import PASSWORD, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str:
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is missing: install Debian's chromium package (.ci/run does).")
    return ""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": _chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def world(transactional_db):
    return build_world()


class Site:
    """The live server plus helpers a browser test needs: sign in, run axe, follow links."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.external_requests: list[str] = []
        # A missing element fails in seconds, not after Playwright's default 30 s.
        page.set_default_timeout(10_000)
        page.on("request", self._watch_request)

    def _watch_request(self, request) -> None:
        if not request.url.startswith((self.base_url, "data:", "blob:")):
            self.external_requests.append(request.url)

    def go(self, path: str):
        response = self.page.goto(self.base_url + path)
        return response

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.go("/accounts/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="登录").click()

    def press(self, name: str) -> None:
        """Click the button called ``name`` (exactly) and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, exact=True).click()

    def follow(self, name: str) -> None:
        """Click the link called ``name`` (exactly) and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=True).click()

    def set_care_mode(self, enabled: bool) -> None:
        html_class = self.page.locator("html").get_attribute("class") or ""
        if ("care" in html_class.split()) != enabled:
            # The switch works in place (care.js): wait for the page to change, not to reload.
            self.page.locator("#care-mode-form button").click()
            self.page.wait_for_function(
                "wanted => document.documentElement.classList.contains('care') === wanted",
                arg=enabled,
            )

    def axe(self) -> list[dict]:
        """Run axe-core (WCAG 2.1 A/AA) on the current page and return its violations."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]

    def assert_accessible(self) -> None:
        """Assert zero axe violations in normal and in care mode, returning to the first mode."""
        html_class = self.page.locator("html").get_attribute("class") or ""
        start_in_care = "care" in html_class.split()
        for mode in (start_in_care, not start_in_care):
            self.set_care_mode(mode)
            violations = self.axe()
            assert violations == [], f"{self.page.url} (care={mode}): {violations}"
        self.set_care_mode(start_in_care)
        assert self.external_requests == [], self.external_requests


@pytest.fixture
def site(page, live_server, world):
    return Site(page, live_server.url)
