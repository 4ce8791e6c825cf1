"""Export and import in one process: what a bundle carries, and every refusal.

Refusals are checked here, where each reason code can be asserted; the round trip into a real,
separate public site is in test_round_trip.py. To receive in this process, a test turns the
test database into an empty public site first (``as_public_site``): the portal's rows go, so
whatever import writes is visible and whatever a refusal does not write stays absent.
"""

import base64
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import translation
from django.utils.translation import gettext

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden
from dangwu.exchange.bundle import BundleRefused, ExportFailed, private_key_load
from dangwu.exchange.enums import Direction
from dangwu.exchange.models import ExchangeLog
from dangwu.exchange.services import exchange_export, exchange_import, exchange_keygen
from dangwu.exchange.tests.conftest import INTERNAL_TITLES, PUBLIC_TITLE
from dangwu.portal.models import Article, Attachment, Column
from dangwu.portal.services import article_withdraw


def as_public_site(settings) -> None:
    """Make this process the receiving public site, with no portal content yet."""
    settings.SITE = "public"
    Attachment.objects.all().delete()
    Article.objects.all().delete()
    Column.objects.all().delete()


def manifest_of(bundle: Path) -> dict:
    with zipfile.ZipFile(bundle) as archive:
        return json.loads(archive.read("manifest.json"))


