import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve the platform (gunicorn) together with the background-task worker and the "
        "periodic scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("DANGWU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("DANGWU_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("DANGWU_WORKERS", "2"))
        )

    def handle(self, *args, host: str, port: int, workers: int, **options):
        dangwu = [sys.executable, "-m", "dangwu.cli"]
        worker = subprocess.Popen([*dangwu, "db_worker"])  # noqa: S603  (our own command)
        # Enqueues the due periodic jobs (reminders, digests) for the worker; see core/periodic.py.
        scheduler = subprocess.Popen([*dangwu, "periodic"])  # noqa: S603  (our own command)
        self.stdout.write(
            f"Dangwu ({settings.SITE}) serving on http://{host}:{port}/"
            f"  (data: {settings.DATA_DIR})"
        )
        server = subprocess.Popen(  # noqa: S603  (our own server)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "dangwu.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--preload",
                "--access-logfile",
                "-",
            ]
        )
        # A service manager (or `kill`) stops this process alone with SIGTERM: pass it on so
        # neither gunicorn nor the worker nor the scheduler outlives us and keeps the port or
        # the queue.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: server.terminate())
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            # Both are no-ops for a child that has already exited (Ctrl-C reaches the group).
            server.terminate()
            worker.terminate()
            scheduler.terminate()
            server.wait(timeout=30)
            worker.wait(timeout=10)
            scheduler.wait(timeout=10)
