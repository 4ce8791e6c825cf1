from django.core.management.base import BaseCommand, CommandError

from dangwu.core import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index (all kinds, or the ones named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="e.g. portal.article (default: all)")
        parser.add_argument(
            "--workers", type=int, default=1, help="processes that segment the text in parallel"
        )

    def handle(self, *args, kinds, workers, **options):
        unknown = sorted(set(kinds) - set(search.providers()))
        if unknown:
            known = ", ".join(sorted(search.providers()))
            raise CommandError(f"Unknown kind: {', '.join(unknown)} (known: {known})")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        total = search.reindex(kinds or None, workers=workers)
        self.stdout.write(f"Indexed {total} documents.")
