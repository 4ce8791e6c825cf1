"""The mail pages and the notification centre, as the personas use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dangwu.access import SYSTEM, Role
from dangwu.messages import services
from dangwu.messages.enums import EmailDelivery
from dangwu.messages.models import Message, MessageRecipient, Notification
from dangwu.messages.selectors import delivery_of
from dangwu.messages.tests.conftest import PNG


def zh(msgid: str, **values) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % values if values else text


def _text(response) -> str:
    return response.content.decode()


def _send(world, sender="secretary", to=("leader",), **extra) -> Message:
    return services.message_send(
        actor=world.user(sender),
        subject=extra.pop("subject", "会议通知"),
        body=extra.pop("body", "周五下午开会。"),
        people=[world.user(p) for p in to],
        **extra,
    )


# ----------------------------------------------------------------------------- mail


def test_a_secretary_writes_to_an_organization_with_an_attachment(client_for, world):
    client = client_for("secretary")
    response = client.post(
        "/mail/new/",
        {
            "organizations": [world.orgs["org2"].pk],
            "subject": "报送材料",
            "body": "请查收附件。",
            "attachments": [SimpleUploadedFile("材料清单.png", PNG, "image/png")],
        },
    )

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mail/{message.pk}/"
    assert message.files.get().original_name == "材料清单.png"
    assert list(message.deliveries.values_list("recipient__username", flat=True)) == [
        "demo-other-secretary"
    ]


def test_the_compose_page_keeps_what_was_typed_when_it_refuses(client_for, world):
    response = client_for("secretary").post(
        "/mail/new/", {"subject": "没有收件人的信", "body": "这段话要留着。"}
    )

    assert response.status_code == 400
    assert "这段话要留着。" in _text(response)
    assert "没有收件人的信" in _text(response)
    assert zh("Choose at least one person, organization or role.") in _text(response)
    assert Message.objects.count() == 0


def test_a_lying_attachment_is_shown_next_to_the_file_field(client_for, world):
    response = client_for("secretary").post(
        "/mail/new/",
        {
            "people": [world.user("leader").pk],
            "subject": "附件",
            "attachments": [SimpleUploadedFile("通知.pdf", PNG, "application/pdf")],
        },
    )

    assert response.status_code == 400
    assert "通知.pdf" in _text(response)
    assert Message.objects.count() == 0


def test_only_leaders_clerks_and_secretaries_are_offered_roles_to_write_to(client_for):
    assert 'name="roles"' in _text(client_for("secretary").get("/mail/new/"))
    assert 'name="roles"' not in _text(client_for("member").get("/mail/new/"))


def test_opening_a_message_marks_it_read_and_the_sender_sees_it(client, world):
    message = _send(world, to=("leader", "other_secretary"))
    client.force_login(world.user("leader"))
    inbox = _text(client.get("/mail/"))
    assert zh("Unread") in inbox

    page = client.get(f"/mail/{message.pk}/")

    assert page.status_code == 200
    assert "周五下午开会。" in _text(page)
    assert MessageRecipient.objects.get(recipient=world.user("leader")).read_at is not None
    client.force_login(world.user("secretary"))
    sender_view = _text(client.get(f"/mail/{message.pk}/"))
    assert zh("Read by %(read)s of %(total)s", read=1, total=2) in sender_view
    assert zh("Not read yet") in sender_view


def test_recipients_do_not_see_who_else_read_the_message(client_for, world):
    message = _send(world, to=("leader", "other_secretary"))

    page = _text(client_for("leader").get(f"/mail/{message.pk}/"))

    assert zh("Who has read it") not in page


def test_someone_elses_message_and_its_file_are_answered_as_missing(client_for, world):
    message = _send(world, uploads=[SimpleUploadedFile("图.png", PNG, "image/png")])
    key = message.files.get().uuid
    client = client_for("other_secretary")

    assert client.get(f"/mail/{message.pk}/").status_code == 404
    assert client.get(f"/mail/files/{key}/").status_code == 404
    assert client.get(f"/mail/{message.pk}/reply/").status_code == 404
    assert MessageRecipient.objects.get().read_at is None


def test_an_attachment_downloads_under_its_chinese_name(client_for, world):
    message = _send(world, uploads=[SimpleUploadedFile("材料 清单.png", PNG, "image/png")])

    response = client_for("leader").get(f"/mail/files/{message.files.get().uuid}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "%E6%9D%90%E6%96%99" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG


def test_reply_and_forward_from_the_pages(client_for, world):
    message = _send(world, uploads=[SimpleUploadedFile("图.png", PNG, "image/png")])
    client = client_for("leader")

    replied = client.post(f"/mail/{message.pk}/reply/", {"body": "收到，按时参加。"})
    forwarded = client.post(
        f"/mail/{message.pk}/forward/",
        {"organizations": [world.orgs["org2"].pk], "body": "请一并参加。"},
    )

    assert replied.status_code == 302
    assert forwarded.status_code == 302
    answer, passed_on = Message.objects.exclude(pk=message.pk).order_by("id")
    assert answer.deliveries.get().recipient == world.user("secretary")
    assert passed_on.files.get() == message.files.get()


def test_the_three_administrators_have_no_mailbox(client_for):
    client = client_for("auditor")

    assert client.get("/mail/").status_code == 403
    assert client.get("/mail/new/").status_code == 403
    assert 'href="/mail/"' not in _text(client.get("/mail/notifications/"))


@pytest.mark.parametrize("count", [2, 40])
def test_the_inbox_and_sent_pages_take_a_fixed_number_of_queries(
    client_for, world, count, django_assert_max_num_queries
):
    for i in range(count):
        _send(world, to=("leader", "other_secretary", "member"), subject=f"第{i}封")
    client = client_for("secretary")
    with django_assert_max_num_queries(12):
        assert client.get("/mail/sent/").status_code == 200
    client = client_for("leader")
    with django_assert_max_num_queries(12):
        assert client.get("/mail/").status_code == 200


def test_the_senders_page_of_a_message_to_many_takes_a_fixed_number_of_queries(
    client_for, world, make_people, django_assert_max_num_queries
):
    people = make_people(150, Role.SECRETARY, "branch3")
    message = services.message_send(
        actor=world.user("leader"),
        subject="大范围通知",
        body="",
        organizations=[world.orgs["branch3"]],
    )
    assert message.recipient_count == len(people)
    client = client_for("leader")

    with django_assert_max_num_queries(14):
        assert client.get(f"/mail/{message.pk}/").status_code == 200


# ----------------------------------------------------------------------------- notifications


def _notify(world, persona="member", **extra):
    values = {"kind": "documents.distributed", "title": "请签收新公文", "url": "/mail/"}
    return services.notify(actor=SYSTEM, recipients=[world.user(persona)], **{**values, **extra})


def test_notifications_show_on_my_to_do_list_until_opened(client_for, world):
    _notify(world)
    client = client_for("member")
    notification = Notification.objects.get()

    assert "请签收新公文" in _text(client.get("/"))

    opened = client.get(f"/mail/notifications/{notification.pk}/")

    assert opened.status_code == 302
    assert opened["Location"] == "/mail/"
    assert "请签收新公文" not in _text(client.get("/"))


def test_the_notification_centre_lists_unread_first_and_marks_all_read(client_for, world):
    _notify(world, title="第一条")
    _notify(world, title="第二条")
    client = client_for("member")

    page = _text(client.get("/mail/notifications/"))
    assert page.index("第二条") < page.index("第一条")

    client.post("/mail/notifications/read-all/")

    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_one_notification_is_marked_read_with_its_button(client_for, world):
    _notify(world)
    notification = Notification.objects.get()

    response = client_for("member").post(f"/mail/notifications/{notification.pk}/read/")

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_answered_as_missing(client_for, world):
    _notify(world)
    notification = Notification.objects.get()
    client = client_for("secretary")

    assert client.get(f"/mail/notifications/{notification.pk}/").status_code == 404
    assert client.post(f"/mail/notifications/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_person_chooses_the_daily_digest(client_for, world):
    client = client_for("member")

    response = client.post("/mail/notifications/email/", {"delivery": EmailDelivery.DIGEST})

    assert response.status_code == 302
    assert delivery_of(world.user("member")) == EmailDelivery.DIGEST


@pytest.mark.parametrize("count", [3, 30])
def test_the_notification_centre_takes_a_fixed_number_of_queries(
    client_for, world, count, django_assert_max_num_queries
):
    for i in range(count):
        _notify(world, title=f"通知{i}")
    client = client_for("member")

    with django_assert_max_num_queries(12):
        assert client.get("/mail/notifications/").status_code == 200


def test_my_to_do_list_shows_the_newest_unread_notifications_and_counts_the_rest(world):
    from dangwu.messages.hooks import TODO_NOTIFICATIONS, todos

    for i in range(TODO_NOTIFICATIONS + 3):
        _notify(world, title=f"通知{i}")
    _send(world, to=("member",))

    items = todos(world.user("member"))

    titles = [item.title for item in items]
    assert titles[:TODO_NOTIFICATIONS] == [f"通知{i}" for i in range(7, 2, -1)]
    with translation.override("zh-hans"):
        more = translation.ngettext(
            "%(n)d more unread notification", "%(n)d more unread notifications", 3
        )
    assert titles[TODO_NOTIFICATIONS] == more % {"n": 3}
    assert titles[-1] == zh("Unread mail (%(n)d)", n=1)


def test_an_administrator_has_notifications_but_no_mail_on_the_to_do_list(world):
    from dangwu.messages.hooks import todos

    _notify(world, "auditor", title="审计提醒")

    assert [item.title for item in todos(world.user("auditor"))] == ["审计提醒"]
