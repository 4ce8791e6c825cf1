"""Internal mail: who receives what, who may write to whom, refusals that leave nothing behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangwu import access
from dangwu.access import Role
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import Forbidden, NotFound, ValidationFailed
from dangwu.messages import selectors, services
from dangwu.messages.models import Message, MessageFile, MessageRecipient
from dangwu.messages.tests.conftest import PNG


def _png(name: str = "合影.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, "image/png")


def _send(world, sender: str = "secretary", **extra) -> Message:
    values = {"subject": "关于报送材料的通知", "body": "请各单位周五前报送。"}
    return services.message_send(actor=world.user(sender), **{**values, **extra})


def _counts() -> tuple[int, int, int]:
    return Message.objects.count(), MessageRecipient.objects.count(), MessageFile.objects.count()


def _recipients(message: Message) -> set[str]:
    return {d.recipient.username for d in message.deliveries.select_related("recipient")}


def test_a_message_to_an_organization_reaches_its_secretary_and_clerks(world, make_people):
    clerk = make_people(1, Role.ORG_CLERK, "org2", prefix="clerk")[0]
    make_people(1, Role.MEMBER, "org2", prefix="member")

    message = _send(world, organizations=[world.orgs["org2"]])

    assert _recipients(message) == {"demo-other-secretary", clerk.username}
    assert message.recipient_count == 2
    assert message.addressees == [
        {"kind": "organization", "id": world.orgs["org2"].pk, "label": "第二机关党委"}
    ]
    record = AuditRecord.objects.filter(action="mail.message_sent").get()
    assert record.details["recipients"] == 2


def test_people_organizations_and_duplicates_make_one_copy_each_and_never_one_for_the_sender(
    world,
):
    message = _send(
        world,
        people=[world.user("other_secretary"), world.user("leader")],
        organizations=[world.orgs["org1"], world.orgs["org2"]],
    )

    assert _recipients(message) == {"demo-other-secretary", "demo-leader"}


def test_writing_only_to_oneself_is_refused(world):
    with pytest.raises(ValidationFailed):
        _send(world, organizations=[world.orgs["org1"]])
    assert _counts() == (0, 0, 0)


def test_a_message_without_addressees_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        _send(world)
    assert caught.value.errors[0][0] == "people"
    assert _counts() == (0, 0, 0)


def test_an_organization_where_nobody_would_receive_it_is_named_and_nothing_is_sent(world):
    with pytest.raises(ValidationFailed) as caught:
        _send(world, organizations=[world.orgs["org2"], world.orgs["branch3"]], uploads=[_png()])

    assert caught.value.errors[0][0] == "organizations"
    assert "第二机关党委第一支部" in caught.value.message
    assert _counts() == (0, 0, 0)


def test_the_three_administrators_neither_write_nor_receive_mail(world):
    with pytest.raises(Forbidden):
        _send(world, "sysadmin", people=[world.user("leader")])
    with pytest.raises(ValidationFailed) as caught:
        _send(world, people=[world.user("auditor")])
    assert caught.value.errors[0][0] == "people"
    assert _counts() == (0, 0, 0)


def test_a_secretary_writes_to_a_role_only_inside_their_own_subtree(world, make_people):
    own = make_people(2, Role.MEMBER, "branch2", prefix="own")
    make_people(2, Role.MEMBER, "branch3", prefix="other")

    message = _send(world, roles=[Role.MEMBER])

    assert _recipients(message) == {"demo-member", *(u.username for u in own)}
    assert message.addressees[0]["kind"] == "role"


def test_a_member_may_not_write_to_everyone_holding_a_role(world):
    with pytest.raises(Forbidden):
        _send(world, "member", roles=[Role.SECRETARY])
    assert _counts() == (0, 0, 0)


def test_an_administrator_role_is_not_something_to_write_to(world):
    with pytest.raises(ValidationFailed):
        _send(world, "leader", roles=[Role.SYSADMIN])


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("subject", {"subject": "  "}),
        ("subject", {"subject": "题" * 201}),
        ("body", {"body": "字" * 20001}),
        ("body", {"subject": "秘密★ 关于某事", "body": "正文"}),
        ("body", {"body": "密级：机密\n正文"}),
    ],
)
def test_bad_text_is_refused_with_the_field_and_nothing_is_sent(world, field, values):
    with pytest.raises(ValidationFailed) as caught:
        _send(world, people=[world.user("leader")], uploads=[_png()], **values)

    assert caught.value.errors[0][0] == field
    assert _counts() == (0, 0, 0)


def test_an_attachment_that_lies_about_its_type_refuses_the_message(world, settings):
    liar = SimpleUploadedFile("通知.pdf", PNG, "application/pdf")

    with pytest.raises(ValidationFailed) as caught:
        _send(world, people=[world.user("leader")], uploads=[_png(), liar])

    assert caught.value.errors[0][0] == "attachments"
    assert "通知.pdf" in caught.value.message
    assert _counts() == (0, 0, 0)
    media = settings.MEDIA_ROOT / "mail"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_too_many_attachments_are_refused(world):
    with pytest.raises(ValidationFailed):
        _send(world, people=[world.user("leader")], uploads=[_png(f"{i}.png") for i in range(11)])
    assert _counts() == (0, 0, 0)


def test_sending_to_many_takes_as_many_queries_as_sending_to_few(world, make_people):
    make_people(5, Role.SECRETARY, "branch1", prefix="few")
    make_people(5, Role.SECRETARY, "branch2", prefix="few")
    make_people(120, Role.SECRETARY, "branch3", prefix="many")
    access.grants_of(world.user("leader"))  # loaded once per request: not part of the send

    with CaptureQueriesContext(connection) as few:
        small = _send(world, "leader", organizations=[world.orgs["branch1"], world.orgs["branch2"]])
    with CaptureQueriesContext(connection) as many:
        large = _send(world, "leader", organizations=[world.orgs["branch3"]])

    assert (small.recipient_count, large.recipient_count) == (10, 120)
    assert len(many.captured_queries) == len(few.captured_queries)


# ----------------------------------------------------------------------------- reading


def test_nobody_reads_another_persons_mail(world):
    message = _send(world, people=[world.user("leader")], uploads=[_png()])
    key = message.files.get().uuid

    for outsider in ("other_secretary", "member", "sysadmin"):
        with pytest.raises(NotFound):
            selectors.message_access(user=world.user(outsider), pk=message.pk)
        with pytest.raises(NotFound):
            selectors.file_access(user=world.user(outsider), key=key)
    assert selectors.message_access(user=world.user("leader"), pk=message.pk).delivery
    assert selectors.message_access(user=world.user("secretary"), pk=message.pk).is_sender


def test_the_sender_sees_who_read_it_and_when(world):
    message = _send(world, people=[world.user("leader"), world.user("other_secretary")])

    assert services.message_mark_read(actor=world.user("leader"), message=message) is True
    assert services.message_mark_read(actor=world.user("leader"), message=message) is False

    sent = selectors.sent(world.user("secretary")).get()
    assert (sent.read_count, sent.recipient_count) == (1, 2)
    status = [(d.recipient.username, d.read_at is not None) for d in selectors.read_status(message)]
    assert status == [("demo-other-secretary", False), ("demo-leader", True)]


def test_the_inbox_lists_what_i_received_newest_first(world):
    first = _send(world, people=[world.user("leader")], subject="第一封")
    second = _send(world, "other_secretary", people=[world.user("leader")], subject="第二封")
    _send(world, people=[world.user("member")], subject="不是给我的")

    inbox = [d.message_id for d in selectors.inbox(world.user("leader"))]

    assert inbox == [second.pk, first.pk]


# ----------------------------------------------------------------------------- reply, forward


def test_a_reply_goes_to_the_sender_alone(world):
    message = _send(world, organizations=[world.orgs["org2"]])

    answer = services.message_reply(
        actor=world.user("other_secretary"), message=message, body="已收到。", uploads=[_png()]
    )

    assert _recipients(answer) == {"demo-secretary"}
    assert answer.reply_to == message
    assert answer.subject.endswith(message.subject)
    assert answer.subject != message.subject
    assert answer.files.count() == 1


def test_only_a_recipient_may_reply(world):
    message = _send(world, people=[world.user("leader")])
    before = _counts()

    with pytest.raises(ValidationFailed):
        services.message_reply(actor=world.user("secretary"), message=message, body="自己回复")
    assert _counts() == before


def test_a_forward_keeps_the_attachments_without_copying_the_files(world):
    message = _send(world, people=[world.user("leader")], uploads=[_png()])
    files_before = MessageFile.objects.count()

    forwarded = services.message_forward(
        actor=world.user("leader"),
        message=message,
        note="请阅。",
        organizations=[world.orgs["org2"]],
    )

    assert MessageFile.objects.count() == files_before
    assert list(forwarded.files.all()) == list(message.files.all())
    assert forwarded.forwarded_from == message
    assert "请阅。" in forwarded.body
    assert message.body in forwarded.body
    # The new recipient may now download the shared file; it is the same stored file.
    key = message.files.get().uuid
    assert selectors.file_access(user=world.user("other_secretary"), key=key)


def test_a_forward_to_nobody_is_refused_and_links_nothing(world):
    message = _send(world, people=[world.user("leader")], uploads=[_png()])
    before = _counts()

    with pytest.raises(ValidationFailed):
        services.message_forward(actor=world.user("leader"), message=message)
    assert _counts() == before
