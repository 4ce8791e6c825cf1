"""The ``dangwu`` console command: Django's management commands plus ours.

``dangwu serve`` runs the platform (gunicorn when available), ``dangwu demo`` loads demo data,
``dangwu import-orgs`` / ``import-members`` import spreadsheets; everything else is passed to
Django (``dangwu migrate``, ``dangwu check --deploy``...).
"""

import os
import sys
from pathlib import Path

ALIASES = {"import-orgs": "import_orgs", "import-members": "import_members"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangwu.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded database lives in the data folder; create it on first use.
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
