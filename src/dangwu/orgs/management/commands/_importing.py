"""The shared body of ``dangwu import-orgs`` and ``dangwu import-members``."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangwu.access import SYSTEM
from dangwu.orgs.imports import ImportRejected, ImportResult


class ImportCommand(BaseCommand):
    """Read FILE, import it as the system, and print every problem (exit 1) or the counts."""

    run: Callable[..., ImportResult]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The .xlsx or .csv file to import.")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        try:
            result = type(self).run(actor=SYSTEM, data=data, filename=file.name)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(rejected.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file.name}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
