"""Tables of the shared services: the search index (one row per searchable thing)."""

from django.db import models


class SearchDocument(models.Model):
    """One searchable thing (an article with its attachments, ...), as its provider describes it.

    The reader fields (``visibility``, ``column_id``, ``published_at``) are copies kept for
    permission filtering inside the search query; each provider turns its audience rule into a
    filter on them. ``title_tokens`` and ``body_tokens`` hold the segmented text that the full-text
    index reads (an FTS5 table on SQLite, a generated tsvector column on PostgreSQL, both created
    in the migration).
    """

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    visibility = models.CharField(max_length=20)
    column_id = models.PositiveBigIntegerField(null=True, blank=True)
    # "|3|7|": every column the thing appears in (primary and extra), for the column filter.
    columns = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=20, blank=True)
    published_at = models.DateTimeField()
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class ContentVersion(models.Model):
    """A counter per kind of published content, raised whenever that content changes.

    Cached pages carry the number they were rendered at, so one change invalidates them in every
    worker process at once (the embedded cache is per process; the counter is shared).
    """

    name = models.CharField(max_length=40, primary_key=True)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.number}"


class PeriodicJobState(models.Model):
    """The last slot each periodic job was enqueued for (see ``core/periodic.py``).

    Claiming a slot is a conditional UPDATE on this row, so two schedulers never enqueue the same
    slot twice.
    """

    name = models.CharField(max_length=80, primary_key=True)
    last_slot = models.DateTimeField(null=True, blank=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_slot}"
