"""The full-text index over SearchDocument's segmented text, per database.

SQLite: an FTS5 table reading its content from ``core_searchdocument`` (external content) and
kept in step by triggers. PostgreSQL: a stored generated tsvector column with a GIN index.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE core_searchdocument_fts USING fts5(
        title_tokens, body_tokens,
        content='core_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER core_searchdocument_fts_insert AFTER INSERT ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens);
    END""",
    """CREATE TRIGGER core_searchdocument_fts_delete AFTER DELETE ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, title_tokens,
            body_tokens) VALUES ('delete', old.id, old.title_tokens, old.body_tokens);
    END""",
    """CREATE TRIGGER core_searchdocument_fts_update
    AFTER UPDATE OF title_tokens, body_tokens ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, title_tokens,
            body_tokens) VALUES ('delete', old.id, old.title_tokens, old.body_tokens);
        INSERT INTO core_searchdocument_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER core_searchdocument_fts_update",
    "DROP TRIGGER core_searchdocument_fts_delete",
    "DROP TRIGGER core_searchdocument_fts_insert",
    "DROP TABLE core_searchdocument_fts",
]
POSTGRESQL = [
    """ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')
    ) STORED""",
    "CREATE INDEX core_searchdocument_vector ON core_searchdocument USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX core_searchdocument_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
