"""Fixtures of the exchange tests: keys, internal content, and a real public site to import into.

The public site is a separate process with ``DANGWU_SITE=public``, its own data directory and its
own SQLite database (never the test database), migrated once per module and copied per test.
"""

import json
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.core.visibility import Visibility
from dangwu.exchange.services import exchange_export, exchange_keygen
from dangwu.portal.attachments import attachment_add
from dangwu.portal.services import article_create, article_publish, article_submit, column_create

PUBLIC_TITLE = "机关党建动态公开报道"
# Titles that must never leave the internal site, in any form.
INTERNAL_TITLES = {
    "internal": "工委内部通知不得外传",
    "internal_in_public_column": "公开栏目中的内部文章",
    "draft": "尚未发布的公开草稿",
    "scheduled": "定时发布的明日文章",
}


def png_bytes(seed: int = 0) -> bytes:
    """Return a small valid PNG (one grey pixel whose shade is ``seed``)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(bytes([0, seed % 256]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def keys(db, settings, tmp_path):
    """A signing key pair, as `dangwu exchange keygen` makes it, in a private directory."""
    settings.EXCHANGE_PRIVATE_KEY = tmp_path / "keys" / "exchange-ed25519.key"
    settings.EXCHANGE_PUBLIC_KEY = tmp_path / "keys" / "exchange-ed25519.pub"
    settings.EXCHANGE_OUTBOX = tmp_path / "outbox"
    return exchange_keygen(actor=SYSTEM)


def publish(world, article, **options):
    editor = world.user("editor")
    article_submit(actor=editor, article=article)
    return article_publish(actor=editor, article=article, **options)


@pytest.fixture
def content(world):
    """One live public article with a picture, and four that must stay inside."""
    editor = world.user("editor")
    news = column_create(
        actor=SYSTEM, slug="news", name="机关党建动态", visibility=Visibility.PUBLIC, order=1
    )
    notices = column_create(
        actor=SYSTEM, slug="notices", name="工委通知通告", visibility=Visibility.INTERNAL
    )

    def write(title, column=news, **values):
        return article_create(
            actor=editor,
            organization=world.orgs["org1"],
            column=column,
            title=title,
            body=f"<p>{title}的正文。</p>",
            **values,
        )

    public = write(PUBLIC_TITLE)
    attachment_add(
        actor=editor,
        article=public,
        upload=SimpleUploadedFile("活动照片.png", png_bytes(1), content_type="image/png"),
    )
    publish(world, public)
    internal = publish(world, write(INTERNAL_TITLES["internal"], column=notices))
    mixed = publish(
        world,
        write(INTERNAL_TITLES["internal_in_public_column"], visibility=Visibility.INTERNAL),
    )
    draft = write(INTERNAL_TITLES["draft"])
    scheduled = publish(
        world,
        write(INTERNAL_TITLES["scheduled"]),
        publish_at=timezone.now() + timedelta(days=1),
    )
    return {
        "news": news,
        "notices": notices,
        "public": public,
        "internal": internal,
        "internal_in_public_column": mixed,
        "draft": draft,
        "scheduled": scheduled,
    }


@pytest.fixture
def export(keys, tmp_path):
    """``export()`` writes the next bundle for the public site and returns its path."""
    counter = iter(range(1, 1000))

    def run(*, full: bool = False) -> Path:
        destination = tmp_path / f"bundle-{next(counter)}.zip"
        log = exchange_export(actor=SYSTEM, target="public", destination=destination, full=full)
        assert log is not None, "nothing to export"
        return destination

    return run


# ------------------------------------------------------------------------- the real public site


def _public_env(data_dir: Path, public_key: Path | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DANGWU_SITE": "public",
        "DANGWU_DATA_DIR": str(data_dir),
        # Never the suite's PostgreSQL database: the public site has a database of its own.
        "DATABASE_URL": "",
        "DANGWU_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if public_key is not None:
        env["DANGWU_EXCHANGE_PUBLIC_KEY"] = str(public_key)
    return env


def _dangwu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own console command, fixed arguments
        [sys.executable, "-m", "dangwu.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def public_template(tmp_path_factory):
    """A migrated, empty public-site database (made once per module)."""
    data_dir = tmp_path_factory.mktemp("public-template")
    result = _dangwu("migrate", "--no-input", "-v0", env=_public_env(data_dir, None))
    assert result.returncode == 0, result.stderr
    return data_dir / "dangwu.sqlite3"


@dataclass
class PublicSite:
    data_dir: Path
    public_key: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "dangwu.sqlite3"

    def dangwu(self, *args: str) -> subprocess.CompletedProcess:
        return _dangwu(*args, env=_public_env(self.data_dir, self.public_key))

    def import_bundle(self, bundle: Path) -> subprocess.CompletedProcess:
        return self.dangwu("exchange", "import", str(bundle))

    def count(self, model, where: str = "1=1") -> int:
        with sqlite3.connect(self.database) as db:
            table = model._meta.db_table
            return db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]  # noqa: S608

    def values(self, model, column: str) -> list:
        with sqlite3.connect(self.database) as db:
            table = model._meta.db_table
            return [row[0] for row in db.execute(f"SELECT {column} FROM {table}")]  # noqa: S608

    def get(self, *paths: str) -> dict[str, tuple[int, str]]:
        """Fetch pages from the public site (its own URLconf, database and settings)."""
        script = (
            "import json\n"
            "from django.test import Client\n"
            "c = Client()\n"
            f"paths = {list(paths)!r}\n"
            "out = {}\n"
            "for p in paths:\n"
            "    r = c.get(p)\n"
            "    body = b''.join(r.streaming_content) if r.streaming else r.content\n"
            "    out[p] = [r.status_code, body.decode('utf-8', 'replace')]\n"
            "print('@@' + json.dumps(out))\n"
        )
        result = self.dangwu("shell", "--no-imports", "-c", script)
        assert result.returncode == 0, result.stderr
        return {p: tuple(v) for p, v in json.loads(result.stdout.split("@@", 1)[1]).items()}


@pytest.fixture
def public_site(public_template, tmp_path, keys):
    """A fresh public site that trusts the internal site's public key (and only that)."""
    data_dir = tmp_path / "public-site"
    data_dir.mkdir()
    shutil.copyfile(public_template, data_dir / "dangwu.sqlite3")
    key = data_dir / "trusted.pub"
    shutil.copyfile(keys.public, key)
    return PublicSite(data_dir=data_dir, public_key=key)
