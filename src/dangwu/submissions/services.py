"""Writes for submissions (信息报送): drafting, sending, the organization's approval, the
editors' decisions, scoring, calls for submissions and the organizations' own settings.

draft → (awaiting the organization's approval) → submitted → adopted / returned / declined;
a returned item is changed and sent again. Every step is kept in the item's history, audited,
and the submitter is told of every decision.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from functools import partial
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.accounts.models import User
from dangwu.audit.services import audit_record
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, ValidationFailed
from dangwu.core.files import check_upload, checked_bytes, files_removed_on_error
from dangwu.core.html import html_to_text
from dangwu.core.personal import mask_phone, phone_problem
from dangwu.core.visibility import Visibility
from dangwu.messages.services import notify, organization_contacts
from dangwu.orgs.models import Organization
from dangwu.portal import permissions as portal_perms
from dangwu.portal.attachments import save_file
from dangwu.portal.docx import clean_word_html, convert_docx
from dangwu.portal.enums import SourceKind
from dangwu.portal.models import Article, Column
from dangwu.portal.services import article_create, article_publish, article_submit
from dangwu.submissions import permissions as perms
from dangwu.submissions.enums import (
    EDITABLE,
    Channel,
    EventAction,
    FileRole,
    Placement,
    SubmissionKind,
    SubmissionStatus,
)
from dangwu.submissions.models import (
    Call,
    ScoreRule,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionSettings,
)

NOTIFY_KIND = "submissions.decision"
# Where the pictures of a Word file are served while they belong to a submission; the article
# made on adoption serves them from the portal's address instead (same key).
INLINE_PREFIX = "/submissions/files/"
DEFAULT_POINTS = {Placement.INTERNAL: 1, Placement.PUBLIC: 2, Placement.UPWARD: 3}
MAX_PHOTOS = 20
MAX_ATTACHMENTS = 10
PHOTO_KINDS = ("jpeg", "png")
# An intake code: 12 characters without look-alikes (0/O, 1/I/L), grouped by four when shown.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _name_of(actor: Any) -> str:
    display = getattr(actor, "display_name", "") or ""
    return display or (actor.get_username() if hasattr(actor, "get_username") else str(actor))


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def _event(submission: Submission, actor: Any, action: str, comment: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        action=action,
        actor=_user(actor),
        actor_name=_name_of(actor) if actor is not None else "",
        comment=comment,
    )


def settings_of(organization: Organization) -> SubmissionSettings:
    """Return the organization's submission settings (the defaults when it never set any)."""
    found = SubmissionSettings.objects.filter(organization=organization).first()
    return found or SubmissionSettings(organization=organization)


def points_table() -> dict[str, int]:
    """Return the scoring table, with the defaults for places nobody configured."""
    table: dict[str, int] = {str(k): v for k, v in DEFAULT_POINTS.items()}
    table.update(ScoreRule.objects.values_list("placement", "points"))
    return table


def may_write_for(user: Any, organization: Organization) -> bool:
    """Return True if ``user`` may write and send submissions for ``organization``."""
    return access.can(user, perms.SUBMISSION_WRITE, organization)


# ----------------------------------------------------------------------------- the item itself


def _clean_fields(values: dict[str, Any]) -> dict[str, Any]:
    title = " ".join((values.get("title") or "").split())
    if not title:
        raise _problem("title", _("The title is required."))
    if len(title) > 200:
        raise _problem("title", _("The title may have at most 200 characters."))
    kind = values.get("kind") or ""
    if kind not in SubmissionKind.values:
        raise _problem("kind", _("Choose the kind of item."))
    column = values.get("suggested_column")
    if column is not None and (not isinstance(column, Column) or column.link):
        raise _problem("suggested_column", _("Choose a column that holds articles."))
    contact_name = (values.get("contact_name") or "").strip()
    if len(contact_name) > 60:
        raise _problem("contact_name", _("The name may have at most 60 characters."))
    phone = (values.get("contact_phone") or "").strip()
    if phone and (problem := phone_problem(phone)):
        raise _problem("contact_phone", problem)
    body = clean_word_html(values.get("body") or "")
    body_text = html_to_text(body)
    if problem := classification_problem(
        title, body_text, declared_level=values.get("secret_level") or ""
    ):
        raise _problem("body", problem)
    return {
        "title": title,
        "kind": kind,
        "body": body,
        "body_text": body_text,
        "suggested_column": column,
        "contact_name": contact_name,
        "contact_phone": phone,
        "contact_phone_masked": mask_phone(phone),
    }


