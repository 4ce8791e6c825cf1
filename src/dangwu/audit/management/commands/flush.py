"""Django's ``flush``, able to empty the append-only audit and archive tables on SQLite.

SQLite empties tables with ``DELETE``, which the audit triggers refuse (PostgreSQL uses
``TRUNCATE``, which row triggers do not see). Flushing wipes the whole database, the audit trail
with it: the triggers are lifted for that one transaction and restored before it commits.
Test runs flush after every transactional test (live-server browser tests), so it must work.
"""

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                # The tables whose triggers refuse DELETE: audit, and archive (its migration 0002).
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name IN "
                    "('audit_auditrecord', 'archive_archiveitem', 'archive_archivefile')"
                )
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**options)
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
        return None
