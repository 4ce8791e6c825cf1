"""The portal's record kinds on the route internal → public.

What travels: public columns (whose parents are public too), live public articles in them, their
attachments and cover images, and for each article only the *name* of its contributing
organization (code, name, short name, kind — never contacts, secretary or tree). Nothing else
of the internal site leaves it: no revisions, review comments, authors' accounts or counts.

The ``upsert`` / ``delete`` functions are the writers of replicated content on the public site;
services.exchange_import calls them inside its one transaction after the bundle was verified.
They check again that everything they write is public, live and unclassified.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime
from functools import partial
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu.core.classification import classification_problem
from dangwu.core.html import html_to_text, sanitize_html
from dangwu.core.search import index_on_commit
from dangwu.core.visibility import Visibility
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
from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Article, Attachment, Column
from dangwu.portal.search import ARTICLE as SEARCH_ARTICLE

ORGANIZATION = "portal.organization"
COLUMN = "portal.column"
ARTICLE = "portal.article"
ATTACHMENT = "portal.attachment"

# Organizations have no uuid of their own; their code names them on both sites.
_ORG_NAMESPACE = uuid_module.UUID("6f0b7f0e-4c5e-4b8a-9f57-3d1c2a7e9b10")


def organization_uuid(code: str) -> str:
    return str(uuid_module.uuid5(_ORG_NAMESPACE, code))


# ------------------------------------------------------------------------ sending (internal site)


def public_columns() -> list[Column]:
    """Return the public columns whose whole chain of parents is public, parents first."""
    columns = list(
        Column.objects.filter(visibility=Visibility.PUBLIC, link="").order_by("order", "id")
    )
    by_id = {c.pk: c for c in columns}
    chosen: dict[int, Column] = {}
    # Repeat until stable: a column qualifies once its parent did (trees here are shallow).
    changed = True
    while changed:
        changed = False
        for column in columns:
            if column.pk in chosen:
                continue
            if column.parent_id is None or column.parent_id in chosen:
                chosen[column.pk] = by_id[column.pk]
                changed = True
    return list(chosen.values())


def _live_public_articles(column_ids: list[int]) -> Any:
    return (
        Article.objects.filter(
            status=ArticleStatus.PUBLISHED,
            publish_at__lte=timezone.now(),
            visibility=Visibility.PUBLIC,
            column_id__in=column_ids,
        )
        .select_related("column", "organization", "cover")
        .prefetch_related("extra_columns")
        .order_by("id")
    )


def _collect_organizations() -> list[Outgoing]:
    column_ids = [c.pk for c in public_columns()]
    used = _live_public_articles(column_ids).values("organization_id")
    organizations = Organization.objects.filter(pk__in=used).order_by("code")
    return [
        Outgoing(
            uuid=organization_uuid(org.code),
            data={
                "code": org.code,
                "name": org.name,
                "short_name": org.short_name,
                "kind": org.kind,
            },
        )
        for org in organizations
    ]


def _collect_columns() -> list[Outgoing]:
    columns = public_columns()
    uuids = {c.pk: str(c.uuid) for c in columns}
    return [
        Outgoing(
            uuid=str(c.uuid),
            data={
                "slug": c.slug,
                "name": c.name,
                "parent": uuids.get(c.parent_id) if c.parent_id else None,
                "description": c.description,
                "order": c.order,
            },
        )
        for c in columns
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _collect_articles() -> list[Outgoing]:
    columns = public_columns()
    uuids = {c.pk: str(c.uuid) for c in columns}
    records = []
    for article in _live_public_articles(list(uuids)).iterator(chunk_size=500):
        records.append(
            Outgoing(
                uuid=str(article.uuid),
                data={
                    "title": article.title,
                    "subtitle": article.subtitle,
                    "source_kind": article.source_kind,
                    "source_name": article.source_name,
                    "author": article.author,
                    "organization": article.organization.code,
                    "column": uuids[article.column_id],
                    "extra_columns": sorted(
                        uuids[c.pk] for c in article.extra_columns.all() if c.pk in uuids
                    ),
                    "visibility": article.visibility,
                    "publish_at": _iso(article.publish_at),
                    "pinned": article.pinned,
                    "cover": str(article.cover.uuid) if article.cover else None,
                    "body": article.body,
                },
            )
        )
    return records


def _collect_attachments() -> list[Outgoing]:
    column_ids = [c.pk for c in public_columns()]
    articles = _live_public_articles(column_ids)
    attachments = (
        Attachment.objects.filter(
            Q(article__in=articles.values("pk"))
            | Q(pk__in=articles.exclude(cover=None).values("cover_id"))
        )
        .select_related("article")
        .order_by("id")
    )
    records = []
    for attachment in attachments.iterator(chunk_size=500):
        stored = attachment.file
        records.append(
            Outgoing(
                uuid=str(attachment.uuid),
                data={
                    "article": str(attachment.article.uuid) if attachment.article else None,
                    "original_name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "text": attachment.text,
                },
                files=(
                    OutgoingFile(
                        sha256=attachment.sha256,
                        open=partial(stored.storage.open, stored.name, "rb"),
                    ),
                ),
            )
        )
    return records


# ---------------------------------------------------------------------- receiving (public site)


def _not_public(what: str) -> BundleRefused:
    return BundleRefused(
        _("The bundle carries content that is not public (%(what)s). It is refused.")
        % {"what": what},
        reason="not_public",
    )


def _reindex(ctx: ApplyContext, article_id: int | None) -> None:
    """Have the search index follow the article (its text, its attachments' text, its removal)."""
    if article_id is None:
        return
    touched = ctx.notes.get(SEARCH_ARTICLE)
    if touched is None:
        touched = ctx.notes[SEARCH_ARTICLE] = set()
        ctx.later(lambda: index_on_commit(SEARCH_ARTICLE, sorted(touched)))
    touched.add(article_id)


def _upsert_organization(ctx: ApplyContext, uuid: str, data: dict[str, Any]) -> None:
    code = data["code"]
    # Only the name travels: on this site an organization stands alone, with no tree above it.
    Organization.objects.update_or_create(
        code=code,
        defaults={
            "name": data["name"],
            "short_name": data.get("short_name", ""),
            "kind": data["kind"],
            "parent": None,
            "path": f"/{code}/",
            "depth": 0,
        },
    )


def _delete_organization(ctx: ApplyContext, uuid: str) -> None:
    # Few rows here (contributing organizations only), so match the uuid by recomputing it.
    for org in Organization.objects.filter(articles=None).only("id", "code"):
        if organization_uuid(org.code) == uuid:
            try:
                with transaction.atomic():
                    org.delete()
            except ProtectedError:
                # Still used by something of this site's own: only a name, so it may stay.
                pass


def _upsert_column(ctx: ApplyContext, uuid: str, data: dict[str, Any]) -> None:
    parent = Column.objects.get(uuid=data["parent"]) if data.get("parent") else None
    column = Column.objects.filter(uuid=uuid).first() or Column(uuid=uuid)
    column.slug = data["slug"]
    column.name = data["name"]
    column.parent = parent
    column.description = data.get("description", "")
    column.order = data.get("order", 100)
    column.visibility = Visibility.PUBLIC
    column.publisher_roles = []
    column.restricted_roles = []
    column.link = ""
    column.save()


def _delete_column(ctx: ApplyContext, uuid: str) -> None:
    column = Column.objects.filter(uuid=uuid).first()
    if column is None:
        return
    for child in column.children.all():
        _delete_column(ctx, str(child.uuid))
    column.delete()


def _upsert_article(ctx: ApplyContext, uuid: str, data: dict[str, Any]) -> None:
    if data.get("visibility") != Visibility.PUBLIC:
        raise _not_public(data.get("title", uuid))
    body = sanitize_html(data.get("body", ""))
    body_text = html_to_text(body)
    if problem := classification_problem(data["title"], data.get("subtitle", ""), body_text):
        raise BundleRefused(problem, reason="classified")
    publish_at = datetime.fromisoformat(data["publish_at"])
    article = Article.objects.filter(uuid=uuid).first() or Article(uuid=uuid)
    article.title = data["title"]
    article.subtitle = data.get("subtitle", "")
    article.source_kind = data["source_kind"]
    article.source_name = data.get("source_name", "")
    article.author = data.get("author", "")
    article.organization = Organization.objects.get(code=data["organization"])
    article.column = Column.objects.get(uuid=data["column"])
    article.visibility = Visibility.PUBLIC
    article.status = ArticleStatus.PUBLISHED
    article.publish_at = publish_at
    article.pinned = bool(data.get("pinned"))
    article.body = body
    article.body_text = body_text
    article.save()
    article.extra_columns.set(Column.objects.filter(uuid__in=data.get("extra_columns", [])))
    cover = data.get("cover")

    def set_cover() -> None:
        # The cover is an attachment, which may arrive after its article in the same bundle.
        article.cover = Attachment.objects.filter(uuid=cover).first() if cover else None
        article.save(update_fields=["cover"])

    ctx.later(set_cover)
    _reindex(ctx, article.pk)


def _discard_attachment(ctx: ApplyContext, attachment: Attachment) -> None:
    ctx.discard(attachment.file.name)
    attachment.delete()


def _delete_article(ctx: ApplyContext, uuid: str) -> None:
    article = Article.objects.filter(uuid=uuid).first()
    if article is None:
        return
    for attachment in article.attachments.all():
        _discard_attachment(ctx, attachment)
    _reindex(ctx, article.pk)
    article.delete()


def _upsert_attachment(ctx: ApplyContext, uuid: str, data: dict[str, Any]) -> None:
    article = Article.objects.get(uuid=data["article"]) if data.get("article") else None
    existing = Attachment.objects.filter(uuid=uuid).first()
    attachment = existing or Attachment(uuid=uuid)
    attachment.article = article
    attachment.original_name = data["original_name"]
    attachment.content_type = data["content_type"]
    attachment.size = data["size"]
    attachment.text = data.get("text", "")
    if existing is None or attachment.sha256 != data["sha256"] or not attachment.file:
        previous = attachment.file.name if attachment.pk else ""
        with ctx.open_file(data["sha256"]) as stream:
            attachment.file.save(data["original_name"], File(stream), save=False)
        ctx.stored(attachment.file.name)
        ctx.discard(previous)
    attachment.sha256 = data["sha256"]
    attachment.save()
    _reindex(ctx, attachment.article_id)


def _delete_attachment(ctx: ApplyContext, uuid: str) -> None:
    attachment = Attachment.objects.filter(uuid=uuid).first()
    if attachment is not None:
        _reindex(ctx, attachment.article_id)
        _discard_attachment(ctx, attachment)


# Parents before children: creations run in this order, removals in the reverse one.
for _order, (_name, _collect, _upsert, _delete) in enumerate(
    (
        (ORGANIZATION, _collect_organizations, _upsert_organization, _delete_organization),
        (COLUMN, _collect_columns, _upsert_column, _delete_column),
        (ARTICLE, _collect_articles, _upsert_article, _delete_article),
        (ATTACHMENT, _collect_attachments, _upsert_attachment, _delete_attachment),
    ),
    start=1,
):
    register_kind(
        RecordKind(
            name=_name,
            source=Site.INTERNAL,
            target=Site.PUBLIC,
            order=_order * 10,
            collect=_collect,
            upsert=_upsert,
            delete=_delete,
        )
    )
