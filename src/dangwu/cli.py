"""The ``dangwu`` console command: Django's management commands plus ours.

``dangwu serve`` runs the platform (gunicorn when available), ``dangwu demo`` loads demo data,
``dangwu import-orgs`` / ``import-members`` import spreadsheets; everything else is passed to
Django (``dangwu migrate``, ``dangwu check --deploy``...).
"""

import os
import sys

ALIASES = {"import-orgs": "import_orgs", "import-members": "import_members"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangwu.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
