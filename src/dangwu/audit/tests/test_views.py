import io
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from dangwu.access import SYSTEM
from dangwu.audit import services
from dangwu.audit.exports import DATETIME_FORMAT, audit_headers
from dangwu.audit.labels import action_label, details_text
from dangwu.audit.models import AuditRecord
from dangwu.audit.services import audit_record

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST = reverse("audit:list")
EXPORT = reverse("audit:export")


def record_at(monkeypatch, when: datetime, **kwargs) -> AuditRecord:
    """Append a record as if written at ``when`` (records cannot be changed afterwards)."""
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: when))
    try:
        return audit_record(**kwargs)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("persona", ["leader", "sysadmin", "secadmin", "secretary", "member"])
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_only_the_auditor_may_open_the_audit_log(client_for, world, persona, url):
    response = client_for(persona).get(url)

    assert response.status_code == 403
    denial = AuditRecord.objects.filter(action="access.denied").first()
    assert denial.actor_name == world.user(persona).username
    assert denial.details == {"permission": "audit.view"}
    assert not denial.success
    assert not AuditRecord.objects.filter(action="audit.exported").exists()


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_auditor_sees_records_with_readable_actions(client_for, world):
    audit_record(
        actor=world.user("secretary"),
        action="orgs.member_revealed",
        target=world.members["member"],
        details={"reason": "核对档案"},
    )

    response = client_for("auditor").get(LIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert str(action_label("orgs.member_revealed")) in body
    assert "党员乙" in body
    assert details_text({"reason": "核对档案"}) in body
    assert "demo-secretary" in body


def test_unknown_action_is_shown_by_its_name(client_for, world):
    audit_record(actor=SYSTEM, action="future.something_done")

    response = client_for("auditor").get(LIST)

    assert "future.something_done" in response.content.decode()


def test_filter_by_user_action_object_and_result(client_for, world):
    secretary, leader = world.user("secretary"), world.user("leader")
    audit_record(actor=secretary, action="orgs.member_revealed", target=world.members["member"])
    audit_record(actor=secretary, action="orgs.member_updated", target=world.members["colleague"])
    audit_record(actor=leader, action="orgs.member_revealed", target=world.members["other"])
    audit_record(actor=None, actor_name="intruder", action="accounts.sign_in_failed", success=False)
    client = client_for("auditor")

    def shown(**query) -> list[tuple[str, str, str]]:
        page = client.get(LIST, query).context["page"]
        return [(r.actor_name, r.action, r.target_repr) for r in page.object_list]

    assert shown(user="secretary", action="orgs.member_revealed") == [
        ("demo-secretary", "orgs.member_revealed", "党员乙")
    ]
    assert shown(target="党员丁", user="leader") == [
        ("demo-leader", "orgs.member_revealed", "党员丁")
    ]
    assert shown(target=str(world.members["colleague"].pk), action="orgs.member_updated") == [
        ("demo-secretary", "orgs.member_updated", "党员丙")
    ]
    assert shown(result="failure") == [("intruder", "accounts.sign_in_failed", "")]
    assert ("intruder", "accounts.sign_in_failed", "") not in shown(result="success")


def test_date_range_is_in_shanghai_days(client_for, world, monkeypatch):
    late_on_first = datetime(2026, 3, 1, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC on 1 March
    early_on_second = datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI)  # 16:30 UTC on 1 March
    record_at(monkeypatch, late_on_first, actor=SYSTEM, action="test.late_first")
    record_at(monkeypatch, early_on_second, actor=SYSTEM, action="test.early_second")
    client = client_for("auditor")

    def actions(**query) -> list[str]:
        return [r.action for r in client.get(LIST, query).context["page"].object_list]

    assert actions(date_from="2026-03-01", date_to="2026-03-01") == ["test.late_first"]
    assert actions(date_from="2026-03-02", date_to="2026-03-02") == ["test.early_second"]
    assert "test.late_first" not in actions(date_from="2026-03-02")
    assert "test.early_second" not in actions(date_to="2026-03-01")


def test_end_date_before_start_date_is_explained_and_lists_nothing(client_for, world):
    response = client_for("auditor").get(LIST, {"date_from": "2026-03-02", "date_to": "2026-03-01"})

    assert response.status_code == 200
    with translation.override("zh-hans"):
        assert gettext("The end date is before the start date.") in response.content.decode()
    assert list(response.context["page"].object_list) == []
    assert response.context["form"]["date_from"].value() == "2026-03-02"


def test_list_is_paginated(client_for, world):
    for n in range(60):
        audit_record(actor=SYSTEM, action="orgs.member_updated", details={"n": n})
    client = client_for("auditor")

    first = client.get(LIST, {"action": "orgs.member_updated"}).context["page"]
    second = client.get(LIST, {"action": "orgs.member_updated", "page": 2}).context["page"]

    assert first.paginator.count == 60
    assert [r.details["n"] for r in first.object_list] == list(range(59, 9, -1))  # newest first
    assert [r.details["n"] for r in second.object_list] == list(range(9, -1, -1))


@pytest.mark.parametrize("rows", [5, 120])
def test_list_query_count_does_not_grow_with_rows(
    client_for, world, rows, django_assert_num_queries
):
    for n in range(rows):
        audit_record(actor=world.user("secretary"), action="test.load", details={"n": n})
    client = client_for("auditor")
    client.get(LIST)  # warm the session

    # session, user, grants, count, page, session save (in a savepoint: 3 statements)
    with django_assert_num_queries(8):
        response = client.get(LIST, {"user": "secretary"})
    assert response.status_code == 200


def test_export_has_chinese_headers_filtered_rows_and_real_datetimes(
    client_for, world, monkeypatch
):
    when = datetime(2026, 3, 1, 23, 30, 5, tzinfo=SHANGHAI)
    record_at(
        monkeypatch,
        when,
        actor=world.user("secretary"),
        action="orgs.member_revealed",
        target=world.members["member"],
        details={"reason": "核对"},
    )
    record_at(monkeypatch, when, actor=world.user("leader"), action="orgs.member_revealed")
    client = client_for("auditor")

    response = client.get(EXPORT, {"user": "secretary", "date_from": "2026-03-01"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        assert list(rows[0]) == audit_headers()
        label = action_label("orgs.member_revealed")
        succeeded = gettext("Succeeded")
    assert rows[1:] == [
        (
            datetime(2026, 3, 1, 23, 30, 5),
            "demo-secretary",
            label,
            "orgs.member_revealed",
            "党员乙",
            None,  # no request, so no address; an empty cell reads back as None
            succeeded,
            details_text({"reason": "核对"}),
        )
    ]
    assert sheet["A2"].number_format == DATETIME_FORMAT


def test_export_is_itself_audited_with_its_filters(client_for, world):
    client_for("auditor").get(EXPORT, {"action": "accounts.role_granted", "result": "success"})

    exported = AuditRecord.objects.get(action="audit.exported")
    assert exported.actor_name == "demo-auditor"
    assert exported.details == {
        "filters": {"action": "accounts.role_granted", "result": "success"},
        "rows": AuditRecord.objects.filter(action="accounts.role_granted").count(),
    }


def test_export_with_bad_filters_writes_nothing(client_for, world):
    response = client_for("auditor").get(EXPORT, {"date_from": "not a date"})

    assert response.status_code == 400
    assert not AuditRecord.objects.filter(action="audit.exported").exists()


def test_export_of_too_many_records_is_refused_and_writes_nothing(client_for, world, monkeypatch):
    monkeypatch.setattr(services, "EXPORT_MAX_ROWS", 1)
    for n in range(2):
        audit_record(actor=SYSTEM, action="test.load", details={"n": n})

    with translation.override("zh-hans"):
        response = client_for("auditor").get(EXPORT)
        message = gettext("More than %(limit)d records match: narrow the filters, e.g. by date.")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message % {"limit": 1} in response.content.decode()
    assert not AuditRecord.objects.filter(action="audit.exported").exists()


def test_export_query_count_does_not_grow_with_rows(
    client_for, world, django_assert_max_num_queries
):
    for n in range(150):
        audit_record(actor=SYSTEM, action="test.load", details={"n": n})
    client = client_for("auditor")
    client.get(LIST)

    with django_assert_max_num_queries(16):
        response = client.get(EXPORT)
    assert response.status_code == 200


def test_auditor_menu_links_to_the_audit_log(client_for, world):
    assert LIST in client_for("auditor").get("/").content.decode()


def test_other_roles_get_no_audit_menu_entry(client_for, world):
    assert LIST not in client_for("leader").get("/").content.decode()


def test_date_filter_uses_calendar_days():
    from dangwu.audit.selectors import AuditFilters

    filters = AuditFilters(date_from=date(2026, 1, 1), success=False)
    assert filters.as_details() == {"from": "2026-01-01", "result": "failure"}


def test_export_link_carries_the_filters_but_not_the_page(client_for, world):
    body = client_for("auditor").get(LIST, {"user": "secretary", "page": 2}).content.decode()

    assert f'href="{EXPORT}?user=secretary"' in body


def test_details_are_shown_with_readable_keys_and_role_names():
    with translation.override("zh-hans"):
        text = details_text({"role": "auditor", "organization": "GW", "enabled": True})
    assert text == "开启：是；党组织：GW；角色：审计管理员"
