from django.core.management.base import BaseCommand

from dangwu.core import periodic


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (reminders, the daily mail digest...) when they are due; "
        "runs until stopped. `dangwu serve` starts it beside the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run one round and exit (for cron)."
        )
        parser.add_argument(
            "--max-wait",
            type=float,
            default=periodic.MAX_WAIT,
            help="Wake at least this often, in seconds (default: %(default)s).",
        )

    def handle(self, *args, once: bool, max_wait: float, **options):
        scheduler = periodic.Scheduler(max_wait=max_wait)
        if once:
            for name in scheduler.round():
                self.stdout.write(f"enqueued {name}")
            return
        names = ", ".join(sorted(periodic.jobs())) or "none"
        self.stdout.write(f"Periodic scheduler running; jobs: {names}")
        scheduler.install_signals()
        scheduler.run()
