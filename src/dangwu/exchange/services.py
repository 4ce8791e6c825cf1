"""Export and import of signed bundles between the internal and the public site.

``exchange_export`` (on the sending site) compares the records that should exist on the other
site now with what was sent before and writes the difference — new and changed records, and
removals for whatever stopped qualifying (withdrawn, narrowed, deleted) — as the next bundle in
the sequence. ``exchange_import`` (on the receiving site) verifies the signature and every file,
refuses foreign, replayed and out-of-order bundles, and applies the records in one transaction,
idempotently by uuid. Both run as ``access.SYSTEM`` from ``dangwu exchange`` and are audited.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid as uuid_module
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.errors import DomainError
from dangwu.exchange import permissions as perms
from dangwu.exchange.bundle import (
    FORMAT,
    FORMAT_VERSION,
    BundleRefused,
    ExportFailed,
    VerifiedBundle,
    bundle_open,
    bundle_write,
    key_id,
    key_pair_generate,
    private_key_load,
    public_key_load,
)
from dangwu.exchange.enums import Action, Direction, Site
from dangwu.exchange.models import ExchangeLog, ExportedRecord
from dangwu.exchange.registry import (
    ApplyContext,
    OutgoingFile,
    RecordKind,
    collect_all,
    kind_named,
    kinds_for,
    routes,
)
from dangwu.exchange.selectors import last_sequence


@dataclass(frozen=True)
class KeyFiles:
    private: Path
    public: Path
    key_id: str


def exchange_keygen(
    *, actor: Any, private_path: Path | None = None, public_path: Path | None = None
) -> KeyFiles:
    """Create the signing key pair; the private key is readable by its owner only (0600).

    Refuses to overwrite an existing key: rotating is a deliberate procedure (docs/exchange.md).
    """
    access.require(actor, perms.EXCHANGE_RUN)
    private_path = Path(private_path or settings.EXCHANGE_PRIVATE_KEY)
    public_path = Path(public_path or settings.EXCHANGE_PUBLIC_KEY)
    for path in (private_path, public_path):
        if path.exists():
            raise DomainError(
                _(
                    "A key already exists at %(path)s. To replace it, follow “Rotating the key” "
                    "in docs/exchange.md."
                )
                % {"path": path}
            )
    private_pem, public_pem = key_pair_generate()
    for path in (private_path, public_path):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # O_EXCL + mode: the private key is never, even briefly, readable by others.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(private_pem)
    public_path.write_bytes(public_pem)
    fingerprint = key_id(private_key_load(private_path).public_key())
    audit_record(
        actor=actor,
        action="exchange.key_generated",
        details={"key_id": fingerprint, "public_key": str(public_path)},
    )
    return KeyFiles(private=private_path, public=public_path, key_id=fingerprint)


# ----------------------------------------------------------------------------------------- export


def _digest(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _counts(records: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    counter = Counter((r["kind"], r["action"]) for r in records)
    counts: dict[str, dict[str, int]] = {}
    for (kind, action), number in sorted(counter.items()):
        counts.setdefault(kind, {})[action] = number
    return counts


def _remember_sent(target: str, changed: dict[tuple[str, str], str], gone: list[Any]) -> None:
    """Bring ExportedRecord in line with what the other site holds once this bundle is applied."""
    by_kind: dict[str, list[str]] = {}
    for kind, uuid in [*changed, *gone]:
        by_kind.setdefault(kind, []).append(uuid)
    for kind, uuids in by_kind.items():
        for start in range(0, len(uuids), 500):
            ExportedRecord.objects.filter(
                peer=target, kind=kind, uuid__in=uuids[start : start + 500]
            ).delete()
    ExportedRecord.objects.bulk_create(
        [
            ExportedRecord(peer=target, kind=kind, uuid=uuid, digest=digest)
            for (kind, uuid), digest in changed.items()
        ],
        batch_size=500,
    )


@transaction.atomic
def exchange_export(
    *, actor: Any, target: str, destination: Path, full: bool = False
) -> ExchangeLog | None:
    """Write the next bundle for ``target`` at ``destination``; None when nothing changed.

    ``full`` sends every current record again (the other site applies them idempotently), for
    when files there were lost. A copy of each bundle is kept in ``EXCHANGE_OUTBOX``.
    """
    access.require(actor, perms.EXCHANGE_RUN)
    source = settings.SITE
    if (source, target) not in routes():
        raise DomainError(
            _("Nothing is sent from %(source)s to %(target)s.")
            % {"source": site_label(source), "target": site_label(target)}
        )
    private_key = private_key_load(Path(settings.EXCHANGE_PRIVATE_KEY))
    previous = last_sequence(direction=Direction.EXPORT, peer=target)
    held = {
        (kind, str(uuid)): digest
        for kind, uuid, digest in ExportedRecord.objects.filter(peer=target).values_list(
            "kind", "uuid", "digest"
        )
    }
    records: list[dict[str, Any]] = []
    files: dict[str, OutgoingFile] = {}
    current: dict[tuple[str, str], str] = {}
    changed: dict[tuple[str, str], str] = {}
    handed: dict[str, tuple[RecordKind, list[str]]] = {}
    for kind, record in collect_all(source, target):
        key = (kind.name, record.uuid)
        if kind.handed_over is not None:
            # Moved, not replicated: always sent, never remembered, removed here once written.
            handed.setdefault(kind.name, (kind, []))[1].append(record.uuid)
            records.append(
                {
                    "kind": kind.name,
                    "action": Action.UPSERT,
                    "uuid": record.uuid,
                    "data": record.data,
                }
            )
            files.update((f.sha256, f) for f in record.files)
            continue
        current[key] = digest = _digest(record.data)
        if full or held.get(key) != digest:
            changed[key] = digest
            records.append(
                {
                    "kind": kind.name,
                    "action": Action.UPSERT,
                    "uuid": record.uuid,
                    "data": record.data,
                }
            )
            files.update((f.sha256, f) for f in record.files)
    order = {k.name: k.order for k in kinds_for(source, target)}
    gone = sorted((key for key in held if key not in current), key=lambda k: -order.get(k[0], 0))
    records += [
        {"kind": kind, "action": Action.DELETE, "uuid": uuid, "data": {}} for kind, uuid in gone
    ]
    if not records and not full:
        return None
    sequence = previous + 1
    created_at = timezone.now()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "source_site": source,
        "target_site": target,
        "sequence": sequence,
        "previous_sequence": previous,
        "created_at": created_at.isoformat(),
        "full": full,
        "counts": _counts(records),
        "records": records,
    }
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".partial")
    try:
        sha256, size = bundle_write(
            partial, manifest=manifest, files=list(files.values()), private_key=private_key
        )
        _remember_sent(target, changed, gone)
        for handed_kind, uuids in handed.values():
            handed_kind.handed_over(uuids)  # type: ignore[misc]  # not None: checked above
        log = ExchangeLog.objects.create(
            direction=Direction.EXPORT,
            peer=target,
            sequence=sequence,
            bundle_created_at=created_at,
            counts=manifest["counts"],
            full=full,
            bundle_sha256=sha256,
            bundle_size=size,
            key_id=key_id(private_key.public_key()),
        )
        outbox = Path(settings.EXCHANGE_OUTBOX)
        outbox.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(partial, outbox / f"{source}-to-{target}-{sequence:06d}.zip")
        partial.replace(destination)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportFailed(
            _("The bundle could not be written: %(error)s") % {"error": exc.strerror or exc}
        ) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    audit_record(
        actor=actor,
        action="exchange.exported",
        target=log,
        details={"target": target, "sequence": sequence, "counts": log.counts, "sha256": sha256},
    )
    return log


# ----------------------------------------------------------------------------------------- import


def _refuse(message: str, reason: str) -> BundleRefused:
    return BundleRefused(message, reason=reason)


def site_label(code: str) -> str:
    """Return the readable name of a site code ("内网站点"), or the code if unknown."""
    return str(Site(code).label) if code in Site.values else code


def _check_route(manifest: dict[str, Any]) -> None:
    here = settings.SITE
    if manifest["target_site"] != here:
        raise _refuse(
            _("This bundle is meant for %(target)s; this is %(here)s.")
            % {"target": site_label(manifest["target_site"]), "here": site_label(here)},
            "wrong_target",
        )
    if (manifest["source_site"], here) not in routes():
        raise _refuse(
            _("This site accepts no bundles from %(source)s.")
            % {"source": site_label(manifest["source_site"])},
            "wrong_source",
        )


def _check_sequence(manifest: dict[str, Any]) -> None:
    sequence = manifest["sequence"]
    last = last_sequence(direction=Direction.IMPORT, peer=manifest["source_site"])
    if manifest["previous_sequence"] != sequence - 1 or sequence < 1:
        raise _refuse(
            _("The bundle's manifest is malformed (%(field)s).") % {"field": "sequence"},
            "malformed",
        )
    if sequence <= last:
        raise _refuse(
            _(
                "Bundle %(sequence)d was already applied (the last one applied here is "
                "%(last)d). It is not applied again."
            )
            % {"sequence": sequence, "last": last},
            "replay",
        )
    if sequence != last + 1:
        raise _refuse(
            _(
                "Bundle %(sequence)d is out of order: the last one applied here is %(last)d. "
                "Import bundle %(next)d first (copies are in the internal site's outbox)."
            )
            % {"sequence": sequence, "last": last, "next": last + 1},
            "gap",
        )


def _checked_records(manifest: dict[str, Any]) -> list[tuple[RecordKind, dict[str, Any]]]:
    """Return the records in the order they apply: creations parents first, then removals."""
    here = settings.SITE
    checked = []
    for record in manifest["records"]:
        kind = kind_named(record.get("kind", "")) if isinstance(record, dict) else None
        if kind is None or (kind.source, kind.target) != (manifest["source_site"], here):
            raise _refuse(
                _("The bundle carries records of a kind this site does not take (%(kind)s).")
                % {"kind": record.get("kind") if isinstance(record, dict) else "?"},
                "unknown_kind",
            )
        try:
            valid = (
                record.get("action") in Action.values
                and str(uuid_module.UUID(record.get("uuid", ""))) == record["uuid"]
                and isinstance(record.get("data"), dict)
            )
        except (ValueError, TypeError, AttributeError):
            valid = False
        if not valid:
            raise _refuse(
                _("The bundle's manifest is malformed (%(field)s).") % {"field": "records"},
                "malformed",
            )
        checked.append((kind, record))

    def position(item: tuple[RecordKind, dict[str, Any]]) -> tuple[int, int]:
        kind, record = item
        if record["action"] == Action.UPSERT:
            return (0, kind.order)
        return (1, -kind.order)

    return sorted(checked, key=position)  # stable: the sender's order within a kind is kept


def _opener(verified: VerifiedBundle) -> Any:
    listed = {entry["sha256"] for entry in verified.manifest["files"]}

    def open_file(sha256: str) -> IO[bytes]:
        if sha256 not in listed:
            raise _refuse(
                _("A record refers to a file the bundle does not contain (%(sha256)s).")
                % {"sha256": sha256},
                "bad_file",
            )
        return verified.open_file(sha256)

    return open_file


def _apply(verified: VerifiedBundle, path: Path) -> ExchangeLog:
    manifest = verified.manifest
    _check_route(manifest)
    _check_sequence(manifest)
    records = _checked_records(manifest)
    created_at = parse_datetime(manifest["created_at"])
    if created_at is None:
        raise _refuse(
            _("The bundle's manifest is malformed (%(field)s).") % {"field": "created_at"},
            "malformed",
        )
    context = ApplyContext(open_file=_opener(verified))
    try:
        with transaction.atomic():
            # Checked again under the write lock; the unique constraint stops a concurrent twin.
            _check_sequence(manifest)
            log = ExchangeLog.objects.create(
                direction=Direction.IMPORT,
                peer=manifest["source_site"],
                sequence=manifest["sequence"],
                bundle_created_at=created_at,
                counts=_counts([record for _kind, record in records]),
                full=bool(manifest.get("full")),
                bundle_sha256=verified.sha256,
                bundle_size=verified.size,
                key_id=str(manifest.get("key_id", "")),
            )
            for kind, record in records:
                if record["action"] == Action.UPSERT:
                    kind.upsert(context, record["uuid"], record["data"])
                else:
                    kind.delete(context, record["uuid"])
            context.run_later()
            audit_record(
                actor=access.SYSTEM,
                action="exchange.imported",
                target=log,
                details={
                    "source": log.peer,
                    "sequence": log.sequence,
                    "counts": log.counts,
                    "sha256": log.bundle_sha256,
                    "file": path.name,
                },
            )
    except (KeyError, ValueError, TypeError, ObjectDoesNotExist, ValidationError) as exc:
        context.clean_up()
        raise _refuse(
            _("The bundle could not be applied (%(error)s). Nothing was changed.")
            % {"error": exc.__class__.__name__},
            "cannot_apply",
        ) from exc
    except DatabaseError as exc:
        context.clean_up()
        raise _refuse(
            _("The bundle could not be applied (%(error)s). Nothing was changed.") % {"error": exc},
            "cannot_apply",
        ) from exc
    except BaseException:
        context.clean_up()
        raise
    return log


def exchange_import(*, actor: Any, bundle: Path) -> ExchangeLog:
    """Verify the bundle at ``bundle`` and apply it, or refuse it and change nothing.

    Refusals (BundleRefused, with a ``reason``) are audited as ``exchange.import_refused``.
    """
    access.require(actor, perms.EXCHANGE_RUN)
    path = Path(bundle)
    try:
        verified = bundle_open(path, public_key_load(Path(settings.EXCHANGE_PUBLIC_KEY)))
        try:
            return _apply(verified, path)
        finally:
            verified.close()
    except BundleRefused as refused:
        audit_record(
            actor=actor,
            action="exchange.import_refused",
            success=False,
            details={"reason": refused.reason, "file": path.name, "message": refused.message},
        )
        raise
