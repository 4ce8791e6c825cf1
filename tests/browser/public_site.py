"""A real public site (``DANGWU_SITE=public``) in a process of its own, for Chromium to visit.

It has its own data directory and SQLite database (never the test database), is migrated and has
its static files collected like a deployment, and takes content only from signed bundles
(``dangwu exchange import``). gunicorn serves it on a socket bound here first, so there is no race
for a free port; ``stop`` always ends the server, and every step is bounded in time.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

COMMAND_TIMEOUT = 120
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


class PublicSite:
    """One public site: ``prepare`` it, ``import_bundle`` into it, ``start`` it, ``stop`` it."""

    def __init__(self, data_dir: Path, public_key: Path) -> None:
        self.data_dir = data_dir
        self.public_key = public_key
        self.url = ""
        self._server: subprocess.Popen | None = None
        self._log = data_dir / "server.log"

    def env(self) -> dict[str, str]:
        """Return the environment of the public site's processes."""
        env = {
            **os.environ,
            "DANGWU_SITE": "public",
            "DANGWU_DATA_DIR": str(self.data_dir),
            "DANGWU_EXCHANGE_PUBLIC_KEY": str(self.public_key),
            # Never the suite's PostgreSQL database: the public site has a database of its own.
            "DATABASE_URL": "",
            "DANGWU_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def dangwu(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``dangwu <args>`` on the public site and return its result."""
        return subprocess.run(  # noqa: S603 - our own console command, fixed arguments
            [sys.executable, "-m", "dangwu.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )

    def prepare(self) -> None:
        """Create the empty site: its database migrated and its static files collected."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for args in (("migrate", "--no-input", "-v0"), ("collectstatic", "--no-input", "-v0")):
            result = self.dangwu(*args)
            assert result.returncode == 0, result.stderr

    def import_bundle(self, bundle: Path) -> subprocess.CompletedProcess:
        return self.dangwu("exchange", "import", str(bundle))

    def start(self) -> None:
        """Serve the site with gunicorn and wait until it answers (at most START_TIMEOUT s)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
        try:
            with self._log.open("wb") as log:
                self._server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "dangwu.wsgi:application",
                        "--bind",
                        f"fd://{listener.fileno()}",
                        "--workers",
                        "1",
                        "--threads",
                        "4",
                        "--graceful-timeout",
                        "3",
                    ],
                    env=self.env(),
                    cwd=self.data_dir,
                    pass_fds=(listener.fileno(),),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    # Its own process group, so stop() can end gunicorn's worker with it.
                    start_new_session=True,
                )
        finally:
            listener.close()  # the server holds its own copy of the socket
        self.url = f"http://127.0.0.1:{port}"
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._server is not None
            if self._server.poll() is not None:
                raise AssertionError(f"the public site exited early:\n{self.log()}")
            try:
                # S310: a fixed http:// address of our own server.
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"the public site did not answer in {START_TIMEOUT} s:\n{self.log()}")

    def log(self) -> str:
        """Return the end of the server's output (for failure messages)."""
        return self._log.read_text(errors="replace")[-4000:] if self._log.exists() else ""

    def stop(self) -> None:
        """End the server and its worker (gracefully, then by force); safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        server.terminate()
        try:
            server.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=STOP_TIMEOUT)
        # Even after the master ended (or died early), a worker left behind would keep the
        # database open: end the whole group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
