"""``dangwu serve`` in a separate process: stopping it stops everything it started."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            # The parent pid is the 2nd field after the parenthesised command name.
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310  (our own server)
            return response.status == 200
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_sigterm_to_serve_stops_gunicorn_the_worker_and_the_scheduler(tmp_path):
    env = {
        **os.environ,
        "DANGWU_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangwu.settings",
    }
    env.pop("DATABASE_URL", None)
    dangwu = [sys.executable, "-m", "dangwu.cli"]
    subprocess.run([*dangwu, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)  # noqa: S603
    port = _free_port()
    serve = subprocess.Popen(  # noqa: S603  (our own command)
        [*dangwu, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 60)
        started = _children(serve.pid)
        assert len(started) == 3  # gunicorn's master, the task worker and the scheduler

        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)

        assert _wait_for(lambda: not any(_alive(pid) for pid in started), 30)
        assert not _answers(f"http://127.0.0.1:{port}/healthz")
    finally:
        # Never leave a server behind, whatever failed above.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
        serve.wait()
