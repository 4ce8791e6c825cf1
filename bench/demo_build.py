"""Time the demo build (what ``dangwu demo`` does) on an empty, freshly migrated database.

python -m bench.demo_build --backend sqlite [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.common import data_dir_for, setup_django, write_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    data_dir = data_dir_for(f"demo-{args.backend}")
    if not args.database_url:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"dangwu.sqlite3{suffix}").unlink(missing_ok=True)
    setup_django(data_dir=data_dir, database_url=args.database_url)

    from django.core.management import call_command

    from dangwu.accounts.models import User
    from dangwu.audit.models import AuditRecord
    from dangwu.core.demo import build_demo
    from dangwu.orgs.models import Member, Organization

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - start
    start = time.perf_counter()
    build_demo()
    demo_s = time.perf_counter() - start
    result = {
        "migrate_s": round(migrate_s, 2),
        "demo_build_s": round(demo_s, 2),
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "users": User.objects.count(),
        "audit_records": AuditRecord.objects.count(),
    }
    print(f"  demo build: {result}", flush=True)
    write_json(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
