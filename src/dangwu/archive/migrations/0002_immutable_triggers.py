"""Database triggers that refuse changing or deleting archived items and their files.

The models refuse it already; the triggers stop it through a casual SQL session too. SQLite
drops a table's triggers when a migration rebuilds it: a later migration altering these tables
must install them again (the tests refusing raw UPDATE/DELETE will notice). ``dangwu flush``
lifts every ``*_refuse_*`` trigger for the length of its transaction (test runs need it).
"""

from django.db import migrations

MESSAGE = "archived items are immutable"
TABLES = {"archive_archiveitem": "archive_item", "archive_archivefile": "archive_file"}

SQLITE_INSTALL = [
    sql
    for table, name in TABLES.items()
    for sql in (
        f"""CREATE TRIGGER {name}_refuse_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER {name}_refuse_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    )
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {name}_refuse_{op}" for name in TABLES.values() for op in ("update", "delete")
]

POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION archive_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$""",
    *(
        f"""CREATE TRIGGER {name}_refuse_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION archive_refuse_change()"""
        for table, name in TABLES.items()
    ),
]
POSTGRESQL_REMOVE = [
    *(f"DROP TRIGGER IF EXISTS {name}_refuse_change ON {table}" for table, name in TABLES.items()),
    "DROP FUNCTION IF EXISTS archive_refuse_change()",
]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
}


def _run(schema_editor, install: bool) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return  # other databases rely on the models' refusal alone
    for sql in statements[0 if install else 1]:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, install=True)


def remove(apps, schema_editor):
    _run(schema_editor, install=False)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
