"""The submissions app's record kinds in the signed exchange (docs/exchange.md).

- ``submissions.intake_access`` (internal → public): the organizations that may use the public
  intake form, with the hash of their intake code — no contacts, no tree, nothing else.
- ``submissions.intake`` (public → internal, handed over): the items of the intake form, with
  their pictures. They arrive in the editors' inbox as submitted by that organization; the
  public site removes them in the transaction that wrote the bundle, so it keeps nothing.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterator
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from dangwu.core.classification import classification_problem
from dangwu.core.errors import ValidationFailed
from dangwu.core.files import kind_of
from dangwu.core.html import html_to_text, sanitize_html
from dangwu.exchange.bundle import BundleRefused
from dangwu.exchange.enums import Site
from dangwu.exchange.registry import (
    ApplyContext,
    Outgoing,
    OutgoingFile,
    RecordKind,
    register_kind,
)
from dangwu.orgs.models import Organization
from dangwu.submissions.enums import FileRole
from dangwu.submissions.models import (
    IntakeAccess,
    IntakeFile,
    IntakeItem,
    Submission,
    SubmissionFile,
    SubmissionSettings,
)

INTAKE_ACCESS = "submissions.intake_access"
INTAKE = "submissions.intake"


# ------------------------------------------------------------- internal → public: who may send


def collect_intake_access() -> Iterator[Outgoing]:
    rules = (
        SubmissionSettings.objects.exclude(intake_code_hash="")
        .select_related("organization")
        .order_by("id")
    )
    for rule in rules:
        org = rule.organization
        yield Outgoing(
            uuid=str(rule.uuid),
            data={
                "organization_code": org.code,
                "organization_name": org.name,
                "code_hash": rule.intake_code_hash,
            },
        )


def apply_intake_access(ctx: ApplyContext, uuid: str, data: dict[str, Any]) -> None:
    code = data["organization_code"]
    IntakeAccess.objects.filter(organization_code=code).exclude(uuid=uuid).delete()
    IntakeAccess.objects.update_or_create(
        uuid=uuid,
        defaults={
            "organization_code": code,
            "organization_name": data["organization_name"],
            "code_hash": data["code_hash"],
        },
    )


def remove_intake_access(ctx: ApplyContext, uuid: str) -> None:
    IntakeAccess.objects.filter(uuid=uuid).delete()


# ------------------------------------------------------------ public → internal: the items


def _opener(stored: IntakeFile) -> Any:
    def open_file() -> IO[bytes]:
        return stored.file.open("rb")

    return open_file


def collect_intake() -> Iterator[Outgoing]:
    for item in IntakeItem.objects.prefetch_related("files").order_by("id"):
        files = list(item.files.all())
        yield Outgoing(
            uuid=str(item.uuid),
            data={
                "organization_code": item.organization_code,
                "title": item.title,
                "kind": item.kind,
                "body": item.body,
                "contact_name": item.contact_name,
                "contact_phone": str(item.contact_phone or ""),
                "created_at": item.created_at.isoformat(),
                "files": [
                    {
                        "uuid": str(f.uuid),
                        "role": f.role,
                        "name": f.original_name,
                        "sha256": f.sha256,
                        "size": f.size,
                    }
                    for f in files
                ],
            },
            files=tuple(OutgoingFile(sha256=f.sha256, open=_opener(f)) for f in files),
        )


def hand_over_intake(uuids: list[str]) -> None:
    """Remove the items a bundle carries (inside the export's transaction); their files go
    once it commits."""
    from django.db import transaction

    files = list(IntakeFile.objects.filter(item__uuid__in=uuids))
    names = [(f.file.storage, f.file.name) for f in files]
    IntakeItem.objects.filter(uuid__in=uuids).delete()
    for storage, name in names:
        transaction.on_commit(partial(storage.delete, name))


def apply_intake(ctx: ApplyContext, uuid: str, data: dict[str, Any]) -> None:
    from datetime import datetime

    from dangwu.submissions.services import received_from_intake

    if Submission.objects.filter(uuid=uuid).exists():
        return  # applied before: idempotent by uuid
    body = sanitize_html(data.get("body", ""))
    if problem := classification_problem(data["title"], html_to_text(body)):
        raise BundleRefused(problem, reason="classified")
    organization = Organization.objects.filter(code=data["organization_code"]).first()
    note = ""
    if organization is None:
        # The organization was removed here since it got its code: keep the item, at the top.
        organization = Organization.objects.filter(parent__isnull=True).order_by("path").first()
        if organization is None:
            raise ValueError("no organization to receive the item")
        note = _("Sent for the organization code %(code)s, which no longer exists.") % {
            "code": data["organization_code"]
        }
    values = {
        "title": data["title"],
        "kind": data["kind"],
        "body": body,
        "contact_name": data.get("contact_name", ""),
        "contact_phone": data.get("contact_phone", ""),
        "submitted_at": datetime.fromisoformat(data["created_at"]),
        "note": note,
    }
    try:
        submission = received_from_intake(organization=organization, values=values, uuid=uuid)
    except ValidationFailed as error:
        raise ValueError(error.message) from error
    for entry in data.get("files", []):
        with ctx.open_file(entry["sha256"]) as stream:
            content = stream.read(settings.UPLOAD_MAX_BYTES + 1)
        kind = kind_of(ContentFile(content))
        if kind is None or not kind.is_image or len(content) > settings.UPLOAD_MAX_BYTES:
            raise ValueError("an intake file is not a picture")
        role = entry["role"] if entry["role"] in (FileRole.PHOTO, FileRole.INLINE) else "photo"
        stored = SubmissionFile(
            uuid=uuid_module.UUID(entry["uuid"]),
            submission=submission,
            role=role,
            original_name=entry["name"][:255],
            content_type=kind.content_type,
            size=len(content),
            sha256=entry["sha256"],
        )
        stored.file.save("upload", ContentFile(content), save=False)
        ctx.stored(stored.file.name)
        stored.save()


def ignore_removal(ctx: ApplyContext, uuid: str) -> None:
    """Items are handed over, never removed afterwards: the internal site keeps them."""


register_kind(
    RecordKind(
        name=INTAKE_ACCESS,
        source=Site.INTERNAL,
        target=Site.PUBLIC,
        order=50,
        collect=collect_intake_access,
        upsert=apply_intake_access,
        delete=remove_intake_access,
    )
)
register_kind(
    RecordKind(
        name=INTAKE,
        source=Site.PUBLIC,
        target=Site.INTERNAL,
        order=10,
        collect=collect_intake,
        upsert=apply_intake,
        delete=ignore_removal,
        handed_over=hand_over_intake,
    )
)
