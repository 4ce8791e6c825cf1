"""Incoming documents through the API: the same steps, refusals and visibility as the pages."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from dangwu.core.classification import classification_problem
from dangwu.incoming.enums import IncomingStatus
from dangwu.incoming.models import IncomingDocument, IncomingFile
from dangwu.incoming.tests.factories import incoming, second_leader
from dangwu.portal.tests.files import pdf

pytestmark = pytest.mark.django_db
API = "/api/v1/incoming/documents"


def _post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def _registration(**values) -> dict:
    today = timezone.localdate()
    return {
        "source": "市委组织部",
        "title": "关于做好党员发展工作的通知",
        "document_date": (today - timedelta(days=1)).isoformat(),
        "received_on": today.isoformat(),
        "file": {"name": "扫描件.pdf", "content_base64": base64.b64encode(pdf("通知")).decode()},
        **values,
    }


def test_the_whole_handling_runs_through_the_api(client_for, world):
    clerk = client_for("clerk")
    created = _post(clerk, API, _registration())
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["files"][0]["name"] == "扫描件.pdf"
    leader = world.user("leader")
    assert (
        _post(
            clerk, f"{API}/{pk}/propose", {"proposal": "拟请阅示", "leader": leader.pk}
        ).status_code
        == 200
    )
    assert (
        _post(client_for("leader"), f"{API}/{pk}/instruct", {"instruction": "同意"}).status_code
        == 200
    )
    clerk = client_for("clerk")
    answer = _post(
        clerk,
        f"{API}/{pk}/assign",
        {
            "people": [world.user("member").pk],
            "departments": [world.orgs["org1"].pk],
            "lead_department": world.orgs["org1"].pk,
        },
    )
    assert answer.status_code == 200, answer.content
    assert {a["is_lead"] for a in answer.json()["assignments"]} == {True, False}
    done = _post(clerk, f"{API}/{pk}/complete", {"result": "已落实"})
    assert done.status_code == 200 and done.json()["status"] == IncomingStatus.COMPLETED
    steps = [t["step"] for t in done.json()["trail"]]
    assert steps[0] == "registered" and steps[-1] == "completed"


def test_a_classified_registration_is_refused_with_400_and_nothing_saved(client_for):
    answer = _post(client_for("clerk"), API, _registration(classification="绝密"))
    assert answer.status_code == 400
    assert answer.json()["detail"] == classification_problem(declared_level="绝密")
    assert IncomingDocument.objects.count() == 0 and IncomingFile.objects.count() == 0


def test_a_file_that_is_not_base64_is_refused(client_for):
    bad = {"name": "扫描件.pdf", "content_base64": "不是base64"}
    answer = _post(client_for("clerk"), API, _registration(file=bad))
    assert answer.status_code == 400
    assert IncomingDocument.objects.count() == 0


def test_circulation_and_reading_through_the_api(client_for, world):
    document = incoming(world, "instructed")
    reader = second_leader(world)
    answer = _post(client_for("clerk"), f"{API}/{document.pk}/circulate", {"readers": [reader.pk]})
    assert answer.status_code == 200
    assert answer.json()["circulations"][0]["read_at"] is None
    client = client_for("leader")
    assert _post(client, f"{API}/{document.pk}/read", {}).status_code == 403
    client.force_login(reader)
    read = _post(client, f"{API}/{document.pk}/read", {"comment": "已阅"})
    assert read.status_code == 200 and read.json()["circulations"][0]["comment"] == "已阅"


def test_others_get_404_and_an_empty_answer_never_lists_hidden_documents(client_for, world):
    document = incoming(world, "instructed")
    client = client_for("other_secretary")
    assert client.get(f"{API}/{document.pk}").status_code == 404
    assert client.get(API).status_code == 404
    listed = client_for("leader").get(API)
    assert [d["id"] for d in listed.json()["items"]] == [document.pk]


def test_unknown_people_are_refused_with_400_and_nothing_changes(client_for, world):
    document = incoming(world, "instructed")
    clerk = client_for("clerk")
    answer = _post(clerk, f"{API}/{document.pk}/assign", {"people": [999999]})
    assert answer.status_code == 400 and document.assignments.count() == 0
    unknown_reader = _post(clerk, f"{API}/{document.pk}/circulate", {"readers": [999999]})
    assert unknown_reader.status_code == 400 and document.circulations.count() == 0
    registered = incoming(world)
    proposal = _post(
        clerk, f"{API}/{registered.pk}/propose", {"proposal": "拟办", "leader": 999999}
    )
    assert proposal.status_code == 400
    registered.refresh_from_db()
    assert registered.status == IncomingStatus.REGISTERED
