"""The bundle file: a zip holding ``manifest.json``, its Ed25519 signature and the files.

    manifest.json   {format, format_version, source_site, target_site, sequence,
                     previous_sequence, created_at, key_id, full, counts,
                     records: [{kind, action, uuid, data}], files: [{name, sha256, size}]}
    manifest.sig    the Ed25519 signature of manifest.json's exact bytes, base64
    files/<sha256>  each file a record refers to, named by its SHA-256

The signature covers the manifest, and the manifest covers every file by hash and size, so one
signature check plus one hash per file proves the whole bundle. Nothing here touches the
database; services.py decides what a verified bundle may do.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.utils.translation import gettext as _

from dangwu.core.errors import DomainError
from dangwu.exchange.registry import OutgoingFile

FORMAT = "dangwu-exchange"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# A manifest is text: larger than this it is not ours (and would only exhaust memory).
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
FILE_NAME = re.compile(r"^files/[0-9a-f]{64}$")
CHUNK = 1024 * 1024


class BundleRefused(DomainError):
    """The bundle was not applied; ``reason`` is a stable code for the log and the tests."""

    status_code = 400

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ExportFailed(DomainError):
    """A bundle could not be written; nothing was recorded as sent."""


# ------------------------------------------------------------------------------------------ keys


def key_pair_generate() -> tuple[bytes, bytes]:
    """Return a new Ed25519 key pair as (private PEM, public PEM)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return private_pem, public_pem_of(private.public_key())