def rewrite(
    bundle: Path,
    *,
    manifest=None,
    files=None,
    key: Ed25519PrivateKey | None = None,
    name: str = "rewritten.zip",
) -> Path:
    """Copy ``bundle`` with a changed manifest / files, signed by ``key`` (else: old signature)."""
    with zipfile.ZipFile(bundle) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    body = entries["manifest.json"]
    if manifest is not None:
        data = json.loads(body)
        manifest(data)
        body = json.dumps(data, ensure_ascii=False).encode()
    entries["manifest.json"] = body
    if key is not None:
        entries["manifest.sig"] = base64.b64encode(key.sign(body))
    entries.update(files or {})
    target = bundle.with_name(name)
    with zipfile.ZipFile(target, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return target


def refused(bundle: Path) -> BundleRefused:
    with pytest.raises(BundleRefused) as caught:
        exchange_import(actor=SYSTEM, bundle=bundle)
    return caught.value


def assert_nothing_applied(media_before: set[str], media_root: Path) -> None:
    assert Article.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Column.objects.count() == 0
    assert not ExchangeLog.objects.filter(direction=Direction.IMPORT).exists()
    assert _files(media_root) == media_before


def _files(root: Path) -> set[str]:
    return {str(p) for p in Path(root).rglob("*") if p.is_file()}


# ----------------------------------------------------------------------------------- keys


def test_keygen_writes_a_private_key_only_its_owner_can_read(keys):
    mode = stat.S_IMODE(os.stat(keys.private).st_mode)
    assert mode == 0o600
    assert keys.key_id.startswith("ed25519:")
    assert private_key_load(keys.private) is not None
    assert AuditRecord.objects.filter(action="exchange.key_generated").exists()


def test_keygen_never_overwrites_an_existing_key(keys):
    before = keys.private.read_bytes()
    with pytest.raises(DomainError):
        exchange_keygen(actor=SYSTEM)
    assert keys.private.read_bytes() == before


def test_nobody_but_the_system_may_run_the_exchange(world, keys, tmp_path):
    for persona in ("sysadmin", "editor", "leader"):
        with pytest.raises(Forbidden):
            exchange_export(actor=world.user(persona), target="public", destination=tmp_path / "x")
    assert not ExchangeLog.objects.exists()


# --------------------------------------------------------------------------------- export


def test_export_carries_only_live_public_content(content, export):
    records = manifest_of(export())["records"]

    kinds = sorted((r["kind"], r["action"]) for r in records)
    assert kinds == [
        ("portal.article", "upsert"),
        ("portal.attachment", "upsert"),
        ("portal.column", "upsert"),
        ("portal.organization", "upsert"),
    ]
    [article] = [r for r in records if r["kind"] == "portal.article"]
    assert article["uuid"] == str(content["public"].uuid)
    assert article["data"]["title"] == PUBLIC_TITLE
    text = json.dumps(records, ensure_ascii=False)
    assert not any(title in text for title in INTERNAL_TITLES.values())
    # Who wrote it and how review went stay inside.
    assert "demo-editor" not in text
    assert "review_comment" not in text


def test_a_second_export_sends_only_what_changed(world, content, export, tmp_path):
    export()

    assert exchange_export(actor=SYSTEM, target="public", destination=tmp_path / "same.zip") is None
    assert not (tmp_path / "same.zip").exists()

    article_withdraw(actor=world.user("editor"), article=content["public"])
    manifest = manifest_of(export())
    assert manifest["sequence"] == 2
    assert manifest["previous_sequence"] == 1
    removed = sorted((r["kind"], r["uuid"]) for r in manifest["records"])
    assert all(r["action"] == "delete" for r in manifest["records"])
    assert ("portal.article", str(content["public"].uuid)) in removed
    assert manifest["files"] == []


def test_narrowing_a_column_removes_it_and_its_articles(content, export):
    export()
    Column.objects.filter(pk=content["news"].pk).update(visibility="internal")

    manifest = manifest_of(export())

    removals = {r["kind"] for r in manifest["records"] if r["action"] == "delete"}
    assert removals == {
        "portal.article",
        "portal.attachment",
        "portal.column",
        "portal.organization",
    }
    assert all(r["action"] == "delete" for r in manifest["records"])


def test_a_scheduled_article_is_sent_once_its_time_has_come(content, export):
    export()
    scheduled = content["scheduled"]
    Article.objects.filter(pk=scheduled.pk).update(publish_at=scheduled.created_at)

    records = manifest_of(export())["records"]

    assert [(r["kind"], r["uuid"]) for r in records] == [("portal.article", str(scheduled.uuid))]


def test_every_bundle_sent_is_kept_in_the_outbox(content, export, settings):
    bundle = export()
    kept = Path(settings.EXCHANGE_OUTBOX) / "internal-to-public-000001.zip"
    assert kept.read_bytes() == bundle.read_bytes()
    log = ExchangeLog.objects.get(direction=Direction.EXPORT)
    assert log.sequence == 1
    assert log.counts["portal.article"] == {"upsert": 1}


def test_export_without_a_signing_key_explains_how_to_make_one(content, keys, tmp_path):
    keys.private.unlink()
    with pytest.raises(ExportFailed) as caught:
        exchange_export(actor=SYSTEM, target="public", destination=tmp_path / "b.zip")
    assert "keygen" in caught.value.message
    assert not ExchangeLog.objects.exists()
    assert not (tmp_path / "b.zip").exists()


def test_the_public_site_sends_nothing_outward(content, keys, settings, tmp_path):
    settings.SITE = "public"
    with pytest.raises(DomainError):
        exchange_export(actor=SYSTEM, target="public", destination=tmp_path / "b.zip")


# --------------------------------------------------------------------------------- import


def test_a_valid_bundle_applies_and_is_logged(content, export, settings):
    bundle = export()
    picture = content["public"].attachments.get().file.read()
    as_public_site(settings)

    log = exchange_import(actor=SYSTEM, bundle=bundle)

    assert list(Article.objects.values_list("title", flat=True)) == [PUBLIC_TITLE]
    assert Article.objects.get().uuid == content["public"].uuid
    assert Attachment.objects.get().file.read() == picture
    assert (log.direction, log.peer, log.sequence) == ("import", "internal", 1)
    assert AuditRecord.objects.filter(action="exchange.imported").exists()


def test_a_changed_manifest_is_refused_and_changes_nothing(content, export, settings):
    bundle = export()
    as_public_site(settings)
    media = _files(settings.MEDIA_ROOT)

    def retitle(m):
        m["records"][2]["data"]["title"] = "篡改后的标题"

    error = refused(rewrite(bundle, manifest=retitle))

    assert error.reason == "bad_signature"
    assert_nothing_applied(media, settings.MEDIA_ROOT)
    assert AuditRecord.objects.filter(action="exchange.import_refused", success=False).exists()


def test_a_changed_file_is_refused_and_changes_nothing(content, export, settings):
    bundle = export()
    as_public_site(settings)
    media = _files(settings.MEDIA_ROOT)
    [name] = [f["name"] for f in manifest_of(bundle)["files"]]

    error = refused(rewrite(bundle, files={name: b"not the picture that was signed"}))

    assert error.reason == "bad_file"
    assert name in error.message
    assert_nothing_applied(media, settings.MEDIA_ROOT)


def test_an_unlisted_extra_file_is_refused(content, export, settings):
    bundle = export()
    as_public_site(settings)

    error = refused(rewrite(bundle, files={"files/../../evil": b"x"}))

    assert error.reason == "bad_file"
    assert Article.objects.count() == 0


def test_a_bundle_signed_with_another_key_is_refused(content, export, settings):
    bundle = export()
    as_public_site(settings)
    media = _files(settings.MEDIA_ROOT)
    stranger = Ed25519PrivateKey.generate()

    def claim_stranger(m):
        from dangwu.exchange.bundle import key_id

        m["key_id"] = key_id(stranger.public_key())

    error = refused(rewrite(bundle, manifest=claim_stranger, key=stranger))

    assert error.reason == "foreign_key"
    assert_nothing_applied(media, settings.MEDIA_ROOT)


def test_a_bundle_for_another_site_is_refused(content, export, settings, keys):
    bundle = export()
    as_public_site(settings)
    own_key = private_key_load(keys.private)

    def to_internal(m):
        m["target_site"] = "internal"

    def from_public(m):
        m["source_site"] = "public"

    assert refused(rewrite(bundle, manifest=to_internal, key=own_key)).reason == "wrong_target"
    assert refused(rewrite(bundle, manifest=from_public, key=own_key)).reason == "wrong_source"
    assert Article.objects.count() == 0


def test_a_replayed_bundle_is_refused(content, export, settings):
    bundle = export()
    as_public_site(settings)
    exchange_import(actor=SYSTEM, bundle=bundle)
    Article.objects.all().delete()  # were it applied again, the article would come back

    error = refused(bundle)

    assert error.reason == "replay"
    assert Article.objects.count() == 0
    assert ExchangeLog.objects.filter(direction=Direction.IMPORT).count() == 1


def test_a_bundle_out_of_order_is_refused_until_the_missing_one_is_applied(
    world, content, export, settings
):
    first = export()
    article_withdraw(actor=world.user("editor"), article=content["public"])
    second = export()
    as_public_site(settings)
    media = _files(settings.MEDIA_ROOT)

    error = refused(second)

    assert error.reason == "gap"
    with translation.override("zh-hans"):
        expected = gettext(
            "Bundle %(sequence)d is out of order: the last one applied here is %(last)d. "
            "Import bundle %(next)d first (copies are in the internal site's outbox)."
        ) % {"sequence": 2, "last": 0, "next": 1}
        assert refused(second).message == expected
    assert_nothing_applied(media, settings.MEDIA_ROOT)

    exchange_import(actor=SYSTEM, bundle=first)
    exchange_import(actor=SYSTEM, bundle=second)
    assert Article.objects.count() == 0
    assert ExchangeLog.objects.filter(direction=Direction.IMPORT).count() == 2


def test_applying_the_same_records_twice_leaves_one_copy(content, export, settings):
    first = export()
    again = export(full=True)
    as_public_site(settings)

    exchange_import(actor=SYSTEM, bundle=first)
    exchange_import(actor=SYSTEM, bundle=again)

    assert Article.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert Column.objects.count() == 1


def test_a_file_that_is_not_a_bundle_is_refused(settings, keys, tmp_path):
    settings.SITE = "public"
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK but not really a zip")

    assert refused(junk).reason == "not_a_bundle"
    assert refused(tmp_path / "missing.zip").reason == "not_a_bundle"


def test_non_public_content_in_a_signed_bundle_is_refused_and_its_files_removed(
    content, export, settings, keys
):
    bundle = export()
    as_public_site(settings)
    media = _files(settings.MEDIA_ROOT)

    def smuggle(m):
        # Attachments apply after articles: the file is written before the refusal.
        for record in m["records"]:
            if record["kind"] == "portal.article":
                record["data"]["visibility"] = "internal"
        m["records"].sort(key=lambda r: r["kind"] != "portal.attachment")

    signed = rewrite(bundle, manifest=smuggle, key=private_key_load(keys.private))
    error = refused(signed)

    assert error.reason == "not_public"
    assert_nothing_applied(media, settings.MEDIA_ROOT)


def test_a_broken_record_refuses_the_whole_bundle_and_removes_written_files(
    content, export, settings, keys
):
    bundle = export()
    as_public_site(settings)
    media = _files(settings.MEDIA_ROOT)

    def break_attachment(m):
        # The file is saved, then the row cannot be: its article does not exist.
        for record in m["records"]:
            if record["kind"] == "portal.attachment":
                record["data"]["size"] = "not a number"

    signed = rewrite(bundle, manifest=break_attachment, key=private_key_load(keys.private))
    error = refused(signed)

    assert error.reason == "cannot_apply"
    assert_nothing_applied(media, settings.MEDIA_ROOT)
