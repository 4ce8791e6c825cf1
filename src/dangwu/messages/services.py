"""Writes for mail and notifications: notify, e-mail delivery and the digest, internal mail.

``notify`` is the platform's one way to tell people something (docs/mail.md); other apps call
it after their own policy check. Mail (站内信) goes through ``message_send`` and its reply and
forward forms: the recipients are resolved in a fixed number of queries whatever their number.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangwu import access
from dangwu.access import BUSINESS_ROLES, Role
from dangwu.accounts.models import RoleAssignment, User
from dangwu.audit.services import audit_record
from dangwu.core.classification import classification_problem
from dangwu.core.errors import ValidationFailed
from dangwu.core.files import CheckedFile, check_upload, clean_file_name, files_removed_on_error
from dangwu.messages import permissions as perms
from dangwu.messages.enums import AddresseeKind, EmailDelivery
from dangwu.messages.models import (
    MailPreference,
    Message,
    MessageFile,
    MessageRecipient,
    Notification,
)
from dangwu.orgs.models import Organization

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")
TITLE_MAX = 200
NOTIFICATION_BODY_MAX = 5000
SUBJECT_MAX = 200
BODY_MAX = 20000
FILES_MAX = 10
# The two roles that receive what is sent "to an organization" (its secretary and its clerks).
CONTACT_ROLES = (Role.SECRETARY, Role.ORG_CLERK)


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


# ----------------------------------------------------------------------------- notifications


def organization_contacts(organizations: Iterable[Organization]) -> QuerySet[User]:
    """Return the active users holding SECRETARY or ORG_CLERK on exactly one of ``organizations``.

    Not on an ancestor: the committee's clerks do not answer for every branch. One query.
    """
    return User.objects.filter(
        is_active=True,
        role_assignments__role__in=CONTACT_ROLES,
        role_assignments__organization__in=[o.pk for o in organizations],
    ).distinct()


def _check_notification(kind: str, title: str, body: str, url: str) -> None:
    if not KIND_PATTERN.match(kind or "") or len(kind) > 40:
        raise _problem("kind", "kind must look like 'app.what' (at most 40 characters)")
    if not title.strip():
        raise _problem("title", _("The title is required."))
    if len(title) > TITLE_MAX:
        raise _problem("title", _("The title may have at most 200 characters."))
    if len(body) > NOTIFICATION_BODY_MAX:
        raise _problem("body", _("The text may have at most 5,000 characters."))
    if url and (not url.startswith("/") or url.startswith("//") or len(url) > 500):
        raise _problem("url", "url must be a path on this platform")


def _insert_rows(model: type[Any], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values already fit for the database) with one prepared statement.

    ``bulk_create`` spends about 0.15 ms per row on model instances and SQLite cuts it into
    batches (999 bound values each): 0.7 s for 5,000 notifications. ``executemany`` runs one
    statement for every row in a tenth of that (PostgreSQL: pipelined by psycopg).
    """
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Table and column names come from the model; every value is a bound parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def notify(
    *,
    actor: Any,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> int:
    """Tell each recipient something: one notification each, e-mail queued for the worker.

    No policy check: the calling service has checked its own. One prepared INSERT for all
    recipients, one audit record, one task for the whole batch; returns how many were notified.
    """
    _check_notification(kind, title, body, url)
    recipient_ids = list(dict.fromkeys(u.pk for u in recipients if u.is_active))
    if not recipient_ids:
        return 0
    with transaction.atomic():
        created_at = Notification._meta.get_field("created_at").get_db_prep_save(
            timezone.now(), connection
        )
        shared = (getattr(actor, "pk", None), kind, title.strip(), body, url, created_at, email)
        _insert_rows(
            Notification,
            ("recipient_id", "actor_id", "kind", "title", "body", "url", "created_at", "email"),
            [(pk, *shared) for pk in recipient_ids],
        )
        audit_record(
            actor=actor,
            action="mail.notified",
            details={"kind": kind, "title": title[:100], "recipients": len(recipient_ids)},
        )
        if email:
            from dangwu.messages.tasks import send_notification_mails

            # The task row is written in this transaction (database backend): a rolled-back
            # notification sends nothing, a committed one always has its task.
            send_notification_mails.enqueue()
    return len(recipient_ids)


@transaction.atomic
def notification_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (the selector has fetched it as theirs)."""
    access.require(actor, perms.NOTIFICATIONS)
    if notification.recipient_id != actor.pk:
        raise ValidationFailed(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; return how many."""
    access.require(actor, perms.NOTIFICATIONS)
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_set(*, actor: Any, delivery: str) -> MailPreference:
    """Choose one e-mail per notification or a daily digest."""
    access.require(actor, perms.NOTIFICATIONS)
    if delivery not in EmailDelivery.values:
        raise _problem("delivery", _("Choose how notifications come by e-mail."))
    preference, _created = MailPreference.objects.update_or_create(
        user=actor, defaults={"delivery": delivery}
    )
    audit_record(actor=actor, action="mail.preference_set", details={"delivery": delivery})
    return preference


# ----------------------------------------------------------------------------- e-mail


def _claim(pending: QuerySet[Notification], now: datetime) -> list[Notification]:
    """Mark ``pending`` notifications mailed and return them; no other sender gets them."""
    with transaction.atomic():
        rows = list(
            pending.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "id")
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
    return rows


def _unclaim(rows: Sequence[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=None)


def _link(url: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{url}" if url else ""


def _mail_text(notifications: Sequence[Notification]) -> str:
    parts: list[str] = []
    for n in notifications:
        lines = [f"【{n.title}】 {timezone.localtime(n.created_at):%Y-%m-%d %H:%M}"]
        if n.body:
            lines.append(n.body)
        if n.url:
            lines.append(_("Open it in the platform: %(link)s") % {"link": _link(n.url)})
        parts.append("\n".join(lines))
    footer = _(
        "You receive this e-mail because the Dangwu platform has news for you. On the "
        "notifications page you can choose one e-mail a day instead."
    )
    return "\n\n".join([*parts, "——", footer])


def _send(messages: list[EmailMessage], rows: Sequence[Notification]) -> int:
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:
        # The server refused or was unreachable: give the notifications back to the next try
        # (the periodic job "mail.send_pending").
        _unclaim(rows)
        raise


def send_notification_mails(*, now: datetime | None = None) -> int:
    """Send one mail per unmailed notification of people who want each one; return the count.

    Run by the worker after ``notify`` and by the periodic job ``mail.send_pending`` (which
    retries what a failed attempt gave back). People choosing the digest and people without an
    e-mail address are left out (the digest, or the platform only).
    """
    now = now or timezone.now()
    digest_users = MailPreference.objects.filter(delivery=EmailDelivery.DIGEST).values("user_id")
    pending = Notification.objects.filter(
        email=True, emailed_at__isnull=True, recipient__is_active=True
    ).exclude(Q(recipient__email="") | Q(recipient_id__in=digest_users))
    rows = _claim(pending, now)
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            EmailMessage(
                subject=_("[Dangwu] %(title)s") % {"title": n.title},
                body=_mail_text([n]),
                to=[n.recipient.email],
            )
            for n in rows
        ]
    return _send(messages, rows)


def send_daily_digests(*, now: datetime | None = None) -> int:
    """Send each person who chose the digest one mail with everything not mailed yet.

    The periodic job ``mail.daily_digest``; a person with nothing new gets nothing. Returns the
    number of mails sent.
    """
    now = now or timezone.now()
    digest_users = MailPreference.objects.filter(delivery=EmailDelivery.DIGEST).values("user_id")
    pending = Notification.objects.filter(
        email=True,
        emailed_at__isnull=True,
        recipient__is_active=True,
        recipient_id__in=digest_users,
    ).exclude(recipient__email="")
    rows = _claim(pending, now)
    by_person: dict[int, list[Notification]] = {}
    for n in rows:
        by_person.setdefault(n.recipient_id, []).append(n)
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            EmailMessage(
                subject=ngettext(
                    "[Dangwu] %(n)d new notification",
                    "[Dangwu] %(n)d new notifications",
                    len(items),
                )
                % {"n": len(items)},
                body=_mail_text(items),
                to=[items[0].recipient.email],
            )
            for items in by_person.values()
        ]
    return _send(messages, rows)


# ----------------------------------------------------------------------------- internal mail


def mailbox_users() -> QuerySet[User]:
    """Return the people who have a mailbox: active and holding a business role."""
    return User.objects.filter(is_active=True, role_assignments__role__in=BUSINESS_ROLES).distinct()


def _resolve(
    actor: Any,
    people: Sequence[Any],
    organizations: Sequence[Organization],
    roles: Sequence[str],
) -> tuple[list[int], list[dict[str, Any]]]:
    """Return the recipients' ids and what the sender chose, in three queries at most."""
    addressees: list[dict[str, Any]] = []
    ids: set[int] = set()
    if people:
        wanted = {p.pk for p in people}
        found = set(mailbox_users().filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - found:
            names = "、".join(str(p) for p in people if p.pk not in found)
            raise _problem(
                "people", _("These people have no mailbox: %(names)s.") % {"names": names}
            )
        ids |= found
        addressees += [
            {"kind": AddresseeKind.PERSON, "id": p.pk, "label": str(p)}
            for p in dict.fromkeys(people)
        ]
    if organizations:
        contacts = RoleAssignment.objects.filter(
            organization__in=[o.pk for o in organizations],
            role__in=CONTACT_ROLES,
            user__is_active=True,
        ).values_list("organization_id", "user_id")
        reached: set[int] = set()
        for organization_id, user_id in contacts:
            reached.add(organization_id)
            ids.add(user_id)
        unreached = [o.name for o in organizations if o.pk not in reached]
        if unreached:
            raise _problem(
                "organizations",
                _(
                    "Nobody would receive it in %(names)s: no secretary or clerk there has an "
                    "account. Write to a person instead."
                )
                % {"names": "、".join(unreached)},
            )
        addressees += [
            {"kind": AddresseeKind.ORGANIZATION, "id": o.pk, "label": o.name}
            for o in dict.fromkeys(organizations)
        ]
    if roles:
        access.require(actor, perms.WRITE_TO_ROLE)
        if any(role not in BUSINESS_ROLES for role in roles):
            raise _problem("roles", _("Unknown role."))
        # Only inside the sender's own subtrees; the platform itself (SYSTEM) reaches everyone.
        within = access.scope_q(actor, perms.WRITE_TO_ROLE, "organization__path")
        ids |= set(
            RoleAssignment.objects.filter(within, role__in=roles, user__is_active=True)
            .values_list("user_id", flat=True)
            .distinct()
        )
        addressees += [
            {"kind": AddresseeKind.ROLE, "id": role, "label": str(Role(role).label)}
            for role in dict.fromkeys(roles)
        ]
    if (own := getattr(actor, "pk", None)) is not None:
        ids.discard(own)
    if not addressees:
        raise _problem("people", _("Choose at least one person, organization or role."))
    if not ids:
        raise _problem("people", _("Nobody would receive this message besides you."))
    return sorted(ids), addressees


def _check_text(subject: str, body: str) -> tuple[str, str]:
    subject = (subject or "").strip()
    body = (body or "").strip()
    if not subject:
        raise _problem("subject", _("The subject is required."))
    if len(subject) > SUBJECT_MAX:
        raise _problem("subject", _("The subject may have at most 200 characters."))
    if len(body) > BODY_MAX:
        raise _problem("body", _("The text may have at most 20,000 characters."))
    if problem := classification_problem(subject, body):
        raise _problem("body", problem)
    return subject, body


def _check_files(uploads: Sequence[Any], kept: Sequence[MessageFile]) -> list[CheckedFile]:
    if len(uploads) + len(kept) > FILES_MAX:
        message = _("At most %(n)d attachments per message.") % {"n": FILES_MAX}
        raise _problem("attachments", message)
    # Every file is checked before anything is written: one bad file refuses the message.
    checked: list[CheckedFile] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationFailed as error:
            message = f"{clean_file_name(upload.name)}：{error.message}"
            raise _problem("attachments", message) from error
    return checked


def _store(
    actor: Any, checked: Sequence[CheckedFile], uploads: Sequence[Any], written: list[str]
) -> list[MessageFile]:
    stored: list[MessageFile] = []
    for check, upload in zip(checked, uploads, strict=True):
        row = MessageFile(
            original_name=check.name,
            content_type=check.kind.content_type,
            size=check.size,
            sha256=check.sha256,
            uploaded_by=_user_or_none(actor),
        )
        row.file.save("upload", upload, save=False)
        written.append(row.file.name)
        row.save()
        stored.append(row)
    return stored


def _send_message(
    *,
    actor: Any,
    subject: str,
    body: str,
    people: Sequence[Any] = (),
    organizations: Sequence[Organization] = (),
    roles: Sequence[str] = (),
    uploads: Sequence[Any] = (),
    kept_files: Sequence[MessageFile] = (),
    reply_to: Message | None = None,
    forwarded_from: Message | None = None,
) -> Message:
    access.require(actor, perms.MAILBOX)
    subject, body = _check_text(subject, body)
    recipient_ids, addressees = _resolve(actor, people, organizations, roles)
    checked = _check_files(uploads, kept_files)
    with transaction.atomic(), files_removed_on_error(MessageFile.file.field.storage) as written:
        message = Message.objects.create(
            sender=actor,
            subject=subject,
            body=body,
            addressees=addressees,
            recipient_count=len(recipient_ids),
            reply_to=reply_to,
            forwarded_from=forwarded_from,
        )
        _insert_rows(
            MessageRecipient,
            ("message_id", "recipient_id"),
            [(message.pk, pk) for pk in recipient_ids],
        )
        files = [*kept_files, *_store(actor, checked, uploads, written)]
        if files:
            message.files.add(*files)
        audit_record(
            actor=actor,
            action="mail.message_sent",
            target=message,
            details={
                "recipients": len(recipient_ids),
                "files": len(files),
                "reply_to": reply_to.pk if reply_to else None,
                "forwarded_from": forwarded_from.pk if forwarded_from else None,
            },
        )
    return message


def message_send(
    *,
    actor: Any,
    subject: str,
    body: str,
    people: Sequence[Any] = (),
    organizations: Sequence[Organization] = (),
    roles: Sequence[str] = (),
    uploads: Sequence[Any] = (),
) -> Message:
    """Write to people, organizations (their secretary and clerks) or role holders.

    Refused, with nothing written: no addressee, a person without a mailbox, an organization
    nobody there would receive it in, a role the sender may not write to, an empty or too long
    subject, a classified mark, a file that fails the checks of ``core.files``.
    """
    return _send_message(
        actor=actor,
        subject=subject,
        body=body,
        people=people,
        organizations=organizations,
        roles=roles,
        uploads=uploads,
    )


def _prefixed(prefix: str, subject: str) -> str:
    return subject if subject.startswith(prefix) else f"{prefix}{subject}"[:SUBJECT_MAX]


def message_reply(
    *, actor: Any, message: Message, body: str, uploads: Sequence[Any] = ()
) -> Message:
    """Answer the sender of a message the actor received (fetched with ``message_access``)."""
    if not MessageRecipient.objects.filter(message=message, recipient_id=actor.pk).exists():
        raise ValidationFailed(_("Only someone who received a message can reply to it."))
    return _send_message(
        actor=actor,
        subject=_prefixed(_("Re: "), message.subject),
        body=body,
        people=[message.sender],
        uploads=uploads,
        reply_to=message,
    )


def message_forward(
    *,
    actor: Any,
    message: Message,
    note: str = "",
    people: Sequence[Any] = (),
    organizations: Sequence[Organization] = (),
    roles: Sequence[str] = (),
) -> Message:
    """Pass a message the actor sent or received on to others, with its attachments.

    The attachments are linked, not copied: the same stored files serve both messages.
    """
    original = _(
        "—— Forwarded message ——\nFrom: %(sender)s\nSent: %(sent)s\nSubject: %(subject)s"
    ) % {
        "sender": message.sender,
        "sent": f"{timezone.localtime(message.created_at):%Y-%m-%d %H:%M}",
        "subject": message.subject,
    }
    body = "\n\n".join(part for part in ((note or "").strip(), original, message.body) if part)
    return _send_message(
        actor=actor,
        subject=_prefixed(_("Fwd: "), message.subject),
        body=body[:BODY_MAX],
        people=people,
        organizations=organizations,
        roles=roles,
        kept_files=list(message.files.all()),
        forwarded_from=message,
    )


def message_mark_read(*, actor: Any, message: Message) -> bool:
    """Record that the actor read a message they received; True the first time."""
    access.require(actor, perms.MAILBOX)
    changed = MessageRecipient.objects.filter(
        message=message, recipient_id=actor.pk, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(changed)
