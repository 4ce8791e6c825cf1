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

from dangwu.audit.models import AuditChainHead, AuditRecord
from dangwu.core import crypto
from dangwu.core.request_context import client_address


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
    details: dict | None = None,
    actor_name: str | None = None,
) -> AuditRecord:
    """Append one audit record (who, what, which object, when, from where).

    ``action`` is namespaced (``orgs.member_revealed``). Works inside or outside a transaction;
    when the surrounding transaction rolls back, so does its record.
    """
    user = actor if getattr(actor, "pk", None) is not None else None
    name = actor_name or (actor.get_username() if getattr(actor, "is_authenticated", False) else "")
    target_type, target_id, target_repr = _describe(target)
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(pk=1)
        AuditChainHead.objects.filter(pk=1).update(count=F("count") + 1)
        head = AuditChainHead.objects.get(pk=1)
        record = AuditRecord(
            at=timezone.now(),
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
        record.mac = record_mac(head.last_mac, record)
        record.save()
        head.last_mac = record.mac
        head.save(update_fields=["last_mac"])
    return record


def audit_chain_verify() -> int | None:
    """Return the id of the first record whose MAC does not verify, or None if intact."""
    previous = ""
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        if record.mac != record_mac(previous, record):
            return record.id
        previous = record.mac
    return None
