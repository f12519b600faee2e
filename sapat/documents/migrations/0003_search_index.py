"""Full-text indexes over the search entries (see sapat/documents/search.py).

SQLite: an FTS5 table reading its text from documents_searchentry (external content),
kept in step by triggers; unicode61 keeps diacritics, so ө ү ң are not folded into o u н.
PostgreSQL: tsvector columns (written by search.py with the 'simple' configuration), GIN
indexes over them and a function that matches through those indexes.

On SQLite, a later migration that rebuilds documents_searchentry (Django does so for most
column changes) drops these triggers with the old table: it must create them again.

Documents already in the database are indexed here."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE documents_searchentry_fts USING fts5(
         code, title, body, draft,
         content='documents_searchentry', content_rowid='document_id',
         tokenize='unicode61 remove_diacritics 0', prefix='2 3')""",
    """CREATE TRIGGER documents_searchentry_fts_insert AFTER INSERT ON documents_searchentry BEGIN
         INSERT INTO documents_searchentry_fts(rowid, code, title, body, draft)
         VALUES (new.document_id, new.code, new.title, new.body, new.draft);
       END""",
    """CREATE TRIGGER documents_searchentry_fts_delete AFTER DELETE ON documents_searchentry BEGIN
         INSERT INTO documents_searchentry_fts(documents_searchentry_fts, rowid, code, title, body, draft)
         VALUES ('delete', old.document_id, old.code, old.title, old.body, old.draft);
       END""",
    """CREATE TRIGGER documents_searchentry_fts_update AFTER UPDATE ON documents_searchentry BEGIN
         INSERT INTO documents_searchentry_fts(documents_searchentry_fts, rowid, code, title, body, draft)
         VALUES ('delete', old.document_id, old.code, old.title, old.body, old.draft);
         INSERT INTO documents_searchentry_fts(rowid, code, title, body, draft)
         VALUES (new.document_id, new.code, new.title, new.body, new.draft);
       END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER documents_searchentry_fts_insert",
    "DROP TRIGGER documents_searchentry_fts_delete",
    "DROP TRIGGER documents_searchentry_fts_update",
    "DROP TABLE documents_searchentry_fts",
]

POSTGRES = [
    # head: code and titles (small, for ranking); public: those and the text in force;
    # draft: code, titles and the text of the revision being prepared.
    """ALTER TABLE documents_searchentry
         ADD COLUMN head_vector tsvector NOT NULL DEFAULT ''::tsvector,
         ADD COLUMN public_vector tsvector NOT NULL DEFAULT ''::tsvector,
         ADD COLUMN draft_vector tsvector NOT NULL DEFAULT ''::tsvector""",
    "CREATE INDEX documents_searchentry_public_gin ON documents_searchentry USING gin (public_vector)",
    "CREATE INDEX documents_searchentry_draft_gin ON documents_searchentry USING gin (draft_vector)",
    # The documents matching a query, read from the GIN indexes alone. Left to itself the
    # planner reads every row for a common word, unpacking every vector (~20 times slower).
    # The documents matching a query, read from the GIN indexes alone (left to itself, the
    # planner reads every row for a common word, unpacking every vector: ~20 µs each).
    # Each comes once: found in the text in force, or else (with drafts) only in the draft;
    # with head, how well its code and titles match (a small vector, cheap), and rank,
    # ts_rank over the whole text, computed only when at most rank_limit are found. ROWS:
    # the planner then hashes the visibility rules, as it should for common words.
    """CREATE FUNCTION documents_search_match(query tsquery, drafts boolean, rank_limit integer)
         RETURNS TABLE (document_id bigint, in_force boolean, head real, rank real)
         LANGUAGE sql STABLE ROWS 10000
         SET enable_seqscan = off
         SET jit = off
       AS $$
         WITH public AS MATERIALIZED (
           SELECT s.document_id, ts_rank(s.head_vector, query) AS head, s.public_vector AS vector
           FROM documents_searchentry s WHERE s.public_vector @@ query
         )
         SELECT p.document_id, true, p.head,
                CASE WHEN count(*) OVER () <= rank_limit THEN ts_rank(p.vector, query) ELSE 0 END
         FROM public p
         UNION ALL
         SELECT s.document_id, false, ts_rank(s.head_vector, query), 0
         FROM documents_searchentry s
         WHERE drafts AND s.draft_vector @@ query AND s.document_id NOT IN (SELECT p.document_id FROM public p)
       $$""",
]
POSTGRES_REVERSE = [
    "DROP FUNCTION documents_search_match(tsquery, boolean, integer)",
    """ALTER TABLE documents_searchentry
         DROP COLUMN head_vector, DROP COLUMN public_vector, DROP COLUMN draft_vector""",
]


def forwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)
    using = schema_editor.connection.alias
    if apps.get_model("documents", "Document").objects.using(using).exists():
        # Only where documents exist already: a new database (and the tests') skips it, so
        # later changes to the models cannot break this step.
        from sapat.documents import search

        search.rebuild(apps=apps, using=using)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_searchentry")]

    operations = [migrations.RunPython(forwards, backwards)]
