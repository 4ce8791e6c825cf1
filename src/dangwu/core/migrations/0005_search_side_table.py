"""PostgreSQL: the full-text match moves to a narrow side table kept in step by triggers.

``core_searchdocument_tsv`` holds, per document, only what a search filters and ranks by: the
id, the reader fields (kind, object_id, visibility, column_id, columns, source, published_at)
and the weighted tsvector, with the GIN index. A search no longer reads the wide documents
table (titles, texts and token strings, ≈ 2 rows per 8 KB page) for each match, only these
dense rows; the documents table is read for the page's 20 hits. Triggers on
``core_searchdocument`` write the side table in the same transaction as the document (insert,
update, delete, truncate), as the FTS5 triggers do on SQLite; the tsvector column and its GIN
index on the documents table are dropped (they moved). Nothing changes on SQLite.
"""

from django.db import migrations

SIDE = "core_searchdocument_tsv"
READER_FIELDS = "kind, object_id, visibility, column_id, columns, source, published_at"
VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, {0}.title_tokens), 'A') "
    "|| setweight(to_tsvector('simple'::regconfig, {0}.body_tokens), 'B')"
)
NEW_FIELDS = ", ".join(f"NEW.{f}" for f in READER_FIELDS.split(", "))
SET_FIELDS = ", ".join(f"{f} = EXCLUDED.{f}" for f in [*READER_FIELDS.split(", "), "search_vector"])

POSTGRESQL = [
    # The same column types as core_searchdocument's, so the WHERE clause that Django compiles
    # for the documents table means the same on this one.
    f"""CREATE TABLE {SIDE} (
        id bigint PRIMARY KEY,
        kind varchar(40) NOT NULL,
        object_id bigint NOT NULL,
        visibility varchar(20) NOT NULL,
        column_id bigint NULL,
        columns varchar(500) NOT NULL,
        source varchar(20) NOT NULL,
        published_at timestamp with time zone NOT NULL,
        search_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    # Existing documents: their tsvector is already computed (0002's generated column).
    f"""INSERT INTO {SIDE} (id, {READER_FIELDS}, search_vector)
        SELECT id, {READER_FIELDS}, search_vector FROM core_searchdocument""",  # noqa: S608
    f"CREATE INDEX {SIDE}_vector ON {SIDE} USING gin (search_vector)",
    f"""CREATE FUNCTION {SIDE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {SIDE} WHERE id = OLD.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
            DELETE FROM {SIDE} WHERE id = OLD.id;
        END IF;
        INSERT INTO {SIDE} (id, {READER_FIELDS}, search_vector)
        VALUES (NEW.id, {NEW_FIELDS}, {VECTOR.format("NEW")})
        ON CONFLICT (id) DO UPDATE SET {SET_FIELDS};
        RETURN NULL;
    END
    $$""",  # noqa: S608  (constants only)
    f"""CREATE TRIGGER {SIDE}_sync AFTER INSERT OR UPDATE OR DELETE ON core_searchdocument
        FOR EACH ROW EXECUTE FUNCTION {SIDE}_sync()""",
    # Django's flush (and a test database reset) empties tables with TRUNCATE.
    f"""CREATE FUNCTION {SIDE}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {SIDE};
        RETURN NULL;
    END
    $$""",
    f"""CREATE TRIGGER {SIDE}_truncate AFTER TRUNCATE ON core_searchdocument
        FOR EACH STATEMENT EXECUTE FUNCTION {SIDE}_truncate()""",
    "DROP INDEX core_searchdocument_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN search_vector",
]
POSTGRESQL_REVERSE = [
    # 0002's column and index, recomputed from the token strings.
    f"""ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        {VECTOR.format("core_searchdocument")}
    ) STORED""",
    "CREATE INDEX core_searchdocument_vector ON core_searchdocument USING gin (search_vector)",
    f"DROP TRIGGER {SIDE}_truncate ON core_searchdocument",
    f"DROP FUNCTION {SIDE}_truncate()",
    f"DROP TRIGGER {SIDE}_sync ON core_searchdocument",
    f"DROP FUNCTION {SIDE}_sync()",
    f"DROP TABLE {SIDE}",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0004_periodic_job_state")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL}),
            _run({"postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
