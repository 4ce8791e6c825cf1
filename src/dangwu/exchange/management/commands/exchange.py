"""``dangwu exchange keygen | export --to public OUT | import BUNDLE | status``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangwu.access import SYSTEM
from dangwu.core.errors import DomainError
from dangwu.exchange import selectors, services
from dangwu.exchange.enums import Site


class Command(BaseCommand):
    help = "Signed one-way exchange between the internal and the public site (docs/exchange.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("keygen", help="Create the signing key pair in DANGWU_DATA_DIR/keys.")
        export = commands.add_parser("export", help="Write the next bundle for the other site.")
        export.add_argument("--to", required=True, choices=Site.values, dest="target")
        export.add_argument("--full", action="store_true", help="Send every current record again.")
        export.add_argument("out", type=Path, help="Where to write the bundle (.zip).")
        imported = commands.add_parser("import", help="Verify and apply a bundle.")
        imported.add_argument("bundle", type=Path)
        commands.add_parser("status", help="Show the last bundle sent and received.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as error:
            raise CommandError(error.message) from None

    def _keygen(self, **options: Any) -> None:
        keys = services.exchange_keygen(actor=SYSTEM)
        self.stdout.write(f"Private key (keep on this site only): {keys.private}")
        self.stdout.write(f"Public key (copy to the public site): {keys.public}")
        self.stdout.write(self.style.SUCCESS(f"Key {keys.key_id} created."))

    def _export(self, *, target: str, out: Path, full: bool, **options: Any) -> None:
        log = services.exchange_export(actor=SYSTEM, target=target, destination=out, full=full)
        if log is None:
            self.stdout.write("Nothing changed since the last bundle; no bundle was written.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Bundle {log.sequence} for the {target} site written to {out} "
                f"({log.bundle_size} bytes, sha256 {log.bundle_sha256}): {_counts(log.counts)}"
            )
        )

    def _import(self, *, bundle: Path, **options: Any) -> None:
        log = services.exchange_import(actor=SYSTEM, bundle=bundle)
        self.stdout.write(
            self.style.SUCCESS(
                f"Bundle {log.sequence} from the {log.peer} site applied: {_counts(log.counts)}"
            )
        )

    def _status(self, **options: Any) -> None:
        standings = selectors.exchange_standings()
        if not standings:
            self.stdout.write("No bundle has been sent or received yet.")
        for standing in standings:
            last = standing.last
            self.stdout.write(
                f"{standing.direction} {standing.peer}: bundle {last.sequence} "
                f"at {last.recorded_at:%Y-%m-%d %H:%M} ({_counts(last.counts)})"
            )


def _counts(counts: dict[str, dict[str, int]]) -> str:
    parts = [
        f"{kind} {action} {number}"
        for kind, actions in counts.items()
        for action, number in actions.items()
    ]
    return ", ".join(parts) or "no records"
