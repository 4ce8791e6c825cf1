from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangwu.analytics.batch import SHANGHAI
from dangwu.analytics.buffer import VISITOR_DAYS_KEPT, spool_dir, spool_replay
from dangwu.analytics.services import visits_prune


class Command(BaseCommand):
    help = (
        "Store page views spooled to disk while the database refused them, and delete visitor "
        "hashes of finished days. Serving processes flush their own buffers by themselves."
    )

    def handle(self, *args, **options):
        files = spool_replay(spool_dir())
        today = timezone.localdate(timezone=SHANGHAI)
        pruned = visits_prune(before=today - timedelta(days=VISITOR_DAYS_KEPT))
        self.stdout.write(f"Stored {files} spooled batches; deleted {pruned} old visitor hashes.")
