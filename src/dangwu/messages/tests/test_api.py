"""The mail and notification API: same services and policy as the pages."""

import base64

import pytest

from dangwu.access import SYSTEM
from dangwu.messages import services
from dangwu.messages.models import Message, MessageFile, MessageRecipient, Notification
from dangwu.messages.tests.conftest import PNG

API = "/api/v1/mail"


@pytest.fixture
def api(client, world):
    """``api("secretary")`` returns a client signed in as that persona, sending JSON."""

    def as_persona(persona: str):
        client.force_login(world.user(persona))
        return client

    return as_persona


def _post(client, path: str, data: dict | None = None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def _png_in(name: str = "合影.png") -> dict:
    return {"name": name, "content_base64": base64.b64encode(PNG).decode()}


def test_a_message_with_a_file_is_sent_read_and_its_readers_listed(api, world):
    client = api("secretary")
    sent = _post(
        client,
        "/messages",
        {
            "subject": "报送材料",
            "body": "请查收。",
            "organizations": [world.orgs["org2"].pk],
            "attachments": [_png_in()],
        },
    )
    assert sent.status_code == 201
    body = sent.json()
    assert body["recipient_count"] == 1
    assert body["attachments"][0]["name"] == "合影.png"
    message_id = body["id"]

    reader = api("other_secretary")
    inbox = reader.get(f"{API}/inbox?unread=true").json()
    assert [m["id"] for m in inbox["items"]] == [message_id]
    assert _post(reader, f"/messages/{message_id}/read").json()["read_at"] is not None
    assert reader.get(body["attachments"][0]["url"]).status_code == 200

    sender = api("secretary")
    readers = sender.get(f"{API}/messages/{message_id}/readers").json()["items"]
    assert readers[0]["recipient"]["name"] == "other_secretary"
    assert readers[0]["read_at"] is not None
    listed = sender.get(f"{API}/sent").json()["items"][0]
    assert (listed["read_count"], listed["recipient_count"]) == (1, 1)


def test_a_recipient_does_not_get_the_list_of_readers(api, world):
    message = services.message_send(
        actor=world.user("secretary"), subject="s", body="", people=[world.user("leader")]
    )

    response = api("leader").get(f"{API}/messages/{message.pk}/readers")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"people": [10**9]}, "people"),
        ({"organizations": [10**9]}, "organizations"),
        ({"attachments": [{"name": "a.png", "content_base64": "%%%"}]}, "attachments"),
        ({"subject": "秘密★ 某事"}, "body"),
    ],
)
def test_bad_input_is_refused_with_400_and_nothing_is_saved(api, world, payload, field):
    data = {"subject": "通知", "people": [world.user("leader").pk], **payload}

    response = _post(api("secretary"), "/messages", data)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert (Message.objects.count(), MessageFile.objects.count()) == (0, 0)


def test_a_member_writing_to_a_role_is_refused_with_403(api):
    response = _post(api("member"), "/messages", {"subject": "全体", "roles": ["secretary"]})

    assert response.status_code == 403
    assert Message.objects.count() == 0


def test_an_unknown_role_code_does_not_match_the_schema(api):
    response = _post(api("leader"), "/messages", {"subject": "x", "roles": ["x" * 30] * 20})

    assert response.status_code == 422


def test_reply_and_forward_through_the_api(api, world):
    message = services.message_send(
        actor=world.user("secretary"),
        subject="会议",
        body="周五开会",
        people=[world.user("leader")],
        uploads=[],
    )
    client = api("leader")

    replied = _post(client, f"/messages/{message.pk}/reply", {"body": "收到"})
    forwarded = _post(
        client,
        f"/messages/{message.pk}/forward",
        {"people": [world.user("other_secretary").pk], "note": "请参加"},
    )

    assert replied.status_code == 201
    assert replied.json()["reply_to_id"] == message.pk
    assert forwarded.status_code == 201
    assert forwarded.json()["forwarded_from_id"] == message.pk
    assert MessageRecipient.objects.filter(recipient=world.user("other_secretary")).exists()


def test_notifications_are_listed_and_marked_read(api, world):
    services.notify(
        actor=SYSTEM, recipients=[world.user("member")], kind="documents.x", title="请签收"
    )
    client = api("member")

    listed = client.get(f"{API}/notifications?unread=true").json()
    assert [n["title"] for n in listed["items"]] == ["请签收"]
    notification_id = listed["items"][0]["id"]

    marked = _post(client, f"/notifications/{notification_id}/read")
    assert marked.status_code == 200
    assert marked.json()["read_at"] is not None
    assert _post(client, "/notifications/read-all").json() == {"marked": 0}


def test_another_persons_notification_is_answered_as_missing(api, world):
    services.notify(
        actor=SYSTEM, recipients=[world.user("member")], kind="documents.x", title="请签收"
    )
    notification = Notification.objects.get()

    response = _post(api("secretary"), f"/notifications/{notification.pk}/read")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_e_mail_preference_is_read_and_changed(api):
    client = api("member")
    assert client.get(f"{API}/preferences").json() == {"delivery": "each"}

    changed = client.put(f"{API}/preferences", {"delivery": "digest"}, "application/json")
    refused = client.put(f"{API}/preferences", {"delivery": "hourly"}, "application/json")

    assert changed.json() == {"delivery": "digest"}
    assert refused.status_code == 422
    assert client.get(f"{API}/preferences").json() == {"delivery": "digest"}


def test_administrators_have_no_mailbox_in_the_api_either(api):
    client = api("secadmin")

    assert client.get(f"{API}/inbox").status_code == 403
    assert _post(client, "/messages", {"subject": "x", "roles": []}).status_code == 403
