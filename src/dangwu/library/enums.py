from django.db import models
from django.utils.translation import gettext_lazy as _


class BookCategory(models.TextChoices):
    """The shelves of the classics reading room (经典名著)."""

    MARXISM = "marxism", _("Marxist classics")
    PARTY_HISTORY = "party_history", _("Party history documents")
    TRADITIONAL = "traditional", _("Chinese traditional classics")
    LITERATURE = "literature", _("Literary masterpieces")
    OTHER = "other", _("Other")


class BookFormat(models.TextChoices):
    """The kinds of file a book is imported from."""

    TEXT = "text", _("Plain text (.txt)")
    MARKDOWN = "markdown", _("Markdown (.md)")
    EPUB = "epub", _("EPUB e-book (.epub)")


class FolderKind(models.TextChoices):
    """The three kinds of shared folder of the file library (资料交换)."""

    COMMITTEE = "committee", _("Committee folder")
    ORGANIZATION = "organization", _("Organization folder")
    EXCHANGE = "exchange", _("Exchange folder")
