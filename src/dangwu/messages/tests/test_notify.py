"""notify(), organization_contacts(), e-mail delivery by the worker and the daily digest."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from dangwu.access import SYSTEM, Role
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.messages import selectors, services
from dangwu.messages.enums import EmailDelivery
from dangwu.messages.models import Notification
from dangwu.messages.tests.smtp_server import SmtpCapture

MAIL_TASK = "dangwu.messages.tasks.send_notification_mails"


def _notify(recipients, **extra):
    values = {"kind": "documents.distributed", "title": "请签收：关于开展学习的通知"}
    return services.notify(actor=SYSTEM, recipients=recipients, **{**values, **extra})


def _queued_mail_tasks() -> int:
    return DBTaskResult.objects.filter(task_path=MAIL_TASK).count()


# ----------------------------------------------------------------------------- notify


def test_notify_creates_one_notification_per_distinct_active_recipient(world):
    secretary, member = world.user("secretary"), world.user("member")
    member.is_active = False
    member.save(update_fields=["is_active"])

    count = _notify([secretary, secretary, member, world.user("leader")], url="/mail/")

    assert count == 2
    rows = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in rows] == ["demo-leader", "demo-secretary"]
    assert {n.url for n in rows} == {"/mail/"}
    record = AuditRecord.objects.filter(action="mail.notified").get()
    assert record.details["recipients"] == 2
    assert record.details["kind"] == "documents.distributed"


def test_notify_writes_in_a_number_of_queries_independent_of_the_recipients(world, make_people):
    few, many = make_people(3, prefix="few"), make_people(60, prefix="many")

    with CaptureQueriesContext(connection) as small:
        _notify(few)
    with CaptureQueriesContext(connection) as large:
        _notify(many)

    assert Notification.objects.count() == 63
    assert len(large.captured_queries) == len(small.captured_queries)


def test_notify_queues_one_mail_task_for_the_whole_batch(world, make_people):
    _notify(make_people(5))

    assert _queued_mail_tasks() == 1
    assert mail.outbox == []  # never sent in the request


def test_notify_without_email_queues_nothing(world):
    _notify([world.user("secretary")], email=False)

    assert _queued_mail_tasks() == 0
    assert Notification.objects.get().email is False


def test_a_rolled_back_caller_leaves_no_notification_and_no_mail_task(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify([world.user("secretary")])
        raise RuntimeError("the calling service failed")

    assert Notification.objects.count() == 0
    assert _queued_mail_tasks() == 0


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("kind", {"kind": "no dots"}),
        ("title", {"title": "  "}),
        ("title", {"title": "长" * 201}),
        ("url", {"url": "https://example.com/"}),
        ("url", {"url": "//example.com/"}),
    ],
)
def test_notify_refuses_bad_input_and_writes_nothing(world, field, values):
    with pytest.raises(ValidationFailed) as caught:
        _notify([world.user("secretary")], **values)

    assert caught.value.errors[0][0] == field
    assert Notification.objects.count() == 0
    assert _queued_mail_tasks() == 0


def test_notify_with_nobody_to_tell_writes_nothing(world):
    assert _notify([]) == 0
    assert not AuditRecord.objects.filter(action="mail.notified").exists()


# ----------------------------------------------------------------------------- contacts


def test_organization_contacts_are_the_secretary_and_clerks_of_exactly_that_organization(
    world, make_people, django_assert_num_queries
):
    clerk = make_people(1, Role.ORG_CLERK, "org2", prefix="clerk")[0]
    make_people(1, Role.MEMBER, "org2", prefix="member")  # a member is not a contact

    with django_assert_num_queries(1):
        contacts = list(organization_contacts_of(world, "org2"))

    assert {u.pk for u in contacts} == {world.user("other_secretary").pk, clerk.pk}


def organization_contacts_of(world, *keys):
    return services.organization_contacts([world.orgs[k] for k in keys])


def test_the_committees_clerk_is_not_a_contact_of_every_organization_below(world):
    # The orgclerk persona is ORG_CLERK on the root: a contact of the root only.
    assert list(organization_contacts_of(world, "org1")) == [world.user("secretary")]
    assert list(organization_contacts_of(world, "root")) == [world.user("orgclerk")]


# ----------------------------------------------------------------------------- e-mail


def test_the_worker_mails_each_notification_to_people_who_want_each_one(with_email, run_tasks):
    world = with_email
    services.preference_set(actor=world.user("leader"), delivery=EmailDelivery.DIGEST)
    _notify(
        [world.user("secretary"), world.user("leader")],
        body="请于三日内签收。",
        url="/documents/1/",
    )

    run_tasks()

    assert [m.to for m in mail.outbox] == [["secretary@example.cn"]]
    with translation.override("zh-hans"):
        subject = translation.gettext("[Dangwu] %(title)s")
    assert mail.outbox[0].subject == subject % {"title": "请签收：关于开展学习的通知"}
    assert "请于三日内签收。" in mail.outbox[0].body
    assert "/documents/1/" in mail.outbox[0].body
    mine = Notification.objects.get(recipient=world.user("secretary"))
    assert mine.emailed_at is not None
    # The leader's waits for the digest.
    assert Notification.objects.get(recipient=world.user("leader")).emailed_at is None


def test_mail_goes_out_through_the_configured_smtp_server(with_email, settings):
    with SmtpCapture() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = smtp.host, smtp.port
        _notify([with_email.user("secretary")], body="请于三日内签收。")

        assert services.send_notification_mails() == 1

    (received,) = smtp.received
    assert received.recipients == ["secretary@example.cn"]
    assert received.sender == settings.DEFAULT_FROM_EMAIL
    assert "请签收：关于开展学习的通知" in received.message["Subject"]
    assert "请于三日内签收。" in received.message.get_content()


def test_people_without_an_e_mail_address_get_the_notification_in_the_platform_only(
    world, run_tasks
):
    _notify([world.user("secretary")])

    run_tasks()

    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_a_notification_is_mailed_once_even_if_the_sender_runs_twice(with_email):
    _notify([with_email.user("secretary")])

    assert services.send_notification_mails() == 1
    assert services.send_notification_mails() == 0
    assert len(mail.outbox) == 1


def test_when_the_mail_server_fails_the_notifications_wait_for_the_next_try(
    with_email, monkeypatch
):
    _notify([with_email.user("secretary")])

    def refuse(self, messages):
        raise SMTPException("connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(SMTPException):
        services.send_notification_mails()
    assert Notification.objects.get().emailed_at is None

    monkeypatch.undo()
    assert services.send_notification_mails() == 1


def test_the_daily_digest_sends_one_mail_per_person_with_everything_new(with_email):
    world = with_email
    for persona in ("leader", "secretary"):
        services.preference_set(actor=world.user(persona), delivery=EmailDelivery.DIGEST)
    _notify([world.user("leader"), world.user("secretary")], title="第一件事")
    _notify([world.user("leader")], title="第二件事")
    _notify([world.user("member")], title="不在汇总里")  # no address: never mailed

    assert services.send_daily_digests() == 2

    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"leader@example.cn", "secretary@example.cn"}
    assert "第一件事" in by_person["leader@example.cn"].body
    assert "第二件事" in by_person["leader@example.cn"].body
    assert "第二件事" not in by_person["secretary@example.cn"].body
    # Nothing new: nothing sent the next day.
    assert services.send_daily_digests(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 2


def test_the_digest_job_runs_through_the_periodic_task(with_email, run_tasks):
    from dangwu.core import periodic

    world = with_email
    services.preference_set(actor=world.user("leader"), delivery=EmailDelivery.DIGEST)
    _notify([world.user("leader")], title="汇总里的事")
    run_tasks()  # the immediate task leaves the digest person alone
    assert mail.outbox == []

    periodic.run_job.call("mail.daily_digest")

    assert len(mail.outbox) == 1
    assert "汇总里的事" in mail.outbox[0].body


# ----------------------------------------------------------------------------- reading


def test_notifications_list_unread_first_then_newest(world):
    member = world.user("member")
    for title in ("旧的", "读过的", "新的"):
        _notify([member], title=title)
    read = Notification.objects.get(title="读过的")
    services.notification_read(actor=member, notification=read)

    titles = [n.title for n in selectors.notifications(member)]

    assert titles == ["新的", "旧的", "读过的"]


def test_nobody_fetches_another_persons_notification(world):
    _notify([world.user("member")])
    theirs = Notification.objects.get()

    with pytest.raises(NotFound):
        selectors.notification_access(user=world.user("secretary"), pk=theirs.pk)


def test_marking_all_read_touches_only_my_unread_notifications(world):
    _notify([world.user("member"), world.user("secretary")])

    assert services.notifications_read_all(actor=world.user("member")) == 1

    assert Notification.objects.get(recipient=world.user("secretary")).read_at is None


def test_an_unknown_delivery_choice_is_refused(world):
    with pytest.raises(ValidationFailed):
        services.preference_set(actor=world.user("member"), delivery="hourly")
    assert selectors.delivery_of(world.user("member")) == EmailDelivery.EACH
