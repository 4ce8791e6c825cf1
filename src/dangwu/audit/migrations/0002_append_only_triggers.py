"""Database triggers that refuse changing or deleting audit records (SQLite and PostgreSQL).

The MAC chain shows tampering after the fact; these triggers stop it from happening through
the application or a casual SQL session. One change stays allowed: setting ``actor_id`` to
NULL, which Django does when an account is deleted (on_delete=SET_NULL). The MAC covers the
recorded user name, not this link, so the chain still verifies.

SQLite drops a table's triggers when a migration rebuilds that table: a later migration that
alters AuditRecord must install them again (the tests refusing raw UPDATE/DELETE will notice).
"""

from django.db import migrations

MESSAGE = "audit records are append-only"
COLUMNS = (
    "id, at, actor_name, action, target_type, target_id, target_repr, address, success, "
    "details, mac"
)

SQLITE_INSTALL = [
    f"""CREATE TRIGGER audit_record_refuse_update
    BEFORE UPDATE OF {COLUMNS} ON audit_auditrecord
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_record_refuse_relink
    BEFORE UPDATE OF actor_id ON audit_auditrecord WHEN NEW.actor_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_record_refuse_delete
    BEFORE DELETE ON audit_auditrecord
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_record_refuse_update",
    "DROP TRIGGER IF EXISTS audit_record_refuse_relink",
    "DROP TRIGGER IF EXISTS audit_record_refuse_delete",
]

POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_record_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$""",
    """CREATE TRIGGER audit_record_refuse_change
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_refuse_change()""",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_record_refuse_change ON audit_auditrecord",
    "DROP FUNCTION IF EXISTS audit_record_refuse_change()",
]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
}


def _run(schema_editor, install: bool) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return  # other databases rely on the MAC chain alone
    for sql in statements[0 if install else 1]:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, install=True)


def remove(apps, schema_editor):
    _run(schema_editor, install=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
