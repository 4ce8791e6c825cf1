"""Build the benchmark data set through the real import path and time it.

The tree is the committee (root) → party committees (机关党委) → general branches (党总支) →
branches (党支部) → groups (党小组), with some branches directly under a committee, so depths
run from 3 to 5. One committee is several times bigger than the others (the "big committee"
whose secretary is a persona). Members sit in branches and groups, with valid ID numbers
(GB 11643 checksum). Everything goes through ``organizations_import`` / ``members_import`` as
the system, member files in chunks because an import validates its whole file in memory; the
persona accounts through ``user_create`` / ``role_grant``.

    python -m bench.generate --orgs 5000 --members 100000 [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import PASSWORD, data_dir_for, setup_django, write_json

NETWORK = ["内网直连", "经办公室内网", "未接入", "未知"]
BIG_COMMITTEE_WEIGHT = 6.0


@dataclass
class Tree:
    rows: list[list[str]] = field(default_factory=list)
    member_orgs: list[str] = field(default_factory=list)  # branch and group codes
    depth_counts: dict[int, int] = field(default_factory=dict)

    def add(self, code: str, name: str, kind: str, parent: str, depth: int, rng) -> None:
        self.rows.append(
            [
                code,
                name,
                "",
                kind,
                parent,
                f"{rng.randint(1985, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "",
                "",
                rng.choice(NETWORK),
                "",
            ]
        )
        self.depth_counts[depth] = self.depth_counts.get(depth, 0) + 1
        if kind in ("党支部", "党小组"):
            self.member_orgs.append(code)


def _split(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, sums exactly)."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _committee_subtree(tree: Tree, code: str, budget: int, rng: random.Random) -> None:
    left = budget
    gb = direct = 0

    def branch(parent: str, branch_code: str, depth: int) -> None:
        nonlocal left
        tree.add(branch_code, f"{branch_code} 党支部", "党支部", parent, depth, rng)
        left -= 1
        for g in range(rng.randint(0, 3)):
            if left <= 0:
                return
            tree.add(
                f"{branch_code}T{g + 1}", f"第{g + 1}党小组", "党小组", branch_code, depth + 1, rng
            )
            left -= 1

    while left > 0:
        if rng.random() < 0.8:
            gb += 1
            gb_code = f"{code}G{gb:02d}"
            tree.add(gb_code, f"{code} 第{gb}党总支", "党总支", code, 2, rng)
            left -= 1
            for b in range(rng.randint(3, 8)):
                if left <= 0:
                    break
                branch(gb_code, f"{gb_code}B{b + 1:02d}", 3)
        else:
            direct += 1
            branch(code, f"{code}D{direct:02d}", 2)


def build_tree(*, orgs: int, committees: int, rng: random.Random) -> Tree:
    """Return exactly ``orgs`` organization rows in import-file order."""
    if orgs < 1 + committees * 2:
        raise SystemExit(
            f"--orgs must be at least {1 + committees * 2} for {committees} committees"
        )
    tree = Tree()
    tree.add("GW", "中共江城市直属机关工作委员会", "工委", "", 0, rng)
    weights = [BIG_COMMITTEE_WEIGHT] + [rng.uniform(0.5, 1.5) for _ in range(committees - 1)]
    budgets = _split(orgs - 1 - committees, weights)
    for i, budget in enumerate(budgets):
        code = f"P{i + 1:02d}"
        tree.add(code, f"中共江城市第{i + 1}机关党委", "机关党委", "GW", 1, rng)
        _committee_subtree(tree, code, budget, rng)
    return tree


def member_rows(*, count: int, tree: Tree, rng: random.Random) -> list[list[str]]:
    from dangwu.orgs.synthetic import member_row

    used: set[str] = set()
    return [
        member_row(rng, rng.choice(tree.member_orgs), used, transfers=True) for _ in range(count)
    ]


def _fresh_database(data_dir: Path, database_url: str) -> None:
    if not database_url:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"dangwu.sqlite3{suffix}").unlink(missing_ok=True)


def generate(
    *, orgs: int, members: int, committees: int, chunk: int, seed: int, database_url: str
) -> dict[str, Any]:
    """Build the data set in the configured (empty) database; return the timings and facts."""
    from django.core.management import call_command
    from django.db import connection

    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.services import role_grant, user_create
    from dangwu.orgs.imports import (
        MEMBER_COLUMNS,
        ORG_COLUMNS,
        members_import,
        organizations_import,
    )
    from dangwu.orgs.models import Member, Organization
    from dangwu.orgs.synthetic import csv_bytes

    rng = random.Random(seed)
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - start

    tree = build_tree(orgs=orgs, committees=committees, rng=rng)
    org_bytes = csv_bytes(list(ORG_COLUMNS), tree.rows)
    start = time.perf_counter()
    org_result = organizations_import(actor=SYSTEM, data=org_bytes, filename="orgs.csv")
    org_s = time.perf_counter() - start
    print(f"  organizations: {org_result.created} in {org_s:.1f} s", flush=True)

    start = time.perf_counter()
    rows = member_rows(count=members, tree=tree, rng=rng)
    rows_s = time.perf_counter() - start
    chunks = []
    for offset in range(0, len(rows), chunk):
        data = csv_bytes(list(MEMBER_COLUMNS), rows[offset : offset + chunk])
        start = time.perf_counter()
        result = members_import(actor=SYSTEM, data=data, filename="members.csv")
        seconds = time.perf_counter() - start
        chunks.append({"rows": result.created, "bytes": len(data), "seconds": round(seconds, 3)})
        print(f"  members {offset + result.created:>7}: {seconds:.1f} s", flush=True)
    member_s = sum(c["seconds"] for c in chunks)

    # Re-importing an unchanged chunk: the idempotent path (every row looked up, nothing written).
    first = csv_bytes(list(MEMBER_COLUMNS), rows[:chunk])
    start = time.perf_counter()
    again = members_import(actor=SYSTEM, data=first, filename="members.csv")
    reimport_s = time.perf_counter() - start

    big = Organization.objects.get(code="P01")
    branch = (
        Organization.objects.filter(path__startswith=big.path, kind="branch")
        .order_by("path")
        .first()
    )
    personas = {
        "leader": ("bench-leader", Role.LEADER, Organization.objects.get(code="GW")),
        "secretary": ("bench-secretary", Role.SECRETARY, big),
        "branch_secretary": ("bench-branch-secretary", Role.SECRETARY, branch),
    }
    for username, role, org in personas.values():
        user = user_create(actor=SYSTEM, username=username, password=PASSWORD)
        role_grant(actor=SYSTEM, user=user, role=role, organization=org)

    sample = Member.objects.filter(organization__path__startswith=big.path).order_by("id").first()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "sizes": {
            "organizations": Organization.objects.count(),
            "members": Member.objects.count(),
            "committees": committees,
            "orgs_by_depth": dict(sorted(tree.depth_counts.items())),
            "members_under_big_committee": Member.objects.filter(
                organization__path__startswith=big.path
            ).count(),
            "orgs_under_big_committee": Organization.objects.filter(
                path__startswith=big.path
            ).count(),
            "members_under_branch": Member.objects.filter(
                organization__path__startswith=branch.path
            ).count(),
        },
        "timings": {
            "migrate_s": round(migrate_s, 2),
            "org_import_s": round(org_s, 2),
            "org_rows_per_s": round(orgs / org_s, 1),
            "member_rows_build_s": round(rows_s, 2),
            "member_import_s": round(member_s, 2),
            "member_rows_per_s": round(members / member_s, 1),
            "member_chunks": chunks,
            "member_reimport_unchanged_s": round(reimport_s, 2),
            "member_reimport_unchanged": again.unchanged,
        },
        "personas": {name: (p[0], p[2].pk, p[2].code) for name, p in personas.items()},
        "sample": {
            "member_pk": sample.pk,
            "id_number": sample.id_number,
            "org_pk": big.pk,
            "root_pk": personas["leader"][2].pk,
            "branch_pk": branch.pk,
        },
        "vendor": connection.vendor,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--committees", type=int, default=50)
    parser.add_argument("--chunk", type=int, default=10_000, help="member rows per import file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--backend", default="sqlite", help="name of the data directory")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (must be empty)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    data_dir = data_dir_for(args.backend)
    _fresh_database(data_dir, args.database_url)
    setup_django(data_dir=data_dir, database_url=args.database_url)
    result = generate(
        orgs=args.orgs,
        members=args.members,
        committees=args.committees,
        chunk=args.chunk,
        seed=args.seed,
        database_url=args.database_url,
    )
    if args.out:
        write_json(args.out, result)
    print(result["timings"] | {"sizes": result["sizes"]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
