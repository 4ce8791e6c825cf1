"""The classics reading room (经典名著): books, chapters, where each person stopped, reading time
per person per day, and bookmarks with notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangwu.library.enums import BookCategory, BookFormat


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
