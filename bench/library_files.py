"""File library: uploads of 1 MB, 10 MB and 100 MB stream to disk; the server's memory stays flat.

    python -m bench.library_files                  # 1, 10 and 100 MB
    python -m bench.library_files --sizes 1 10 100 300

The real server (``dangwu serve``: gunicorn and its workers) runs on a fresh SQLite data
directory in ``bench/results/data-library-files/``. Built in process, not measured: the
committee, one organization, the committee's organization clerk with a personal API token and an
exchange folder. Measured: each file (a PNG header followed by random bytes, written to a
temporary file first) is sent with ``POST /api/v1/library/folders/<id>/files`` as
multipart/form-data, streamed from disk by the client in 1 MiB pieces. Before each upload the
peak resident memory of every server process is reset (``/proc/<pid>/clear_refs``, 5); after it
the peak (``VmHWM``) is read: the largest over the server's processes is the figure. Django keeps
uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` in a temporary file; the check by content reads
the first bytes and hashes in chunks; storage moves the temporary file into place.
Results go to ``bench/results/library-files.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, RESULTS_DIR, free_port, setup_django, write_json

DATA_DIR = RESULTS_DIR / "data-library-files"
MIB = 1024 * 1024
BOUNDARY = "dangwu-bench-boundary"


def _build() -> tuple[int, str]:
    from django.core.management import call_command

    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.services import role_grant, token_issue, user_create
    from dangwu.library import files_services
    from dangwu.library.enums import FolderKind
    from dangwu.orgs.enums import OrgKind
    from dangwu.orgs.services import organization_create

    call_command("migrate", verbosity=0)
    root = organization_create(
        actor=SYSTEM, code="GW", name="市直机关工委", kind=OrgKind.COMMITTEE, parent=None
    )
    org = organization_create(
        actor=SYSTEM, code="A01", name="第一机关党委", kind=OrgKind.PARTY_COMMITTEE, parent=root
    )
    clerk = user_create(actor=SYSTEM, username="bench-clerk", password="Bench@Pass2026")  # noqa: S106  (a bench account)
    role_grant(actor=SYSTEM, user=clerk, role=Role.ORG_CLERK, organization=root)
    folder = files_services.folder_create(
        actor=SYSTEM, name="交换", kind=FolderKind.EXCHANGE, organization=org
    )
    _token, secret = token_issue(actor=clerk, name="bench")
    return folder.pk, secret


def _serve(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DANGWU_DATA_DIR": str(DATA_DIR),
        "DANGWU_DEBUG": "0",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR.parent / "src"), str(BENCH_DIR.parent)]),
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "dangwu.cli", "serve", "--port", str(port)]
    log = (DATA_DIR / "server.log").open("wb")
    return subprocess.Popen(  # noqa: S603  (our own server)
        command, env=env, cwd=BENCH_DIR.parent, stdout=log, stderr=subprocess.STDOUT
    )


def _wait_ready(base: str) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310  (loopback)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {base} did not start")


def _tree(pid: int) -> list[int]:
    """The process and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peaks(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):  # a process that ended meanwhile
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def _make_file(size: int, directory: str) -> Path:
    path = Path(directory) / f"bench-{size // MIB}MB.png"
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        left = size - 8
        while left > 0:
            piece = min(left, MIB)
            out.write(os.urandom(piece))
            left -= piece
    return path


def _body(path: Path, name: str) -> tuple[Iterator[bytes], int]:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{name}"\r\nContent-Type: image/png\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head) + path.stat().st_size + len(tail)

    def pieces() -> Iterator[bytes]:
        yield head
        with path.open("rb") as source:
            while chunk := source.read(MIB):
                yield chunk
        yield tail

    return pieces(), length


def _upload(base: str, folder_id: int, secret: str, path: Path, name: str) -> tuple[int, float]:
    body, length = _body(path, name)
    request = urllib.request.Request(  # noqa: S310  (loopback)
        f"{base}/api/v1/library/folders/{folder_id}/files",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {secret}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(length),
        },
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
        response.read()
        status = response.status
    return status, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100], help="MB each")
    args = parser.parse_args(argv)
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    setup_django(data_dir=DATA_DIR)
    folder_id, secret = _build()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(port)
    runs: list[dict[str, Any]] = []
    try:
        _wait_ready(base)
        # Warm up every worker (imports, first database connection) before measuring.
        for _ in range(4):
            urllib.request.urlopen(f"{base}/healthz", timeout=5).read()  # noqa: S310
        with tempfile.TemporaryDirectory() as directory:
            for size_mb in args.sizes:
                path = _make_file(size_mb * MIB, directory)
                pids = _tree(server.pid)
                baseline = max(_status_kib(p, "VmRSS") for p in pids)
                _reset_peaks(pids)
                status, seconds = _upload(base, folder_id, secret, path, f"资料{size_mb}MB.png")
                peaks = {p: _status_kib(p, "VmHWM") for p in _tree(server.pid)}
                run = {
                    "size_mb": size_mb,
                    "status": status,
                    "seconds": round(seconds, 2),
                    "server_rss_before_mib": round(baseline / 1024, 1),
                    "server_peak_rss_mib": round(max(peaks.values()) / 1024, 1),
                    "processes": len(peaks),
                }
                runs.append(run)
                print(run, flush=True)
                path.unlink()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    write_json(RESULTS_DIR / "library-files.json", {"runs": runs})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
