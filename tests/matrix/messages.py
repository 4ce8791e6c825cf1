"""Access matrix cases of the messages app (see tests/matrix/__init__.py).

The message of the cases: the secretary of 第一机关党委 writes to 第二机关党委, whose secretary
receives it. Only those two may see it; only the recipient may reply; only the sender sees who
read it. The three administrators have no mailbox.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.access import SYSTEM
from dangwu.messages import services
from tests.matrix import BUSINESS, SIGNED_IN, Case

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
BOTH = frozenset({"secretary", "other_secretary"})
RECIPIENT = frozenset({"other_secretary"})
SENDER = frozenset({"secretary"})


def _message(world):
    """Return the message of the cases (with a picture attached), made once per world."""
    found = getattr(world, "mail_message", None)
    if found is None:
        found = world.mail_message = services.message_send(
            actor=world.user("secretary"),
            subject="矩阵来信",
            body="请查收。",
            organizations=[world.orgs["org2"]],
            uploads=[SimpleUploadedFile("合影.png", PNG, "image/png")],
        )
    return found


def _file_key(world) -> str:
    return str(_message(world).files.get().uuid)


def _notification(world) -> int:
    """Return the id of a notification for the member of the first branch."""
    services.notify(
        actor=SYSTEM,
        recipients=[world.user("member")],
        kind="matrix.test",
        title="矩阵通知",
        url="/mail/notifications/",
        email=False,
    )
    return world.user("member").notifications.get().pk


CASES: list[Case] = [
    # ------------------------------------------------------------------ pages
    Case("mail:inbox", "get", lambda w: "/mail/", BUSINESS),
    Case("mail:sent", "get", lambda w: "/mail/sent/", BUSINESS),
    Case("mail:compose", "get", lambda w: "/mail/new/", BUSINESS),
    Case("mail:message", "get", lambda w: f"/mail/{_message(w).pk}/", BOTH),
    Case("mail:reply", "get", lambda w: f"/mail/{_message(w).pk}/reply/", RECIPIENT),
    Case("mail:forward", "get", lambda w: f"/mail/{_message(w).pk}/forward/", BOTH),
    Case("mail:file", "get", lambda w: f"/mail/files/{_file_key(w)}/", BOTH),
    Case("mail:notifications", "get", lambda w: "/mail/notifications/", SIGNED_IN),
    Case(
        "mail:notification_open",
        "get",
        lambda w: f"/mail/notifications/{_notification(w)}/",
        frozenset({"member"}),
    ),
    Case(
        "mail:notification_read",
        "post",
        lambda w: f"/mail/notifications/{_notification(w)}/read/",
        frozenset({"member"}),
    ),
    Case(
        "mail:notifications_read_all", "post", lambda w: "/mail/notifications/read-all/", SIGNED_IN
    ),
    Case(
        "mail:preferences",
        "post",
        lambda w: "/mail/notifications/email/",
        SIGNED_IN,
        {"delivery": "digest"},
    ),
    # ------------------------------------------------------------------ API
    Case("api:mail_inbox", "get", lambda w: "/api/v1/mail/inbox", BUSINESS),
    Case("api:mail_sent", "get", lambda w: "/api/v1/mail/sent", BUSINESS),
    Case(
        "api:mail_send",
        "post",
        lambda w: "/api/v1/mail/messages",
        BUSINESS,
        # Two organizations: whoever writes, somebody else receives it.
        lambda w: {
            "subject": "矩阵",
            "organizations": [w.orgs["org1"].pk, w.orgs["org2"].pk],
        },
    ),
    Case("api:mail_message", "get", lambda w: f"/api/v1/mail/messages/{_message(w).pk}", BOTH),
    Case(
        "api:mail_mark_read",
        "post",
        lambda w: f"/api/v1/mail/messages/{_message(w).pk}/read",
        RECIPIENT,
    ),
    Case(
        "api:mail_reply",
        "post",
        lambda w: f"/api/v1/mail/messages/{_message(w).pk}/reply",
        RECIPIENT,
        {"body": "收到"},
    ),
    Case(
        "api:mail_forward",
        "post",
        lambda w: f"/api/v1/mail/messages/{_message(w).pk}/forward",
        BOTH,
        lambda w: {"people": [w.user("leader").pk]},
    ),
    Case(
        "api:mail_readers",
        "get",
        lambda w: f"/api/v1/mail/messages/{_message(w).pk}/readers",
        SENDER,
    ),
    Case("api:mail_file", "get", lambda w: f"/api/v1/mail/files/{_file_key(w)}", BOTH),
    Case("api:notification_list", "get", lambda w: "/api/v1/mail/notifications", SIGNED_IN),
    Case(
        "api:notification_mark_read",
        "post",
        lambda w: f"/api/v1/mail/notifications/{_notification(w)}/read",
        frozenset({"member"}),
    ),
    Case(
        "api:notifications_mark_all_read",
        "post",
        lambda w: "/api/v1/mail/notifications/read-all",
        SIGNED_IN,
    ),
    Case("api:mail_preferences", "get", lambda w: "/api/v1/mail/preferences", SIGNED_IN),
    Case(
        "api:mail_preferences_set",
        "put",
        lambda w: "/api/v1/mail/preferences",
        SIGNED_IN,
        {"delivery": "digest"},
    ),
]
