"""The API: same services, same refusals, documented codes."""

import base64

from dangwu.portal.tests.files import png, rich_docx
from dangwu.submissions.enums import SubmissionStatus
from dangwu.submissions.models import Submission
from dangwu.submissions.tests.factories import submitted

BASE = "/api/v1/submissions"


def test_a_secretary_creates_from_word_sends_and_follows_it(world, api_for):
    api = api_for("secretary")
    created = api.post(
        BASE,
        {
            "organization": world.orgs["org1"].pk,
            "kind": "news",
            "word": {"name": "通知.docx", "content_base64": base64.b64encode(rich_docx()).decode()},
        },
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    assert created.json()["title"] == "关于开展主题党日活动的通知"

    sent = api.post(f"{BASE}/{item_id}/submit")
    mine = api.get(f"{BASE}/mine")

    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert [row["id"] for row in mine.json()["items"]] == [item_id]


def test_submitting_for_another_organization_is_403_and_nothing_saved(world, api_for):
    response = api_for("secretary").post(
        BASE, {"organization": world.orgs["org2"].pk, "kind": "news", "title": "冒名", "body": "x"}
    )

    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_a_fake_docx_is_400_and_a_bad_schema_422(world, api_for):
    api = api_for("secretary")
    fake = api.post(
        BASE,
        {
            "organization": world.orgs["org1"].pk,
            "kind": "news",
            "word": {"name": "稿件.docx", "content_base64": base64.b64encode(png()).decode()},
        },
    )
    bad = api.post(BASE, {"organization": world.orgs["org1"].pk, "kind": "poem"})

    assert fake.status_code == 400
    assert bad.status_code == 422
    assert Submission.objects.count() == 0


def test_the_editor_adopts_once_returns_and_declines(world, api_for, columns):
    api = api_for("editor")
    first, second, third = (submitted(world, title=f"稿件{n}") for n in range(3))

    inbox = api.get(f"{BASE}/inbox", status="submitted")
    adopted = api.post(f"{BASE}/{first.pk}/adopt", {"column": columns["news"].pk})
    twice = api.post(f"{BASE}/{first.pk}/adopt", {"column": columns["news"].pk})
    returned = api.post(f"{BASE}/{second.pk}/return", {"comment": "请补充照片。"})
    declined = api.post(f"{BASE}/{third.pk}/decline", {"reason": "同类内容已刊发。"})

    assert inbox.json()["count"] == 3
    assert adopted.status_code == 200 and adopted.json()["submission"]["status"] == "adopted"
    assert twice.status_code == 400
    assert returned.json()["status"] == SubmissionStatus.RETURNED
    assert declined.json()["comment"] == "同类内容已刊发。"


def test_only_editors_read_the_inbox_and_the_ranking_is_scoped(world, api_for, columns):
    submitted(world)

    assert api_for("secretary").get(f"{BASE}/inbox").status_code == 403
    rows = api_for("secretary").get(f"{BASE}/ranking").json()["rows"]
    assert {r["organization_name"] for r in rows} == {
        "第一机关党委",
        "第一机关党委第一支部",
        "第一机关党委第二支部",
    }
    assert api_for("member").get(f"{BASE}/ranking").status_code == 403
