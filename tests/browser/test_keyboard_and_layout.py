"""Keyboard use, visible focus, target sizes and phone width, in normal and care mode."""

import pytest

from tests.browser.helpers import zh
from tests.personas import PASSWORD

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return {tag: e.tagName, id: e.id, text: (e.innerText || '').trim(),
            outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""

# Everything a person clicks or types into, except radios and checkboxes (their label is the
# target) and the native file picker.
TARGETS = (
    "button, .button, a.brand, .main-nav a, select, textarea,"
    " input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file])"
)
MAIN_BUTTONS = "main button.primary, main .button.primary, .bar-actions .button"


def _focused(page) -> dict:
    focused = page.evaluate(FOCUSED)
    # A keyboard user must see where they are: a real outline, not the browser's default none.
    assert focused["outline"] != "none", focused
    assert focused["width"] >= 2, focused
    return focused


def test_sign_in_works_with_the_keyboard_alone_and_focus_is_always_visible(site):
    page = site.page
    site.go("/accounts/login/")
    assert page.evaluate("document.activeElement.id") == "id_username"

    skip = page.get_by_role("link", name=zh("Skip to the main content"))
    skip.focus()
    assert _focused(page)["text"] == zh("Skip to the main content")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "id_username"
    page.keyboard.type("demo-secretary")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert (focused["tag"], focused["text"]) == ("BUTTON", zh("Sign in"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text().startswith("您好")


def test_on_a_signed_in_page_the_first_tab_reaches_the_skip_link(site):
    page = site.page
    site.sign_in("demo-secretary")
    for care in (False, True):
        site.set_care_mode(care)
        site.go("/orgs/members/")
        page.keyboard.press("Tab")
        assert _focused(page)["text"] == zh("Skip to the main content")
        page.keyboard.press("Tab")
        assert _focused(page)["text"] == zh("Dangwu e-Party affairs")


def _boxes(page, selector: str) -> list[tuple[str, float, float]]:
    boxes = []
    for element in page.locator(selector).all():
        if element.is_visible():
            box = element.bounding_box()
            label = element.inner_text() or element.get_attribute("name") or ""
            boxes.append((label.strip(), box["width"], box["height"]))
    assert boxes, selector
    return boxes


@pytest.mark.parametrize("path", ["/accounts/login/", "member", "/orgs/members/", "/orgs/import/"])
def test_targets_are_44px_and_main_buttons_60px_high_in_care_mode(site, world, path):
    page = site.page
    if path == "/accounts/login/":
        site.go(path)
    else:
        site.sign_in("demo-secretary")
        site.go(f"/orgs/members/{world.members['member'].pk}/" if path == "member" else path)
    site.set_care_mode(False)
    small = [b for b in _boxes(page, TARGETS) if b[1] < 44 or b[2] < 44]
    assert small == []
    site.set_care_mode(True)
    small = [b for b in _boxes(page, TARGETS) if b[1] < 44 or b[2] < 44]
    assert small == []
    low = [b for b in _boxes(page, MAIN_BUTTONS) if b[2] < 60]
    assert low == []


def _assert_no_sideways_scrolling(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url}: page is {width[0]}px wide in a {width[1]}px window"


@pytest.mark.parametrize("care", [False, True])
def test_member_pages_fit_a_phone_screen_without_sideways_scrolling(site, world, care):
    page = site.page
    page.set_viewport_size({"width": 375, "height": 812})
    site.sign_in("demo-secretary")
    site.set_care_mode(care)
    paths = [
        "/",
        "/orgs/",
        "/orgs/members/",
        f"/orgs/members/{world.members['member'].pk}/",
        "/orgs/import/",
        "/accounts/profile/",
    ]
    for path in paths:
        site.go(path)
        _assert_no_sideways_scrolling(page)
        assert site.axe() == [], path
    # The table may be wider than the phone: it scrolls inside its own box, not the page.
    site.go("/orgs/members/")
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert wrap.evaluate("e => e.clientWidth") <= 375
