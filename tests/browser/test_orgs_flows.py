"""Organization and member pages in a real browser: import, templates, search, reveal."""

import csv
from datetime import date
from pathlib import Path

import pytest

from dangwu.audit.models import AuditRecord
from dangwu.orgs.models import Member
from tests.browser.helpers import XLSX, is_xlsx, zh, zh_count
from tests.personas import add_member, make_id_number

pytestmark = pytest.mark.browser

HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号码",
    "人员类别",
    "入党日期",
    "转正日期",
    "所在组织编码",
]
BIRTHS = {"导入甲": date(1968, 5, 4), "导入乙": date(1972, 9, 30), "导入丙": date(1980, 1, 15)}


def _row(name: str, serial: int, *, org_code: str = "A0101", id_number: str = "") -> list[str]:
    birth = BIRTHS[name]
    id_number = id_number or make_id_number(birth, serial)
    return [
        name,
        "男",
        f"{birth:%Y-%m-%d}",
        id_number,
        "正式党员",
        "2001-06-28",
        "2002-06-28",
        org_code,
    ]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _wrong_check_digit(birth: date, serial: int) -> str:
    valid = make_id_number(birth, serial)
    return valid[:17] + ("0" if valid[17] != "0" else "1")


def _problem_rows(page) -> list[tuple[str, str]]:
    rows = page.locator("table.problems tbody tr")
    return [
        (
            rows.nth(i).locator("td").nth(0).inner_text(),
            rows.nth(i).locator("td").nth(1).inner_text(),
        )
        for i in range(rows.count())
    ]


def _file_input(page):
    return page.get_by_label(zh("The file")).and_(page.locator("input[type=file]"))


def _upload(site, path: Path) -> None:
    """Choose "members", attach ``path`` and submit the import form."""
    site.page.get_by_role("radio", name=zh("Members"), exact=True).check()
    _file_input(site.page).set_input_files(str(path))
    site.press(zh("Check and import"))


def test_import_lists_each_bad_row_imports_nothing_then_imports_the_corrected_file(site, tmp_path):
    page = site.page
    bad = _write_csv(
        tmp_path / "bad.csv",
        [
            _row("导入甲", 801),
            _row("导入乙", 802, id_number=_wrong_check_digit(BIRTHS["导入乙"], 802)),
            _row("导入丙", 803, org_code="Z9999"),
        ],
    )
    good = _write_csv(
        tmp_path / "good.csv",
        [_row("导入甲", 801), _row("导入乙", 802), _row("导入丙", 803, org_code="A0102")],
    )
    site.sign_in("demo-secretary")
    # Start from the organization choice so that keeping "members" is the form's doing.
    site.go("/orgs/import/?kind=organizations")
    site.assert_accessible()

    # A result page is the answer to a POST: switching care mode reloads the address, so each
    # mode gets its own upload.
    for care in (False, True):
        site.set_care_mode(care)
        _upload(site, bad)
        alert = page.get_by_role("alert").filter(
            has_text=zh("Nothing was imported. Please correct the file and check it again.")
        )
        assert alert.is_visible()
        # The header is row 1: the bad ID is on row 3, the unknown organization code on row 4.
        assert _problem_rows(page) == [("3", "身份证号码"), ("4", "所在组织编码")]
        assert page.get_by_role("radio", name=zh("Members"), exact=True).is_checked()
        assert not page.get_by_role("radio", name=zh("Organizations"), exact=True).is_checked()
        assert site.axe() == [], f"care={care}"
    assert not Member.objects.filter(name__in=BIRTHS).exists()

    _upload(site, good)
    done = page.get_by_role("status").filter(has_text=zh("The import is done."))
    assert zh_count("%(n)s new record added", "%(n)s new records added", 3) in done.inner_text()
    assert Member.objects.filter(name__in=BIRTHS).count() == 3
    assert page.get_by_role("radio", name=zh("Members"), exact=True).is_checked()
    assert site.axe() == []

    site.set_care_mode(False)
    _upload(site, good)
    done = page.get_by_role("status").filter(has_text=zh("The import is done."))
    unchanged = zh_count("%(n)s record already up to date", "%(n)s records already up to date", 3)
    assert unchanged in done.inner_text()
    assert Member.objects.filter(name__in=BIRTHS).count() == 3
    assert site.axe() == []

    site.follow(zh("See the members"))
    for name in BIRTHS:
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    site.assert_accessible()


