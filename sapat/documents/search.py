"""Full-text search over documents: codes, titles in the three languages, the text of the
revision in force (written in the app and read out of its PDF/DOCX/XLSX/ODT files) and,
for those who may see drafts, the text of the revision being prepared.

One `SearchEntry` row per document holds what is searched; `reindex_document` rewrites it
whenever a title, a language version or the revision in force changes, and `rebuild`
writes many at once. Over it:

- SQLite: an FTS5 table (external content: the entry table, kept in step by triggers,
  migration `search_index`), tokenizer unicode61 with diacritics kept, so that the Kyrgyz
  ө ү ң stay apart from o u н; bm25() ranks, snippet() shows where the words matched.
- PostgreSQL: two tsvector columns with GIN indexes, configuration 'simple' (there is no
  Kyrgyz dictionary; 'simple' treats the three languages alike); ts_rank ranks,
  ts_headline shows where the words matched.

Words are the same everywhere: the input is cut into runs of letters and digits here and
lower-cased, and only those words reach the database, quoted, so nothing typed (quotes,
stars, brackets, AND/OR/NEAR, a lone "-") can change the query. A document matches when it
has every word; a word of two or more characters also matches as the start of a longer one
(Kyrgyz and Russian add endings: "аудит" finds "аудиттин", "аудита"). A code like
"СМС-ДП-04" is the words смс, дп, 04, so "ДП-04" and "дп 04" find it.

Text of a revision in preparation only ever matches for the users `selectors.can_see_drafts`
allows, and never changes the order of the results for anyone."""

import re
import unicodedata
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sapat.org import access
from sapat.org.access import Perm

from .choices import RevisionState

FTS_TABLE = "documents_searchentry_fts"
ENTRY_TABLE = "documents_searchentry"

# Revisions on their way to coming into force: their text is a draft's.
PREPARATION_STATES = (
    RevisionState.DRAFT,
    RevisionState.AGREEMENT,
    RevisionState.APPROVAL,
    RevisionState.APPROVED,
    RevisionState.REGISTERED,
)
LANGUAGE_ORDER = {"ky": 0, "ru": 1, "en": 2}

MAX_QUERY_CHARS = 200
MAX_WORDS = 10
MAX_WORD_CHARS = 60
# PostgreSQL refuses a tsvector over 1 MB; a huge file is indexed up to this many bytes of
# distinct words and positions (its later words, if new, are not found; its snippet too).
VECTOR_BUDGET = 600_000
HEADLINE_CHARS = 100_000  # of a text ts_headline reads for the snippet
SNIPPET_TOKENS = 24

# Private-use characters mark a match (and, in PostgreSQL's snippets, stand in for < and >,
# which ts_headline would otherwise drop as HTML tags). They are taken out of indexed text.
MARK, UNMARK, LT, GT = "\ue000", "\ue001", "\ue002", "\ue003"
_RESERVED_CHARS = MARK + UNMARK + LT + GT + "\x00"
_WORD = re.compile(r"[^\W_]+")


# --- words --------------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    for char in _RESERVED_CHARS:
        if char in text:  # (rare; str.translate would read every character of every text)
            text = text.replace(char, " ")
    return text


def words(text: str) -> list[str]:
    """The words of a text as search sees them: runs of letters and digits, lower-cased."""
    return _WORD.findall(_clean(text).lower())


def query_words(text: str) -> list[str]:
    """The words of what the user typed, each once, at most MAX_WORDS."""
    found = []
    for word in words((text or "")[:MAX_QUERY_CHARS]):
        word = word[:MAX_WORD_CHARS]
        if word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def _matches(token: str, query: list[str]) -> bool:
    return any(token.startswith(word) if len(word) > 1 else token == word for word in query)


