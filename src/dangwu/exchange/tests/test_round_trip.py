"""Internal site → bundle → a real public site (its own process, settings and database).

Each public-site step is a separate process, so these tests are few and each checks much; the
refusals one by one are in test_services.py.
"""

import zipfile

import pytest

from dangwu.accounts.models import ApiToken, RoleAssignment, User
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import Forbidden
from dangwu.exchange.models import ExchangeLog
from dangwu.exchange.services import exchange_import
from dangwu.exchange.tests.conftest import INTERNAL_TITLES, PUBLIC_TITLE
from dangwu.orgs.models import Member, Organization
from dangwu.portal.models import Article, ArticleRevision, Attachment, Column
from dangwu.portal.services import article_withdraw


def _bundle_bytes(path) -> bytes:
    """Every byte the bundle carries, unpacked (the manifest is compressed inside the zip)."""
    with zipfile.ZipFile(path) as archive:
        return path.read_bytes() + b"".join(archive.read(name) for name in archive.namelist())


def test_no_internal_title_or_file_is_inside_the_bundle(content, export):
    bundle = export()

    carried = _bundle_bytes(bundle)
    assert PUBLIC_TITLE.encode() in carried
    for title in INTERNAL_TITLES.values():
        assert title.encode() not in carried
    assert "工委通知通告".encode() not in carried  # the internal column's name
    with zipfile.ZipFile(bundle) as archive:
        files = [n for n in archive.namelist() if n.startswith("files/")]
    assert files == [f"files/{content['public'].attachments.get().sha256}"]


def test_the_public_site_shows_the_public_article_and_holds_nothing_internal(
    content, export, public_site
):
    result = public_site.import_bundle(export())

    assert result.returncode == 0, result.stderr
    assert public_site.values(Article, "title") == [PUBLIC_TITLE]
    assert public_site.values(Column, "slug") == ["news"]
    attachment = content["public"].attachments.get()
    assert public_site.values(Attachment, "sha256") == [attachment.sha256]
    # Nothing of the internal site's people, accounts, history or other content.
    for model in (Member, User, RoleAssignment, ApiToken, ArticleRevision):
        assert public_site.count(model) == 0, model.__name__
    # Only the contributing organization, by name: no contacts, no secretary, no tree.
    assert public_site.values(Organization, "code") == ["A01"]
    bare = (
        "contact_person = '' AND contact_phone = '' AND secretary_id IS NULL"
        " AND parent_id IS NULL AND network_access = 'unknown'"
    )
    assert public_site.count(Organization, bare) == 1
    assert public_site.count(Article, "visibility != 'public' OR status != 'published'") == 0
    assert public_site.count(Article, "review_comment != '' OR created_by_id IS NOT NULL") == 0
    assert set(public_site.values(AuditRecord, "action")) == {"exchange.imported"}
    raw = public_site.database.read_bytes()
    for title in INTERNAL_TITLES.values():
        assert title.encode() not in raw
    # The pages, feed, sitemap, search and download of the public site serve it.
    [article_id] = public_site.values(Article, "id")
    file_url = f"/files/{attachment.uuid}/"
    search = "/search/?q=党建+报道"
    pages = public_site.get(
        "/", "/c/news/", "/c/news/rss.xml", f"/a/{article_id}/", search, "/sitemap.xml", file_url
    )
    for path in ("/", "/c/news/", "/c/news/rss.xml", f"/a/{article_id}/"):
        status, body = pages[path]
        assert status == 200, path
        assert PUBLIC_TITLE in body, path
    for path in (search, "/sitemap.xml"):
        assert pages[path][0] == 200, path
        assert f"/a/{article_id}/" in pages[path][1], path  # search highlights inside titles
    assert pages[file_url][0] == 200
    for path, (_status, body) in pages.items():
        assert not any(title in body for title in INTERNAL_TITLES.values()), path


def test_a_withdrawal_reaches_the_public_site_and_a_replay_is_refused(
    world, content, export, public_site
):
    first = export()
    assert public_site.import_bundle(first).returncode == 0
    [stored] = public_site.values(Attachment, "file")
    assert (public_site.data_dir / "media" / stored).exists()

    article_withdraw(actor=world.user("editor"), article=content["public"])
    result = public_site.import_bundle(export())

    assert result.returncode == 0, result.stderr
    assert public_site.count(Article) == 0
    assert public_site.count(Attachment) == 0
    assert public_site.count(Column) == 1  # the column itself is still public
    assert not (public_site.data_dir / "media" / stored).exists()

    replayed = public_site.import_bundle(first)

    assert replayed.returncode == 1
    assert "exchange" not in replayed.stdout
    assert public_site.count(Article) == 0
    assert public_site.count(ExchangeLog, "direction = 'import'") == 2


def test_a_public_site_without_the_key_refuses_everything(content, export, public_site):
    public_site.public_key.unlink()

    result = public_site.import_bundle(export())

    assert result.returncode == 1
    assert str(public_site.public_key) in result.stderr
    assert public_site.count(Article) == 0
    assert public_site.count(ExchangeLog) == 0


def test_no_person_may_import_not_even_the_system_administrator(world, tmp_path):
    with pytest.raises(Forbidden):
        exchange_import(actor=world.user("sysadmin"), bundle=tmp_path / "x.zip")