def _inline_url(key: Any) -> str:
    return f"{INLINE_PREFIX}{key}/"


def _docx_body(upload: Any, title: str) -> tuple[str, str, list[Any]]:
    """Check and convert a Word file; return (title, body HTML, pictures not yet stored)."""
    check_upload(upload, accept=("docx",))
    converted = convert_docx(upload, title=title)
    html = converted.html
    for picture in converted.pictures:
        portal_url = reverse("portal:attachment_download", kwargs={"key": picture.key})
        html = html.replace(portal_url, _inline_url(picture.key))
    return converted.title, html, converted.pictures


def _store_pictures(
    submission: Submission, pictures: list[Any], stem: str, written: list[str]
) -> None:
    for number, picture in enumerate(pictures, start=1):
        checked, content = checked_bytes(
            picture.data, name=f"{stem}-{number}{picture.kind.extensions[0]}", kind=picture.kind
        )
        stored = SubmissionFile(
            uuid=picture.key,
            submission=submission,
            role=FileRole.INLINE,
            original_name=checked.name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        stored.file.save("upload", content, save=False)
        written.append(stored.file.name)
        stored.save()


def _check_call(call: Call | None, organization: Organization) -> None:
    if call is None:
        return
    if not call_asks(call, organization):
        raise _problem("call", _("This call for submissions was not sent to your organization."))


def call_asks(call: Call, organization: Organization) -> bool:
    """Return True if ``call`` asks ``organization`` (or an organization above it)."""
    if call.all_organizations:
        return True
    paths = [o.path for o in call.organizations.all()]
    return any(organization.path.startswith(p) for p in paths)


@transaction.atomic
def submission_create(
    *,
    actor: Any,
    organization: Organization,
    upload: Any = None,
    call: Call | None = None,
    **values: Any,
) -> Submission:
    """Save a draft for ``organization``: the text written in the editor, or a Word file.

    Refused, with nothing saved: writing for an organization one does not belong to, a file
    that is not really a .docx, a classified mark or text, a missing title or kind.
    """
    access.require(actor, perms.SUBMISSION_WRITE, organization)
    _check_call(call, organization)
    pictures: list[Any] = []
    stem = ""
    if upload is not None:
        title, values["body"], pictures = _docx_body(upload, (values.get("title") or "").strip())
        values["title"] = title or values.get("title")
        stem = os.path.splitext(os.path.basename(upload.name or "word"))[0]
    cleaned = _clean_fields(values)
    with files_removed_on_error() as written:
        submission = Submission.objects.create(
            organization=organization,
            submitter=_user(actor),
            submitter_name=_name_of(actor),
            call=call,
            status=SubmissionStatus.DRAFT,
            **cleaned,
        )
        _store_pictures(submission, pictures, stem, written)
        _event(submission, actor, EventAction.CREATED)
        audit_record(
            actor=actor,
            action="submissions.created",
            target=submission,
            details={"from_word": upload is not None, "pictures": len(pictures)},
        )
    return submission


def _require_own(actor: Any, submission: Submission) -> None:
    """Only the organization's writers (or the submitter, while they still may) change it."""
    access.require(actor, perms.SUBMISSION_WRITE, submission.organization)


def _require_state(submission: Submission, *states: str) -> None:
    if submission.status not in states:
        raise DomainError(
            _("This cannot be done while the item is “%(status)s”.")
            % {"status": submission.get_status_display()}
        )


@transaction.atomic
def submission_update(
    *, actor: Any, submission: Submission, upload: Any = None, **values: Any
) -> Submission:
    """Change a draft or a returned item (a new Word file replaces the text and its pictures)."""
    _require_own(actor, submission)
    _require_state(submission, *EDITABLE)
    merged = {
        "title": submission.title,
        "kind": submission.kind,
        "body": submission.body,
        "suggested_column": submission.suggested_column,
        "contact_name": submission.contact_name,
        "contact_phone": submission.contact_phone,
    } | values
    pictures: list[Any] = []
    stem = ""
    if upload is not None:
        title, merged["body"], pictures = _docx_body(upload, (values.get("title") or "").strip())
        merged["title"] = title or merged["title"]
        stem = os.path.splitext(os.path.basename(upload.name or "word"))[0]
    cleaned = _clean_fields(merged)
    changed = [f for f, v in cleaned.items() if getattr(submission, f) != v and f != "body_text"]
    for field, value in cleaned.items():
        setattr(submission, field, value)
    submission.save()
    old_inline: list[tuple[Any, str]] = []
    if upload is not None:
        old = list(submission.files.filter(role=FileRole.INLINE))
        old_inline = [(f.file.storage, f.file.name) for f in old]
        SubmissionFile.objects.filter(pk__in=[f.pk for f in old]).delete()
    with files_removed_on_error() as written:
        _store_pictures(submission, pictures, stem, written)
    for storage, name in old_inline:
        transaction.on_commit(partial(storage.delete, name))
    _event(submission, actor, EventAction.EDITED)
    audit_record(
        actor=actor, action="submissions.updated", target=submission, details={"fields": changed}
    )
    return submission


@transaction.atomic
def submission_file_add(
    *, actor: Any, submission: Submission, upload: Any, role: str = FileRole.ATTACHMENT
) -> SubmissionFile:
    """Add a photo (JPG, PNG) or an attachment (PDF, Office, pictures), checked by content."""
    _require_own(actor, submission)
    _require_state(submission, *EDITABLE)
    if role not in (FileRole.PHOTO, FileRole.ATTACHMENT):
        raise _problem("role", _("Choose whether the file is a photo or an attachment."))
    limit = MAX_PHOTOS if role == FileRole.PHOTO else MAX_ATTACHMENTS
    if submission.files.filter(role=role).count() >= limit:
        raise _problem(
            "file", _("At most %(count)d files of this kind can be added.") % {"count": limit}
        )
    if role == FileRole.PHOTO:
        checked = check_upload(upload, accept=PHOTO_KINDS)
    else:
        checked = check_upload(upload)
    with files_removed_on_error() as written:
        stored = SubmissionFile(
            submission=submission,
            role=role,
            original_name=checked.name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            text=checked.text,
        )
        stored.file.save("upload", upload, save=False)
        written.append(stored.file.name)
        stored.save()
        _event(submission, actor, EventAction.FILE_ADDED, checked.name)
        audit_record(
            actor=actor,
            action="submissions.file_added",
            target=submission,
            details={"sha256": checked.sha256, "size": checked.size, "role": role},
        )
    return stored


@transaction.atomic
def submission_file_remove(*, actor: Any, file: SubmissionFile) -> None:
    """Remove a photo or attachment of an item that can still be changed."""
    submission = file.submission
    _require_own(actor, submission)
    _require_state(submission, *EDITABLE)
    storage, name = file.file.storage, file.file.name
    _event(submission, actor, EventAction.FILE_REMOVED, file.original_name)
    audit_record(
        actor=actor,
        action="submissions.file_removed",
        target=submission,
        details={"sha256": file.sha256},
    )
    file.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _check_complete(submission: Submission) -> None:
    if not submission.body_text.strip() and not submission.files.exists():
        raise _problem("body", _("Write the text or upload a Word file before sending the item."))


@transaction.atomic
def submission_submit(*, actor: Any, submission: Submission) -> Submission:
    """Send a draft (or a returned item) on: to the organization's secretary when the
    organization requires approval and the sender is not its secretary, else to the editors."""
    _require_own(actor, submission)
    _require_state(submission, *EDITABLE)
    _check_complete(submission)
    rules = settings_of(submission.organization)
    needs_approval = rules.requires_approval and not access.can(
        actor, perms.SUBMISSION_APPROVE, submission.organization
    )
    if needs_approval:
        submission.status = SubmissionStatus.AWAITING_APPROVAL
        submission.save(update_fields=["status", "updated_at"])
        _event(submission, actor, EventAction.SENT_FOR_APPROVAL)
        audit_record(actor=actor, action="submissions.sent_for_approval", target=submission)
        _tell_approvers(actor, submission)
        return submission
    _send_to_committee(actor, submission)
    return submission


def _send_to_committee(actor: Any, submission: Submission) -> None:
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = submission.submitted_at or timezone.now()
    submission.comment = ""
    submission.save(update_fields=["status", "submitted_at", "comment", "updated_at"])
    _event(submission, actor, EventAction.SUBMITTED)
    audit_record(actor=actor, action="submissions.submitted", target=submission)


def _tell_approvers(actor: Any, submission: Submission) -> None:
    approvers = User.objects.filter(
        is_active=True,
        role_assignments__role=access.Role.SECRETARY,
        role_assignments__organization=submission.organization,
    ).distinct()
    url = reverse("submissions:detail", args=[submission.pk])
    transaction.on_commit(
        lambda: notify(
            actor=actor,
            recipients=list(approvers),
            kind=NOTIFY_KIND,
            title=_("An item waits for your approval: %(title)s") % {"title": submission.title},
            url=url,
        )
    )


@transaction.atomic
def submission_approve(*, actor: Any, submission: Submission) -> Submission:
    """The organization's secretary lets an item leave the organization."""
    access.require(actor, perms.SUBMISSION_APPROVE, submission.organization)
    _require_state(submission, SubmissionStatus.AWAITING_APPROVAL)
    _event(submission, actor, EventAction.APPROVED)
    audit_record(actor=actor, action="submissions.approved", target=submission)
    _send_to_committee(actor, submission)
    _tell_submitter(actor, submission, _("Your item was approved and sent: %(title)s"))
    return submission


def _tell_submitter(actor: Any, submission: Submission, title: str, body: str = "") -> None:
    recipients: list[Any]
    if submission.submitter_id is not None:
        recipients = [submission.submitter]
    else:  # from the public intake form: the organization's secretary and clerks hear of it
        recipients = list(organization_contacts([submission.organization]))
    text = title % {"title": submission.title}
    url = reverse("submissions:detail", args=[submission.pk])
    transaction.on_commit(
        lambda: notify(
            actor=actor,
            recipients=recipients,
            kind=NOTIFY_KIND,
            title=text[:200],
            body=body,
            url=url,
        )
    )


def _comment(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise _problem(field, message)
    if len(text) > 2000:
        raise _problem(field, _("The text may have at most 2,000 characters."))
    return text


@transaction.atomic
def submission_send_back(*, actor: Any, submission: Submission, comment: str) -> Submission:
    """The organization's secretary sends an item back to its writer instead of approving it."""
    access.require(actor, perms.SUBMISSION_APPROVE, submission.organization)
    text = _comment(comment, "comment", _("Say what should be changed, so the writer knows."))
    _require_state(submission, SubmissionStatus.AWAITING_APPROVAL)
    submission.status = SubmissionStatus.RETURNED
    submission.comment = text
    submission.save(update_fields=["status", "comment", "updated_at"])
    _event(submission, actor, EventAction.RETURNED, text)
    audit_record(actor=actor, action="submissions.sent_back", target=submission)
    _tell_submitter(actor, submission, _("Your item was returned: %(title)s"), text)
    return submission


# ------------------------------------------------------------------------ the editors' decisions


def _claim(submission: Submission, to: str, actor: Any, **fields: Any) -> None:
    """Move a submitted item to ``to`` if, and only if, it is still submitted (a conditional
    update: of two editors deciding at once, the second finds it decided and is refused)."""
    now = timezone.now()
    claimed = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.SUBMITTED).update(
        status=to, decided_at=now, decided_by=_user(actor), updated_at=now, **fields
    )
    if not claimed:
        submission.refresh_from_db(fields=["status"])
        if submission.status == SubmissionStatus.ADOPTED:
            raise DomainError(_("This item was already adopted; it cannot be adopted twice."))
        raise DomainError(
            _("This cannot be done while the item is “%(status)s”.")
            % {"status": submission.get_status_display()}
        )
    submission.refresh_from_db()


def placement_of(column: Column) -> str:
    """Return where an article in ``column`` is used: the public or the internal site."""
    return Placement.PUBLIC if column.visibility == Visibility.PUBLIC else Placement.INTERNAL


@transaction.atomic
def submission_adopt(
    *, actor: Any, submission: Submission, column: Column, publish: bool = True
) -> Article:
    """Adopt a submitted item into ``column``: a portal article crediting the organization.

    ``publish``: the editor publishes it at once (the decision to adopt is the review); without
    it the article is left as a draft for the portal's own workflow. Adopting twice is refused,
    also when two editors press the button at the same moment.
    """
    access.require(actor, perms.SUBMISSION_REVIEW, submission)
    if column.link:
        raise _problem("column", _("Choose a column that holds articles."))
    if publish and not portal_perms.may_publish_in(actor, column):
        raise _problem(
            "column", _("You may not publish in the column %(column)s.") % {"column": column.name}
        )
    placement = placement_of(column)
    points = points_table()[placement]
    _claim(submission, SubmissionStatus.ADOPTED, actor, placement=placement, points=points)
    organization = submission.organization
    files = list(submission.files.all())
    body = submission.body
    for stored in files:
        if stored.role == FileRole.INLINE:
            body = body.replace(
                _inline_url(stored.uuid),
                reverse("portal:attachment_download", kwargs={"key": stored.uuid}),
            )
    article = article_create(
        actor=actor,
        organization=organization,
        column=column,
        title=submission.title,
        body=body,
        source_kind=SourceKind.GRASSROOTS,
        source_name=organization.name,
        author=submission.contact_name,
    )
    with files_removed_on_error() as written:
        for stored in files:
            with stored.file.open("rb") as stream:
                data = stream.read()
            checked, content = checked_bytes(
                data,
                name=stored.original_name,
                kind=_kind_of_type(stored.content_type),
            )
            save_file(
                article=article,
                checked=checked,
                content=content,
                uploaded_by=actor,
                written=written,
                key=stored.uuid if stored.role == FileRole.INLINE else None,
            )
    if publish:
        article_submit(actor=actor, article=article)
        article_publish(actor=actor, article=article)
    Submission.objects.filter(pk=submission.pk).update(article=article)
    submission.article = article
    _event(submission, actor, EventAction.ADOPTED, column.name)
    audit_record(
        actor=actor,
        action="submissions.adopted",
        target=submission,
        details={"article": article.pk, "column": column.slug, "points": points},
    )
    _tell_submitter(
        actor,
        submission,
        _("Your item was adopted: %(title)s"),
        _("It appears in the column %(column)s.") % {"column": column.name},
    )
    return article


def _kind_of_type(content_type: str) -> Any:
    from dangwu.core.files import KINDS

    for kind in KINDS.values():
        if kind.content_type == content_type:
            return kind
    raise DomainError(_("A file of this item is of an unknown type."))


@transaction.atomic
def submission_return(*, actor: Any, submission: Submission, comment: str) -> Submission:
    """Send a submitted item back with a comment; the submitter changes it and sends it again."""
    access.require(actor, perms.SUBMISSION_REVIEW, submission)
    text = _comment(comment, "comment", _("Say what should be changed, so the writer knows."))
    _claim(submission, SubmissionStatus.RETURNED, actor, comment=text)
    _event(submission, actor, EventAction.RETURNED, text)
    audit_record(actor=actor, action="submissions.returned", target=submission)
    _tell_submitter(actor, submission, _("Your item was returned: %(title)s"), text)
    return submission


@transaction.atomic
def submission_decline(*, actor: Any, submission: Submission, reason: str) -> Submission:
    """Decline a submitted item, saying why; it stays in the submitter's list as declined."""
    access.require(actor, perms.SUBMISSION_REVIEW, submission)
    text = _comment(reason, "reason", _("Give the reason, so the writer knows."))
    _claim(submission, SubmissionStatus.DECLINED, actor, comment=text)
    _event(submission, actor, EventAction.DECLINED, text)
    audit_record(actor=actor, action="submissions.declined", target=submission)
    _tell_submitter(actor, submission, _("Your item was not adopted: %(title)s"), text)
    return submission


@transaction.atomic
def submission_forward(*, actor: Any, submission: Submission) -> Submission:
    """Mark an adopted item as forwarded upward (上报); it earns that place's points too."""
    access.require(actor, perms.SUBMISSION_REVIEW, submission)
    extra = points_table()[Placement.UPWARD]
    updated = Submission.objects.filter(
        pk=submission.pk, status=SubmissionStatus.ADOPTED, forwarded=False
    ).update(forwarded=True, points=F("points") + extra, updated_at=timezone.now())
    if not updated:
        submission.refresh_from_db()
        if submission.forwarded:
            raise DomainError(_("This item was already forwarded upward."))
        raise DomainError(_("Only an adopted item can be forwarded upward."))
    submission.refresh_from_db()
    _event(submission, actor, EventAction.FORWARDED)
    audit_record(
        actor=actor, action="submissions.forwarded", target=submission, details={"points": extra}
    )
    _tell_submitter(actor, submission, _("Your item was forwarded upward: %(title)s"))
    return submission


# ------------------------------------------------------------------------------- calls (约稿)


@transaction.atomic
def call_create(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    due_on: date,
    description: str = "",
    organizations: list[Organization] | None = None,
    all_organizations: bool = False,
) -> Call:
    """Ask some or all organizations for items on a topic by a date; their contacts are told."""
    access.require(actor, perms.SUBMISSION_REVIEW, organization)
    title = " ".join((title or "").split())
    if not title:
        raise _problem("title", _("The topic is required."))
    if len(title) > 200:
        raise _problem("title", _("The title may have at most 200 characters."))
    if due_on < timezone.localdate():
        raise _problem("due_on", _("The date to answer by is in the past."))
    chosen = list(organizations or [])
    if not all_organizations and not chosen:
        raise _problem("organizations", _("Choose the organizations to ask, or ask all of them."))
    if problem := classification_problem(title, description):
        raise _problem("description", problem)
    call = Call.objects.create(
        organization=organization,
        title=title,
        description=description.strip(),
        due_on=due_on,
        all_organizations=all_organizations,
        created_by=_user(actor),
    )
    if not all_organizations:
        call.organizations.set(chosen)
    audit_record(
        actor=actor,
        action="submissions.call_created",
        target=call,
        details={"all": all_organizations, "organizations": len(chosen)},
    )
    asked = list(Organization.objects.filter(parent=organization)) if all_organizations else chosen
    recipients = list(organization_contacts(asked))
    url = reverse("submissions:create") + f"?call={call.pk}"
    transaction.on_commit(
        lambda: notify(
            actor=actor,
            recipients=recipients,
            kind="submissions.call",
            title=(_("Call for submissions: %(title)s") % {"title": title})[:200],
            body=_("Please send items by %(date)s.") % {"date": due_on.isoformat()},
            url=url,
        )
    )
    return call


# --------------------------------------------------------------------- the organization's rules


@transaction.atomic
def settings_change(
    *,
    actor: Any,
    organization: Organization,
    requires_approval: bool,
    members_may_submit: bool,
) -> SubmissionSettings:
    """Set whether items need the secretary's approval and whether members may submit."""
    access.require(actor, perms.SUBMISSION_SETTINGS, organization)
    rules, _created = SubmissionSettings.objects.get_or_create(organization=organization)
    rules.requires_approval = requires_approval
    rules.members_may_submit = members_may_submit
    rules.save(update_fields=["requires_approval", "members_may_submit", "updated_at"])
    audit_record(
        actor=actor,
        action="submissions.settings_changed",
        target=organization,
        details={"requires_approval": requires_approval, "members_may_submit": members_may_submit},
    )
    return rules


@transaction.atomic
def intake_code_issue(*, actor: Any, organization: Organization) -> str:
    """Give the organization a new code for the public intake form; return it (shown once).

    Only a salted slow hash is kept (and sent to the public site with the next bundle); a new
    code replaces the old one there too.
    """
    access.require(actor, perms.SUBMISSION_SETTINGS, organization)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    rules, _created = SubmissionSettings.objects.get_or_create(organization=organization)
    rules.intake_code_hash = make_password(code)
    rules.intake_code_set_at = timezone.now()
    rules.save(update_fields=["intake_code_hash", "intake_code_set_at", "updated_at"])
    audit_record(actor=actor, action="submissions.intake_code_issued", target=organization)
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@transaction.atomic
def intake_code_revoke(*, actor: Any, organization: Organization) -> None:
    """Withdraw the organization's intake code; the next bundle removes it from the public site."""
    access.require(actor, perms.SUBMISSION_SETTINGS, organization)
    SubmissionSettings.objects.filter(organization=organization).update(
        intake_code_hash="", intake_code_set_at=None
    )
    audit_record(actor=actor, action="submissions.intake_code_revoked", target=organization)


@transaction.atomic
def contact_reveal(*, actor: Any, submission: Submission) -> str:
    """Return the full contact phone of an item; every call is audited."""
    from dangwu.submissions.selectors import may_see

    if not may_see(actor, submission):
        access.require(actor, perms.SUBMISSION_REVIEW, submission)
    audit_record(actor=actor, action="submissions.contact_revealed", target=submission)
    return str(submission.contact_phone or "")


def received_from_intake(
    *, organization: Organization, values: dict[str, Any], uuid: str
) -> Submission:
    """Create the internal copy of an item from the public intake form (the exchange calls it
    inside the import's transaction, acting as the platform)."""
    cleaned = _clean_fields(values)
    submission = Submission.objects.create(
        uuid=uuid,
        organization=organization,
        submitter=None,
        submitter_name=cleaned["contact_name"],
        channel=Channel.PUBLIC_INTAKE,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=values.get("submitted_at") or timezone.now(),
        **cleaned,
    )
    _event(submission, None, EventAction.RECEIVED, values.get("note", ""))
    _tell_submitter(access.SYSTEM, submission, _("An item arrived from the public site: %(title)s"))
    return submission


@transaction.atomic
def score_rule_set(*, actor: Any, placement: str, points: int) -> ScoreRule:
    """Change how many points an adoption earns for ``placement`` (from now on; items already
    adopted keep the points they earned)."""
    access.require(actor, perms.SUBMISSION_REVIEW)
    if placement not in Placement.values:
        raise _problem("placement", _("Unknown place of use."))
    if not 0 <= points <= 100:
        raise _problem("points", _("Points must be between 0 and 100."))
    rule, _created = ScoreRule.objects.update_or_create(
        placement=placement, defaults={"points": points}
    )
    audit_record(
        actor=actor,
        action="submissions.score_rule_set",
        details={"placement": placement, "points": points},
    )
    return rule