@pytest.mark.parametrize(
    "link", ["Download the member template", "Download the organization template"]
)
def test_import_template_links_download_excel_workbooks(site, link):
    site.sign_in("demo-secretary")
    site.go("/orgs/import/")
    with site.page.expect_download() as info:
        site.page.get_by_role("link", name=zh(link)).click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert is_xlsx(Path(download.path()).read_bytes())
    href = site.page.get_by_role("link", name=zh(link)).get_attribute("href")
    response = site.page.request.get(site.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == XLSX


def test_member_export_link_downloads_the_visible_members(site):
    site.sign_in("demo-secretary")
    site.go("/orgs/members/")
    with site.page.expect_download() as info:
        site.page.get_by_role("link", name=zh("Export this list to Excel")).click()
    assert is_xlsx(Path(info.value.path()).read_bytes())


def test_member_search_by_name_and_by_id_number_keeps_the_number_out_of_the_url(site, world):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/orgs/members/")
    site.assert_accessible()
    search = page.get_by_label(zh("Name or ID number"))

    search.fill("党员乙")
    site.press(zh("Search"))
    assert "q=" in page.url
    assert page.locator("tbody tr").count() == 1
    assert page.get_by_role("link", name="党员乙", exact=True).is_visible()
    site.assert_accessible()

    colleague = world.members["colleague"]
    page.get_by_label(zh("Name or ID number")).fill(colleague.id_number)
    site.press(zh("Search"))
    assert colleague.id_number not in page.url
    assert "idx=" in page.url
    assert page.locator("tbody tr").count() == 1
    assert page.get_by_role("link", name="党员丙", exact=True).is_visible()
    assert colleague.id_number not in page.content()
    site.assert_accessible()

    # Another organization's member is not found by ID number either.
    page.get_by_label(zh("Name or ID number")).fill(world.members["other"].id_number)
    site.press(zh("Search"))
    assert page.locator("tbody tr").count() == 0
    assert zh_count("%(n)s member found", "%(n)s members found", 0) in page.content()


def test_member_list_is_paginated_beyond_thirty_members(site, world):
    for serial in range(31):
        add_member(
            world.orgs["branch1"],
            f"分页党员{serial:02d}",
            200 + serial,
            birth_date=date(1960, 1 + serial % 12, 1 + serial % 28),
        )
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/orgs/members/")
    found = zh_count("%(n)s member found", "%(n)s members found", 34)
    assert found in page.get_by_role("status").inner_text()
    assert page.locator("tbody tr").count() == 30
    assert page.get_by_role("navigation", name=zh("Pages")).is_visible()
    site.follow(zh("Next page"))
    assert "page=2" in page.url
    assert page.locator("tbody tr").count() == 4
    assert page.get_by_role("link", name=zh("Previous page")).is_visible()
    site.assert_accessible()


def test_secretary_reveals_full_numbers_once_and_the_viewing_is_audited(site, world):
    member = world.members["member"]
    page = site.page
    site.sign_in("demo-secretary")
    site.go(f"/orgs/members/{member.pk}/")
    site.assert_accessible()
    assert member.id_number not in page.content()

    site.press(zh("Show the full ID and phone numbers"))
    for care in (False, True):
        # Care mode switches in place: the numbers shown once stay on this page.
        site.set_care_mode(care)
        body = page.content()
        assert member.id_number in body
        assert member.phone in body
        assert (
            page.get_by_role("status")
            .filter(
                has_text=zh("The full numbers are shown this once; this viewing has been recorded.")
            )
            .is_visible()
        )
        assert site.axe() == [], f"care={care}"
    assert (
        AuditRecord.objects.filter(action="orgs.member_revealed", target_id=str(member.pk)).count()
        == 1
    )
    # Opening the record again shows it masked.
    site.go(f"/orgs/members/{member.pk}/")
    assert member.id_number not in page.content()
    assert site.external_requests == []


def test_leader_sees_a_masked_member_without_a_reveal_button(site, world):
    member = world.members["member"]
    page = site.page
    site.sign_in("demo-leader")
    site.go(f"/orgs/members/{member.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == member.name
    assert member.id_number_masked in page.content()
    assert member.id_number not in page.content()
    reveal = page.get_by_role("button", name=zh("Show the full ID and phone numbers"))
    assert reveal.count() == 0
    site.assert_accessible()

    # Posting to the reveal address directly is refused and reveals nothing.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{site.base_url}/orgs/members/{member.pk}/reveal/",
        headers={"X-CSRFToken": csrf, "Referer": site.base_url + "/"},
    )
    assert response.status in (403, 404)
    assert member.id_number not in response.text()
    assert not AuditRecord.objects.filter(action="orgs.member_revealed").exists()
