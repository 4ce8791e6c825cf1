"""Writing the tamper-evident audit trail.

Every record carries ``mac = HMAC-SM3(key, previous mac | record fields)``. Appends are
serialized through the one ``AuditChainHead`` row: updating it first takes the write lock
(a row lock on PostgreSQL, the database lock on SQLite), so two writers never share a parent.
"""

import json
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit import permissions as perms
from dangwu.audit.exports import audit_workbook
from dangwu.audit.models import AuditChainHead, AuditRecord
from dangwu.audit.selectors import AuditFilters, audit_records
from dangwu.core import crypto
from dangwu.core.errors import ValidationFailed
from dangwu.core.request_context import client_address

# One sheet holds at most 1,048,576 rows; refuse rather than write a file Excel cannot open.
EXPORT_MAX_ROWS = 1_000_000


def _canonical(record: AuditRecord) -> bytes:
    fields = [
        record.at.isoformat(),
        record.actor_name,
        record.action,
        record.target_type,
        record.target_id,
        record.target_repr,
        record.address,
        "1" if record.success else "0",
        json.dumps(record.details, sort_keys=True, ensure_ascii=False, default=str),
    ]
    return "\x1f".join(fields).encode()


def record_mac(previous_mac: str, record: AuditRecord) -> str:
    """Return the MAC that chains ``record`` to ``previous_mac``."""
    return crypto.audit_mac(previous_mac.encode() + b"\x1e" + _canonical(record))


def _describe(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    meta = getattr(target, "_meta", None)
    kind = meta.label_lower if meta is not None else type(target).__name__
    return kind, str(getattr(target, "pk", "") or ""), str(target)[:255]


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    success: bool = True,
    details: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditRecord:
    """Append one audit record (who, what, which object, when, from where).

    ``action`` is namespaced (``orgs.member_revealed``). Works inside or outside a transaction;
    when the surrounding transaction rolls back, so does its record.
    """
    user = actor if getattr(actor, "pk", None) is not None else None
    name = actor_name or (actor.get_username() if getattr(actor, "is_authenticated", False) else "")
    target_type, target_id, target_repr = _describe(target)
    return _append(
        AuditRecord(
            actor=user,
            actor_name=name,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            address=client_address.get() or "",
            success=success,
            # Round-trip through JSON so the MAC covers exactly what the database returns.
            details=json.loads(json.dumps(details or {}, default=str)),
        )
    )


def _append(record: AuditRecord) -> AuditRecord:
    """Stamp ``record`` with the time and its MAC, and add it to the end of the chain."""
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(pk=1)
        AuditChainHead.objects.filter(pk=1).update(count=F("count") + 1)
        head = AuditChainHead.objects.get(pk=1)
        record.at = timezone.now()
        record.mac = record_mac(head.last_mac, record)
        record.save()
        head.last_mac = record.mac
        head.save(update_fields=["last_mac"])
    return record


def audit_keep(record: AuditRecord) -> AuditRecord:
    """Make sure ``record`` is in the trail; append it again if its transaction rolled back.

    A refusal raised inside a service's transaction undoes the record of that refusal with
    everything else; whoever handles the error outside the transaction calls this.
    """
    if AuditRecord.objects.filter(pk=record.pk, mac=record.mac).exists():
        return record
    fields = ["actor_id", "actor_name", "action", "target_type", "target_id", "target_repr"]
    fields += ["address", "success", "details"]
    return _append(AuditRecord(**{field: getattr(record, field) for field in fields}))


def audit_chain_verify() -> int | None:
    """Return the id of the first record whose MAC does not verify, or None if intact."""
    previous = ""
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        if record.mac != record_mac(previous, record):
            return record.id
        previous = record.mac
    return None


def audit_chain_head_matches() -> bool:
    """Return True if the chain head still points at the last record.

    Removing records from the end of the trail leaves every remaining MAC valid; only the head,
    which every append updates, shows that the chain used to be longer.
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    last = AuditRecord.objects.order_by("-id").values_list("mac", flat=True).first()
    if head is None:
        return last is None
    return head.last_mac == (last or "") and head.count == AuditRecord.objects.count()


def audit_export(*, actor: Any, filters: AuditFilters) -> bytes:
    """Return the records matching ``filters`` as an Excel workbook.

    Only the audit administrator may; the export is itself recorded (``audit.exported``).
    """
    access.require(actor, perms.AUDIT_VIEW)
    records = audit_records(filters)
    if records.count() > EXPORT_MAX_ROWS:
        message = _("More than %(limit)d records match: narrow the filters, e.g. by date.") % {
            "limit": EXPORT_MAX_ROWS
        }
        raise ValidationFailed(message)
    content, rows = audit_workbook(records.iterator(chunk_size=2000))
    audit_record(
        actor=actor,
        action="audit.exported",
        details={"filters": filters.as_details(), "rows": rows},
    )
    return content
