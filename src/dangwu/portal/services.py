"""Writes for the portal: columns, articles and their editorial workflow.

draft → submitted → published (now or at a set time), or returned with a comment; a published
article can be withdrawn. Every change keeps a revision (who changed what) and an audit record.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, ValidationFailed
from dangwu.core.html import html_to_text, sanitize_html
from dangwu.core.visibility import Visibility, is_wider
from dangwu.orgs.models import Organization
from dangwu.portal import permissions as perms
from dangwu.portal.enums import EDITABLE, ArticleStatus, RevisionAction, SourceKind
from dangwu.portal.models import Article, ArticleRevision, Column
from dangwu.portal.search import article_index_on_commit

ARTICLE_FIELDS = (
    "title",
    "subtitle",
    "source_kind",
    "source_name",
    "author",
    "column",
    "visibility",
    "pinned",
    "body",
)


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


@transaction.atomic
def column_create(
    *,
    actor: Any,
    slug: str,
    name: str,
    visibility: str = Visibility.INTERNAL,
    parent: Column | None = None,
    order: int = 100,
    description: str = "",
    publisher_roles: list[str] | None = None,
    restricted_organizations: list[Organization] | None = None,
    restricted_roles: list[str] | None = None,
    link: str = "",
) -> Column:
    """Create a column; a column is never wider than its parent."""
    access.require(actor, perms.COLUMN_MANAGE)
    if visibility not in Visibility.values:
        raise _problem("visibility", _("Unknown visibility."))
    if parent is not None and is_wider(visibility, parent.visibility):
        raise _problem("visibility", _("A column cannot be more visible than the column it is in."))
    if Column.objects.filter(slug=slug).exists():
        raise _problem("slug", _("The code %(code)s is already used.") % {"code": slug})
    column = Column.objects.create(
        slug=slug,
        name=name.strip(),
        visibility=visibility,
        parent=parent,
        order=order,
        description=description,
        publisher_roles=list(publisher_roles or []),
        restricted_roles=list(restricted_roles or []),
        link=link,
    )
    if restricted_organizations:
        column.restricted_organizations.set(restricted_organizations)
    audit_record(actor=actor, action="portal.column_created", target=column)
    return column


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Sanitize, check and complete an article's fields; raise on the first real problem."""
    title = (values.get("title") or "").strip()
    if not title:
        raise _problem("title", _("The title is required."))
    if len(title) > 200:
        raise _problem("title", _("The title may have at most 200 characters."))
    column = values.get("column")
    if not isinstance(column, Column):
        raise _problem("column", _("Choose a column."))
    if column.link:
        raise _problem("column", _("This column is an entry point, not a place for articles."))
    visibility = values.get("visibility") or column.visibility
    if visibility not in Visibility.values:
        raise _problem("visibility", _("Unknown visibility."))
    if is_wider(visibility, column.visibility):
        raise _problem(
            "visibility",
            _("An article cannot be more visible than its column (%(column)s: %(level)s).")
            % {"column": column.name, "level": Visibility(column.visibility).label},
        )
    if visibility == Visibility.RESTRICTED and column.visibility != Visibility.RESTRICTED:
        raise _problem(
            "visibility",
            _("Restricted articles belong in a restricted column, which names its readers."),
        )
    if values.get("source_kind", SourceKind.COMMITTEE) not in SourceKind.values:
        raise _problem("source_kind", _("Unknown source."))
    body = sanitize_html(values.get("body") or "")
    body_text = html_to_text(body)
    if problem := classification_problem(
        title,
        values.get("subtitle") or "",
        body_text,
        declared_level=values.get("secret_level", ""),
    ):
        raise _problem("body", problem)
    return {
        **{k: values[k] for k in ARTICLE_FIELDS if k in values},
        "title": title,
        "visibility": visibility,
        "body": body,
        "body_text": body_text,
    }


def _revise(
    article: Article, actor: Any, action: str, *, fields: list[str] | None = None, comment: str = ""
) -> None:
    ArticleRevision.objects.create(
        article=article,
        action=action,
        title=article.title,
        body=article.body,
        changed_fields=fields or [],
        comment=comment,
        changed_by=actor if getattr(actor, "pk", None) else None,
        changed_by_name=actor.get_username() if hasattr(actor, "get_username") else "",
    )


