import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.core.visibility import Visibility
from dangwu.portal.enums import ArticleStatus, RevisionAction, SourceKind


class Column(models.Model):
    """A column (栏目) of the portal; a small tree ordered by ``order`` within its parent."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent column"),
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    order = models.PositiveIntegerField(_("order"), default=100)
    # Role codes (dangwu.access.Role) whose holders may publish here; empty = editors only.
    publisher_roles = models.JSONField(_("roles that may publish"), default=list, blank=True)
    # For 限定范围: the organizations (with their subtrees) and roles that may read.
    restricted_organizations = models.ManyToManyField(
        "orgs.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("organizations that may read"),
    )
    restricted_roles = models.JSONField(_("roles that may read"), default=list, blank=True)
    # An entry point to another part of the platform (网上党校, 经典名著) instead of articles.
    link = models.CharField(_("link"), max_length=200, blank=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """An article of the portal. ``body`` is sanitized HTML; ``body_text`` its plain text."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.COMMITTEE
    )
    source_name = models.CharField(_("source name"), max_length=100, blank=True)
    author = models.CharField(_("author"), max_length=60, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("contributing organization"),
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="articles", verbose_name=_("column")
    )
    extra_columns = models.ManyToManyField(
        Column, blank=True, related_name="extra_articles", verbose_name=_("also in columns")
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        db_index=True,
    )
    publish_at = models.DateTimeField(_("publish time"), null=True, blank=True, db_index=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    cover = models.ForeignKey(
        "portal.Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    body = models.TextField(_("body"), blank=True)
    body_text = models.TextField(blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-pinned", "-publish_at", "-id"]
        indexes = [models.Index(fields=["column", "status", "publish_at"])]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path

    @property
    def is_live(self) -> bool:
        """Published and its publish time has come."""
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored under a random name: the original (Chinese) name is kept in the row, never trusted
    # as a path.
    return f"portal/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to an article (or its cover image); the type is checked by content."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)  # extracted for search and the classification guard
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ArticleRevision(models.Model):
    """Who changed what and when; the article's history that editors see."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    action = models.CharField(max_length=20, choices=RevisionAction.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_name = models.CharField(max_length=150, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.article_id} {self.action} {self.changed_at:%Y-%m-%d %H:%M}"
