"""The classics reading room (经典名著): books, chapters, where each person stopped, reading time
per person per day, and bookmarks with notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangwu.library.enums import BookCategory, BookFormat, FolderKind


class Book(models.Model):
    """A book of the reading room, read by every business user; imported from a file."""

    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=BookCategory.choices)
    description = models.TextField(_("description"), blank=True)
    source_format = models.CharField(_("format"), max_length=10, choices=BookFormat.choices)
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    chapter_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "title", "id"]
        indexes = [models.Index(fields=["category", "title"])]
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    """One chapter; ``blocks`` are its paragraphs as sanitized HTML, numbered from 0.

    A position, a bookmark and the reader's anchors (#p-12) all refer to a block's index.
    """

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    blocks = models.JSONField(default=list)
    paragraph_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["book", "number"]
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="library_chapter_number_once")
        ]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return self.title


class ReadingPosition(models.Model):
    """Where a person stopped in a book: the chapter and the paragraph at the top of the screen."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_positions"
    )
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    paragraph = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "book"], name="library_position_once")
        ]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.chapter_id} ¶{self.paragraph}"


class ReadingDay(models.Model):
    """The active reading time one person spent on one day (Asia/Shanghai), in seconds.

    ``last_beat_at`` is when time was last credited: the next report may claim no more than the
    time elapsed since then, and at most one report a minute writes here.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_days"
    )
    day = models.DateField()
    seconds = models.PositiveIntegerField(default=0)
    last_beat_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="library_day_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}: {self.seconds}s"


class Bookmark(models.Model):
    """A paragraph a person marked, with their note; nobody else sees it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    paragraph = models.PositiveIntegerField()
    excerpt = models.CharField(max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "book", "-created_at"])]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")

    def __str__(self) -> str:
        return f"{self.chapter_id} ¶{self.paragraph}"


# ------------------------------------------------------------------ the file library (资料交换)


def _version_path(instance: "FileVersion", filename: str) -> str:
    # The name on disk is never the uploader's: a random one with the checked extension.
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()
    return f"library/files/{uuid.uuid4().hex}{extension}"


class Folder(models.Model):
    """A shared folder: the committee's, one organization's own, or an exchange folder.

    ``organization`` is the owner: the root for committee folders, the organization for its own
    folders and for an exchange folder with it. A subfolder copies its parent's kind, owner and
    audience. Who sees which folder is decided in ``library.permissions``.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=FolderKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="library_folders"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    # Committee folders: visible to every organization, or to the chosen ones (and their subtree).
    audience_all = models.BooleanField(_("visible to all organizations"), default=False)
    audience = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="library_folders_shared"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleted softly (only when it holds no live file), with its subfolders: gone from every list,
    # while its deleted files and their versions stay for the record.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["kind", "organization"])]
        verbose_name = _("folder")
        verbose_name_plural = _("folders")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return str(self.organization.path)


class LibraryFile(models.Model):
    """A file in a folder by its name; each upload under the same name adds a :class:`FileVersion`.

    ``current`` is the newest version; ``size`` and ``download_count`` describe the file as shown
    in lists (the newest version's size, downloads of all versions).
    """

    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=200)
    # The name compared case-insensitively: 通知.PDF and 通知.pdf are one file.
    name_key = models.CharField(max_length=200)
    current = models.ForeignKey(
        "FileVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version_count = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "name_key"],
                condition=models.Q(deleted_at__isnull=True),
                name="library_file_name_once",
            )
        ]
        indexes = [models.Index(fields=["folder", "deleted_at", "name_key"])]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.folder.scope_path


class FileVersion(models.Model):
    """One uploaded version of a file: who uploaded it, when, what it is, and its downloads.

    ``organization`` is whose quota the stored bytes count against (the folder's owner).
    """

    file = models.ForeignKey(LibraryFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    blob = models.FileField(upload_to=_version_path, max_length=200)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="library_versions"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["file", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="library_version_once")
        ]
        indexes = [models.Index(fields=["organization"])]
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"

    @property
    def scope_path(self) -> str:
        return self.file.folder.scope_path

    @property
    def previewable(self) -> bool:
        return self.kind in ("pdf", "jpeg", "png")


class LibraryQuota(models.Model):
    """An organization's storage quota in the file library; without a row, the default applies
    (``LIBRARY_QUOTA_BYTES``). The row is also what concurrent uploads lock."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="library_quota"
    )
    quota_bytes = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("library quota")
        verbose_name_plural = _("library quotas")

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.quota_bytes}"