def highlight(text: str, query: list[str]) -> SafeString:
    """`text` as HTML with the words that match marked (for codes and titles)."""
    text = _clean(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        if _matches(match.group().lower(), query):
            out += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def _snippet_html(snippet: str | None) -> SafeString:
    """A database snippet as HTML: everything escaped, then the match markers made <mark>.
    Empty when nothing in it matched."""
    if not snippet or MARK not in snippet:
        return mark_safe("")
    html = str(escape(snippet))
    for marker, tag in ((MARK, "<mark>"), (UNMARK, "</mark>"), (LT, "&lt;"), (GT, "&gt;")):
        html = html.replace(marker, tag)
    return mark_safe(html)


# --- indexing -----------------------------------------------------------------------------


def _revision_text(revision) -> str:
    versions = sorted(revision.versions.all(), key=lambda v: LANGUAGE_ORDER.get(v.language, 9))
    return _clean("\n\n".join(part for v in versions for part in (v.text, v.extracted_text) if part.strip()))


def build_entry(entry_model, document, revisions):
    """The entry of one document from its revisions in force and in preparation."""
    in_force = next((r for r in revisions if r.state == RevisionState.IN_FORCE), None)
    preparing = max((r for r in revisions if r.state in PREPARATION_STATES), key=lambda r: r.number, default=None)
    titles = (document.title_ky, document.title_ru, document.title_en, document.issuer)
    return entry_model(
        document_id=document.pk,
        code=_clean(" ".join(filter(None, (document.code, document.external_number)))),
        title=_clean("\n".join(filter(None, titles))),
        body=_revision_text(in_force) if in_force else "",
        draft=_revision_text(preparing) if preparing else "",
        revision_number=in_force.number if in_force else None,
        draft_number=preparing.number if preparing else None,
    )


def _vector_text(text: str, budget: int = VECTOR_BUDGET) -> str:
    """The words PostgreSQL indexes, kept under the tsvector size limit."""
    found = words(text)
    if len(text.encode()) + 8 * len(found) < budget:  # (what most texts need at most)
        return " ".join(found)
    counts: dict[str, int] = {}
    kept, used = [], 0
    for word in found:
        seen = counts.get(word, 0)
        cost = 2 if seen else len(word.encode()) + 8
        if seen >= 256 or used + cost > budget:  # (PostgreSQL keeps 256 positions a word)
            continue
        counts[word], used = seen + 1, used + cost
        kept.append(word)
    return " ".join(kept)


def _insert_params(entry) -> tuple:
    code, title = _vector_text(entry.code), _vector_text(entry.title)
    # The revision being prepared is matched as a whole document: its code, titles and text.
    draft = f"{code} {title} {_vector_text(entry.draft)}" if entry.draft else ""
    return (
        entry.document_id,
        entry.code,
        entry.title,
        entry.body,
        entry.draft,
        entry.revision_number,
        entry.draft_number,
        _vector_text(entry.body),
        draft,
        code,
        title,
    )


# PostgreSQL: the entry with its vectors, in one write.
_INSERT_SQL = f"""
    INSERT INTO {ENTRY_TABLE} (document_id, code, title, body, draft, revision_number, draft_number,
                               head_vector, public_vector, draft_vector)
    SELECT %s, %s, %s, %s, %s, %s, %s, head, head || setweight(to_tsvector('simple', %s), 'C'),
           to_tsvector('simple', %s)
    FROM (SELECT setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') AS head) h"""


def rebuild(document_ids=None, *, batch_size=500, apps=None, using="default") -> int:
    """Write the entries of the given documents (all by default) in bulk: a few queries per
    `batch_size` documents. `apps` is a migration's app registry when called from one."""
    registry = apps or django_apps
    document_model = registry.get_model("documents", "Document")
    revision_model = registry.get_model("documents", "Revision")
    version_model = registry.get_model("documents", "LanguageVersion")
    entry_model = registry.get_model("documents", "SearchEntry")
    if document_ids is None:
        document_ids = list(document_model.objects.using(using).order_by("pk").values_list("pk", flat=True))
    document_ids = list(document_ids)
    versions = Prefetch(
        "versions",
        queryset=version_model.objects.using(using).only("revision_id", "language", "text", "extracted_text"),
    )
    written = 0
    for start in range(0, len(document_ids), batch_size):
        chunk = document_ids[start : start + batch_size]
        documents = (
            document_model.objects.using(using)
            .filter(pk__in=chunk)
            .only("code", "title_ky", "title_ru", "title_en", "issuer", "external_number")
        )
        revisions: dict[int, list] = {}
        states = [RevisionState.IN_FORCE, *PREPARATION_STATES]
        for revision in (
            revision_model.objects.using(using)
            .filter(document_id__in=chunk, state__in=states)
            .only("document_id", "number", "state")
            .prefetch_related(versions)
        ):
            revisions.setdefault(revision.document_id, []).append(revision)
        entries = [build_entry(entry_model, d, revisions.get(d.pk, [])) for d in documents]
        entry_model.objects.using(using).filter(document_id__in=chunk).delete()
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.executemany(_INSERT_SQL, [_insert_params(e) for e in entries])
        else:
            entry_model.objects.using(using).bulk_create(entries)
        written += len(entries)
    return written


def reindex_document(document) -> None:
    """Bring one document's entry up to date (called by the services that change a title,
    a language version or the revision in force)."""
    rebuild([document.pk])


# --- who finds what -----------------------------------------------------------------------


def draft_readers_q(user) -> Q:
    """`selectors.can_see_drafts` as a filter on documents."""
    if getattr(user, "is_superuser", False):
        return Q()
    managed = access.unit_q(user, Perm.MANAGE_DOCUMENTS)
    if managed == Q():  # every document (an empty Q would narrow what is OR-ed onto it)
        return managed
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None:
        from .models import AgreementStep, Revision

        managed |= (
            Q(owner=person)
            | Exists(Revision.objects.filter(document=OuterRef("pk"), author=user))
            | Q(doc_type__approver=person)
            | Exists(AgreementStep.objects.filter(revision__document=OuterRef("pk"), person=person))
        )
    return managed


def _ids_sql(queryset):
    """SQL and parameters selecting the ids of `queryset`; None when it is surely empty."""
    try:
        return queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


@dataclass
class Hit:
    document: object
    score: float
    code: SafeString
    title: SafeString
    other_titles: list  # titles in other languages (and the issuer) where the words matched
    text: SafeString  # where the words matched in the text in force ("" if not there)
    draft: SafeString  # and in the revision being prepared, for those who may see it
    revision_number: int | None
    draft_number: int | None


class Results:
    """The documents found for one search, best first, read a page at a time (give it to
    a Paginator). A page costs at most four queries whatever its size: the page's hits
    with the count of all (one query, so the visibility rules are worked out once), which
    of them the user may see the draft of (if they may see any), their snippets, and the
    documents themselves (through `selectors.documents_for` again).

    `documents`: what the user may see (`selectors.documents_for`, filtered); `readers`:
    those of them whose drafts they may see too."""

    def __init__(self, user, query: list[str], documents, readers, *, offset=0, limit=20):
        self.user, self.words, self._documents, self._readers = user, query, documents, readers
        self._visible, self._drafts = _ids_sql(documents), _ids_sql(readers)
        self._window = (offset, limit)  # the page count() reads along with the count
        self._pages: dict[tuple, list] = {}
        self._count = None
        self.backend = PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()

    @property
    def _empty(self) -> bool:
        return self._visible is None or not self.words

    def _rows(self, offset: int, limit: int) -> list:
        """(document id, score) of one page, best first."""
        for (start, size), rows in self._pages.items():
            if start == offset and (size >= limit or len(rows) < size):  # (read already)
                return rows[:limit]
        sql, params = self.backend.page_sql(self.words, self._visible, self._drafts, offset, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if rows:
            self._count = rows[0][2]
        elif offset == 0:
            self._count = 0
        self._pages[(offset, limit)] = [row[:2] for row in rows]
        return self._pages[(offset, limit)]

    def count(self) -> int:
        if self._count is None:
            if self._empty:
                self._count = 0
            else:
                self._rows(*self._window)
            if self._count is None:  # (the page asked for lies past the end)
                sql, params = self.backend.count_sql(self.words, self._visible, self._drafts)
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if self._empty or (stop is not None and stop <= start):
            return []
        rows = self._rows(start, (stop - start) if stop is not None else max(self.count() - start, 0))
        if not rows:
            return []
        ids = [row[0] for row in rows]
        drafts = [] if self._drafts is None else list(self._readers.filter(pk__in=ids).values_list("pk", flat=True))
        sql, params = self.backend.snippets_sql(self.words, ids, drafts)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            snippets = {row[0]: row[1:] for row in cursor.fetchall()}
        documents = self._documents.in_bulk(ids)
        hits = []
        for doc_id, score in rows:
            document = documents.get(doc_id)
            if document is None:  # (changed since the search began)
                continue
            body, draft, revision_number, draft_number = snippets.get(doc_id, ("", "", None, None))
            own = document.title
            others = [
                t for t in (document.title_ky, document.title_ru, document.title_en, document.issuer) if t and t != own
            ]
            hits.append(
                Hit(
                    document=document,
                    score=float(score or 0),
                    code=highlight(document.code, self.words),
                    title=highlight(own, self.words),
                    other_titles=[h for h in (highlight(t, self.words) for t in others) if "<mark>" in h],
                    text=_snippet_html(body),
                    draft=_snippet_html(draft) if doc_id in drafts else mark_safe(""),
                    revision_number=revision_number,
                    draft_number=draft_number if doc_id in drafts else None,
                )
            )
        return hits


def search_documents(
    user, text: str, *, institution=None, doc_type=None, level=None, unit=None, status=None, offset=0, limit=20
) -> Results:
    """What `user` finds with `text` among the documents they may see, narrowed by the
    filters (a unit takes in the units below it). `offset` and `limit`: the page that will
    be read, fetched along with the count."""
    from . import selectors
    from .models import Document

    narrow = Q()
    if institution is not None:
        narrow &= Q(institution=institution)
    if doc_type is not None:
        narrow &= Q(doc_type=doc_type)
    if level:
        narrow &= Q(doc_type__level=level)
    if unit is not None:
        narrow &= Q(unit__path__startswith=unit.path)
    if status:
        narrow &= Q(status=status)
    documents = selectors.documents_for(user).filter(narrow)
    readers = Document.objects.filter(draft_readers_q(user)).filter(narrow)
    return Results(user, query_words(text), documents, readers, offset=offset, limit=limit)


# --- the two databases --------------------------------------------------------------------


class SqliteBackend:
    @staticmethod
    def words(query: list[str]) -> str:
        """Words as FTS5 query text: each quoted (so it is never syntax), all required."""
        return " AND ".join(f'"{w}"*' if len(w) > 1 else f'"{w}"' for w in query)

    def match(self, query: list[str], drafts: bool = True) -> str:
        """The document as in force; or, for those who may see drafts, also as prepared."""
        words = self.words(query)
        in_force = f"{{code title body}} : ({words})"
        return f"({in_force}) OR ({{code title draft}} : ({words}))" if drafts else in_force

    def _where(self, query, visible, drafts):
        """The condition for a row to be found, with its parameters. A row found only
        through its draft is kept if the user may see that draft."""
        visible_sql, visible_params = visible
        if drafts is None:
            return (
                f"{FTS_TABLE} MATCH %s AND +{FTS_TABLE}.rowid IN ({visible_sql})",
                [self.match(query, drafts=False), *visible_params],
            )
        readers_sql, readers_params = drafts
        # (The unary + keeps SQLite from planning the OR over the FTS index, which it cannot.)
        # (Readers first: for those who may see every draft, the second match never runs.)
        return (
            f"{FTS_TABLE} MATCH %s AND +{FTS_TABLE}.rowid IN ({visible_sql}) AND (+{FTS_TABLE}.rowid IN "
            f"({readers_sql}) OR +{FTS_TABLE}.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s))",
            [self.match(query), *visible_params, *readers_params, self.match(query, drafts=False)],
        )

    def page_sql(self, query, visible, drafts, offset, limit):
        # bm25 weights: code, titles, text in force; the draft's text never ranks. (bm25()
        # cannot share a SELECT with a window function: hence the inner query.)
        where, params = self._where(query, visible, drafts)
        return (
            f"SELECT id, score, count(*) OVER () FROM ("
            f"  SELECT {FTS_TABLE}.rowid AS id, bm25({FTS_TABLE}, 10.0, 5.0, 1.0, 0.0) AS score"
            f"  FROM {FTS_TABLE} WHERE {where}"
            f") ORDER BY score, id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def count_sql(self, query, visible, drafts):
        where, params = self._where(query, visible, drafts)
        return f"SELECT count(*) FROM {FTS_TABLE} WHERE {where}", params

    def snippets_sql(self, query, ids, draft_ids):
        marks = f"'{MARK}', '{UNMARK}', '…', {SNIPPET_TOKENS}"
        in_ids = ", ".join(["%s"] * len(ids))
        in_drafts = ", ".join(["%s"] * len(draft_ids)) or "NULL"
        return (
            f"SELECT rowid, snippet({FTS_TABLE}, 2, {marks}), "
            f"CASE WHEN rowid IN ({in_drafts}) THEN snippet({FTS_TABLE}, 3, {marks}) END, "
            f"(SELECT revision_number FROM {ENTRY_TABLE} WHERE document_id = {FTS_TABLE}.rowid), "
            f"(SELECT draft_number FROM {ENTRY_TABLE} WHERE document_id = {FTS_TABLE}.rowid) "
            # (+rowid: the match drives, once; as an index on rowid, FTS5 would run the
            # match again for every id.) Any column: each snippet marks its own matches.
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({in_ids})",
            [*draft_ids, self.words(query), *ids],
        )


class PostgresBackend:
    """Matching goes through `documents_search_match()` (migration `search_index`), which
    reads the GIN indexes only (for a common word the planner would rather read every row,
    unpacking every vector). Results are ranked by how well the code and titles match
    (`head_vector`, small), then by ts_rank over the whole text when at most RANK_LIMIT
    documents are found (ts_rank unpacks each document's vector: ~20 µs each); beyond
    that, documents whose code and titles match equally come in the order they were added."""

    RANK_LIMIT = 2000
    HEADLINE = (
        f'StartSel="{MARK}", StopSel="{UNMARK}", MaxWords={SNIPPET_TOKENS}, MinWords=8, MaxFragments=2, '
        'FragmentDelimiter=" … "'
    )

    @staticmethod
    def tsquery(query: list[str]) -> str:
        """A to_tsquery() text from words: each quoted, all required, prefixes allowed."""
        return " & ".join(f"'{w}':*" if len(w) > 1 else f"'{w}'" for w in query)

    def _found(self, query, visible, drafts):
        """A derived table `v` of the documents found that the user may see: document_id,
        head (how well code and titles match) and rank. The rules of who sees what are
        evaluated as hashed subplans (the OFFSET 0 keeps them so): each worked out once,
        then looked up, whether the words are common or rare."""
        visible_sql, visible_params = visible
        keep, keep_params = "f.in_force", []
        if drafts is not None:  # a row found only through its draft needs the right to see it
            keep, keep_params = f"(f.in_force OR f.document_id IN ({drafts[0]}))", list(drafts[1])
        return (
            f"(SELECT f.document_id, f.head, f.rank FROM ("
            f"  SELECT m.*, m.document_id IN ({visible_sql}) AS seen"
            f"  FROM documents_search_match(to_tsquery('simple', %s), %s, %s) m OFFSET 0"
            f") f WHERE f.seen AND {keep}) v",
            [*visible_params, self.tsquery(query), drafts is not None, self.RANK_LIMIT, *keep_params],
        )

    def page_sql(self, query, visible, drafts, offset, limit):
        found, params = self._found(query, visible, drafts)
        return (
            f"SELECT v.document_id, v.head + v.rank, count(*) OVER () FROM {found} "
            f"ORDER BY v.head DESC, v.rank DESC, v.document_id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def count_sql(self, query, visible, drafts):
        found, params = self._found(query, visible, drafts)
        return f"SELECT count(*) FROM {found}", params

    def snippets_sql(self, query, ids, draft_ids):
        def headline(column):
            return f"ts_headline('simple', translate(left(e.{column}, {HEADLINE_CHARS}), '<>', %s), q, %s)"

        in_ids = ", ".join(["%s"] * len(ids))
        in_drafts = ", ".join(["%s"] * len(draft_ids)) or "NULL"
        return (
            f"SELECT e.document_id, CASE WHEN e.body <> '' THEN {headline('body')} END, "
            f"CASE WHEN e.document_id IN ({in_drafts}) AND e.draft <> '' THEN {headline('draft')} END, "
            f"e.revision_number, e.draft_number "
            f"FROM {ENTRY_TABLE} e, to_tsquery('simple', %s) q WHERE e.document_id IN ({in_ids})",
            [LT + GT, self.HEADLINE, *draft_ids, LT + GT, self.HEADLINE, self.tsquery(query), *ids],
        )