def public_pem_of(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(public: Ed25519PublicKey) -> str:
    """Return a short fingerprint naming the key pair (shown to operators, kept in the log)."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def private_key_load(path: Path) -> Ed25519PrivateKey:
    """Load the signing key, or explain how to make one."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise ExportFailed(
            _("There is no signing key at %(path)s. Run “dangwu exchange keygen” first.")
            % {"path": path}
        ) from None
    except (OSError, ValueError, TypeError) as exc:
        raise ExportFailed(
            _("The signing key at %(path)s cannot be read: %(error)s")
            % {"path": path, "error": exc}
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ExportFailed(_("The signing key at %(path)s is not an Ed25519 key.") % {"path": path})
    return key


def public_key_load(path: Path) -> Ed25519PublicKey:
    """Load the verification key, or refuse: without it no bundle can be trusted."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise BundleRefused(
            _(
                "There is no verification key at %(path)s. Copy the public key of the internal "
                "site there (see docs/exchange.md)."
            )
            % {"path": path},
            reason="no_key",
        ) from None
    except (OSError, ValueError) as exc:
        raise BundleRefused(
            _("The verification key at %(path)s cannot be read: %(error)s")
            % {"path": path, "error": exc},
            reason="no_key",
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise BundleRefused(
            _("The verification key at %(path)s is not an Ed25519 key.") % {"path": path},
            reason="no_key",
        )
    return key


# ---------------------------------------------------------------------------------------- writing


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_write(
    destination: Path,
    *,
    manifest: dict[str, Any],
    files: Iterable[OutgoingFile],
    private_key: Ed25519PrivateKey,
) -> tuple[str, int]:
    """Write and sign a bundle at ``destination``; return its SHA-256 and size.

    ``manifest`` gets its ``files`` list and ``key_id`` here, from what was actually written: a
    stored file whose bytes no longer match its recorded hash stops the export.
    """
    listed = []
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_STORED) as archive:
        for item in files:
            name = f"files/{item.sha256}"
            digest, size = hashlib.sha256(), 0
            with item.open() as source, archive.open(name, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
            if digest.hexdigest() != item.sha256:
                raise ExportFailed(
                    _("A stored file no longer matches its recorded hash %(sha256)s.")
                    % {"sha256": item.sha256}
                )
            listed.append({"name": name, "sha256": item.sha256, "size": size})
        manifest = {**manifest, "key_id": key_id(private_key.public_key()), "files": listed}
        body = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
        archive.writestr(MANIFEST, body, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(SIGNATURE, base64.b64encode(private_key.sign(body)) + b"\n")
    return _sha256_of(destination), destination.stat().st_size


# ---------------------------------------------------------------------------------------- reading


def _refuse(message: str, reason: str) -> BundleRefused:
    return BundleRefused(message, reason=reason)


def _not_a_bundle() -> BundleRefused:
    return _refuse(_("This file is not an exchange bundle, or it is damaged."), "not_a_bundle")


@dataclass
class VerifiedBundle:
    """A bundle whose signature and every file were checked; read files with ``open_file``."""

    archive: zipfile.ZipFile
    manifest: dict[str, Any]
    sha256: str
    size: int

    def open_file(self, sha256: str) -> IO[bytes]:
        return self.archive.open(f"files/{sha256}")

    def close(self) -> None:
        self.archive.close()


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _not_a_bundle() from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _not_a_bundle()
    return archive.read(info)


def _unverified_key_id(body: bytes) -> str:
    try:
        value = json.loads(body).get("key_id", "")
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def _check_signature(body: bytes, signature: bytes, public: Ed25519PublicKey) -> None:
    try:
        public.verify(base64.b64decode(signature.strip(), validate=True), body)
    except (InvalidSignature, ValueError):
        ours = key_id(public)
        claimed = _unverified_key_id(body)
        if claimed and claimed != ours:
            raise _refuse(
                _(
                    "This bundle was signed with another key (%(theirs)s), not the key of the "
                    "internal site this site trusts (%(ours)s). It is refused."
                )
                % {"theirs": claimed, "ours": ours},
                "foreign_key",
            ) from None
        raise _refuse(
            _(
                "The signature of this bundle does not match its contents: it was changed after "
                "it was signed. It is refused."
            ),
            "bad_signature",
        ) from None


def _check_manifest(body: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(body)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_bundle()
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(
            _(
                "This bundle has format version %(version)s; this site reads version "
                "%(supported)s. Update both sites to the same release."
            )
            % {"version": manifest.get("format_version"), "supported": FORMAT_VERSION},
            "unsupported_version",
        )
    shape = {
        "source_site": str,
        "target_site": str,
        "sequence": int,
        "previous_sequence": int,
        "created_at": str,
        "records": list,
        "files": list,
    }
    for key, kind in shape.items():
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise _refuse(
                _("The bundle's manifest is malformed (%(field)s).") % {"field": key}, "malformed"
            )
    return manifest


def _check_files(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["files"]:
        name = entry.get("name") if isinstance(entry, dict) else None
        if (
            not isinstance(name, str)
            or not FILE_NAME.match(name)
            or name != f"files/{entry.get('sha256')}"
            or not isinstance(entry.get("size"), int)
            or name in listed
        ):
            raise _refuse(
                _("The bundle's manifest is malformed (%(field)s).") % {"field": "files"},
                "malformed",
            )
        listed[name] = entry
    present = [info.filename for info in archive.infolist()]
    if len(present) != len(set(present)):
        raise _refuse(_("The bundle contains the same file twice. It is refused."), "bad_file")
    extra = set(present) - set(listed) - {MANIFEST, SIGNATURE}
    if extra:
        raise _refuse(
            _("The bundle contains a file its manifest does not list (%(name)s). It is refused.")
            % {"name": sorted(extra)[0]},
            "bad_file",
        )
    for name, entry in listed.items():
        try:
            info = archive.getinfo(name)
        except KeyError:
            raise _refuse(
                _("The file %(name)s listed in the manifest is missing. It is refused.")
                % {"name": name},
                "bad_file",
            ) from None
        digest, size = hashlib.sha256(), 0
        if info.file_size == entry["size"]:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > entry["size"]:
                        break
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise _refuse(
                _(
                    "The file %(name)s does not match the hash in the signed manifest: it was "
                    "changed or damaged on the way. It is refused."
                )
                % {"name": name},
                "bad_file",
            )


def bundle_open(path: Path, public_key: Ed25519PublicKey) -> VerifiedBundle:
    """Open the bundle at ``path`` and verify its signature and files, or raise BundleRefused."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise _refuse(_("There is no file at %(path)s.") % {"path": path}, "not_a_bundle") from None
    except (zipfile.BadZipFile, OSError):
        raise _not_a_bundle() from None
    try:
        body = _read_small(archive, MANIFEST)
        signature = _read_small(archive, SIGNATURE)
        _check_signature(body, signature, public_key)
        manifest = _check_manifest(body)
        _check_files(archive, manifest)
    except (zipfile.BadZipFile, OSError, EOFError):
        archive.close()
        raise _not_a_bundle() from None
    except BaseException:
        archive.close()
        raise
    return VerifiedBundle(
        archive=archive, manifest=manifest, sha256=_sha256_of(path), size=path.stat().st_size
    )