@transaction.atomic
def article_create(
    *,
    actor: Any,
    organization: Organization,
    extra_columns: list[Column] | None = None,
    **values: Any,
) -> Article:
    """Create a draft for ``organization`` (a secretary: their own; editors: any)."""
    access.require(actor, perms.ARTICLE_WRITE, organization)
    cleaned = _clean(values)
    article = Article.objects.create(
        organization=organization,
        created_by=actor if getattr(actor, "pk", None) else None,
        status=ArticleStatus.DRAFT,
        **cleaned,
    )
    if extra_columns:
        article.extra_columns.set(c for c in extra_columns if c.pk != article.column_id)
    _revise(article, actor, RevisionAction.CREATED)
    audit_record(actor=actor, action="portal.article_created", target=article)
    return article


@transaction.atomic
def article_update(
    *, actor: Any, article: Article, extra_columns: list[Column] | None = None, **values: Any
) -> Article:
    """Change a draft, returned or withdrawn article; a published one is withdrawn first."""
    access.require(actor, perms.ARTICLE_WRITE, article)
    if article.status not in EDITABLE:
        raise DomainError(
            _("This article is %(status)s; withdraw it before changing it.")
            % {"status": article.get_status_display()}
        )
    merged = {f: getattr(article, f) for f in ARTICLE_FIELDS} | values
    cleaned = _clean(merged)
    changed = [f for f in ARTICLE_FIELDS if cleaned.get(f) != getattr(article, f)]
    for field, value in cleaned.items():
        setattr(article, field, value)
    article.save()
    if extra_columns is not None:
        article.extra_columns.set(c for c in extra_columns if c.pk != article.column_id)
    _revise(article, actor, RevisionAction.EDITED, fields=changed)
    audit_record(
        actor=actor, action="portal.article_updated", target=article, details={"fields": changed}
    )
    return article


def _transition(
    article: Article,
    actor: Any,
    *,
    allowed_from: set[str],
    to: str,
    action: str,
    comment: str = "",
) -> Article:
    if article.status not in allowed_from:
        raise DomainError(
            _("This cannot be done while the article is %(status)s.")
            % {"status": article.get_status_display()}
        )
    article.status = to
    fields = ["status", "updated_at"]
    if comment:
        article.review_comment = comment
        fields.append("review_comment")
    article.save(update_fields=fields)
    _revise(article, actor, action, comment=comment)
    audit_record(actor=actor, action=f"portal.article_{action}", target=article)
    article_index_on_commit(article)
    return article


@transaction.atomic
def article_submit(*, actor: Any, article: Article) -> Article:
    """Send a draft (or a returned article) to the editors for review."""
    access.require(actor, perms.ARTICLE_WRITE, article)
    return _transition(
        article,
        actor,
        allowed_from={ArticleStatus.DRAFT, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN},
        to=ArticleStatus.SUBMITTED,
        action=RevisionAction.SUBMITTED,
    )


@transaction.atomic
def article_return(*, actor: Any, article: Article, comment: str) -> Article:
    """Send a submitted article back to its author with a comment saying what to change."""
    access.require(actor, perms.ARTICLE_REVIEW, article)
    if not comment.strip():
        raise _problem("comment", _("Say what should be changed, so the author knows."))
    return _transition(
        article,
        actor,
        allowed_from={ArticleStatus.SUBMITTED},
        to=ArticleStatus.RETURNED,
        action=RevisionAction.RETURNED,
        comment=comment.strip(),
    )


@transaction.atomic
def article_publish(*, actor: Any, article: Article, publish_at: datetime | None = None) -> Article:
    """Publish now, or at ``publish_at`` (scheduled): it appears when that time comes."""
    access.require(actor, perms.ARTICLE_REVIEW, article)
    if not perms.may_publish_in(actor, article.column):
        raise DomainError(
            _("You may not publish in the column %(column)s.") % {"column": article.column.name}
        )
    article.publish_at = publish_at or timezone.now()
    article.save(update_fields=["publish_at"])
    return _transition(
        article,
        actor,
        allowed_from={ArticleStatus.SUBMITTED, ArticleStatus.WITHDRAWN},
        to=ArticleStatus.PUBLISHED,
        action=RevisionAction.PUBLISHED,
    )


@transaction.atomic
def article_withdraw(*, actor: Any, article: Article, comment: str = "") -> Article:
    """Take a published (or scheduled) article off the site; it can be edited and resubmitted."""
    access.require(actor, perms.ARTICLE_REVIEW, article)
    return _transition(
        article,
        actor,
        allowed_from={ArticleStatus.PUBLISHED},
        to=ArticleStatus.WITHDRAWN,
        action=RevisionAction.WITHDRAWN,
        comment=comment.strip(),
    )
