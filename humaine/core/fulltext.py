"""Full-text search with each database's own machinery.

PostgreSQL: a stored generated ``tsvector`` column (German and English configurations)
with a GIN index. SQLite: an FTS5 table kept in step with the model's table by triggers.

An app declares its index once and registers it in its ``AppConfig.ready``::

    fulltext.INDEXES.register(FullTextIndex(Inquiry, ["work_process", "problem"]))

and searches through :func:`filter_matching` (a queryset filter) or :func:`rank`
(ids with relevance scores). The index is created, or replaced when its definition
changed, after every ``migrate`` (SQLite rebuilds tables on schema changes, dropping
triggers, so the index is re-checked each time rather than only in one migration).
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, Model, QuerySet
from django.db.models.expressions import RawSQL

from .registry import Registry

MAX_TERMS = 12
_WORD = re.compile(r"\w{2,}", re.UNICODE)


@dataclass(frozen=True)
class FullTextIndex:
    """A full-text index over some text columns of one model."""

    model: type[Model]
    fields: tuple[str, ...] = field(default=())
    configs: tuple[str, ...] = ("german", "english")

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple(self.fields))

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def pk_column(self) -> str:
        return self.model._meta.pk.column

    @property
    def columns(self) -> list[str]:
        return [self.model._meta.get_field(name).column for name in self.fields]

    @property
    def signature(self) -> str:
        text = "|".join([self.table, *self.columns, *self.configs])
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]

    @property
    def pg_column(self) -> str:
        return f"fts_{self.signature}"

    @property
    def sqlite_table(self) -> str:
        return f"{self.table}_fts_{self.signature}"


INDEXES: Registry[FullTextIndex] = Registry("full-text indexes", key=lambda i: i.signature)


# Words too common to search for. PostgreSQL's German and English configurations drop
# them; SQLite's FTS5 has no stop words, so without this list "die Prüfung" would need a
# word starting with "die" and find less on SQLite than on PostgreSQL.
STOP_WORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "und",
        "oder",
        "aber",
        "in",
        "im",
        "an",
        "am",
        "auf",
        "aus",
        "bei",
        "mit",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "für",
        "fur",
        "über",
        "uber",
        "unter",
        "nach",
        "vor",
        "ist",
        "sind",
        "war",
        "wird",
        "werden",
        "es",
        "sie",
        "er",
        "wir",
        "ihr",
        "ich",
        "nicht",
        "auch",
        "als",
        "wie",
        "so",
        "da",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "is",
        "are",
        "was",
        "were",
        "be",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "as",
        "not",
        "no",
    ]
)


def terms_of(query: str) -> list[str]:
    """The searchable words of a user's query (punctuation, operators and stop words dropped).

    A query of stop words only is searched as it is, rather than matching everything.
    """
    words = [word.lower() for word in _WORD.findall(query or "")]
    return ([word for word in words if word not in STOP_WORDS] or words)[:MAX_TERMS]


# Creating the index ----------------------------------------------------------------------


def _pg_ensure(cursor, index: FullTextIndex) -> None:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name LIKE 'fts\\_%%'",
        [index.table],
    )
    existing = {row[0] for row in cursor.fetchall()}
    for stale in existing - {index.pg_column}:
        cursor.execute(f'ALTER TABLE "{index.table}" DROP COLUMN "{stale}"')
    if index.pg_column in existing:
        return
    text = " || ' ' || ".join(f"coalesce(\"{col}\", '')" for col in index.columns)
    vector = " || ".join(f"to_tsvector('{config}'::regconfig, {text})" for config in index.configs)
    cursor.execute(
        f'ALTER TABLE "{index.table}" ADD COLUMN "{index.pg_column}" tsvector '
        f"GENERATED ALWAYS AS ({vector}) STORED"
    )
    cursor.execute(
        f'CREATE INDEX IF NOT EXISTS "{index.table}_{index.signature}_gin" '
        f'ON "{index.table}" USING GIN ("{index.pg_column}")'
    )


def _sqlite_ensure(cursor, index: FullTextIndex) -> None:
    fts, table, pk = index.sqlite_table, index.table, index.pk_column
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE %s ESCAPE '\\'",
        [f"{table}\\_fts\\_%"],
    )
    for (stale,) in cursor.fetchall():
        if stale != fts and not stale.startswith(f"{fts}_"):
            cursor.execute(f'DROP TABLE IF EXISTS "{stale}"')
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{stale}_{suffix}"')
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [fts])
    created = cursor.fetchone() is None
    cols = ", ".join(f'"{col}"' for col in index.columns)
    new_vals = ", ".join(f'new."{col}"' for col in index.columns)
    old_vals = ", ".join(f'old."{col}"' for col in index.columns)
    cursor.execute(
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({cols}, '
        f"content='{table}', content_rowid='{pk}', tokenize='unicode61 remove_diacritics 2')"
    )
    triggers = {
        "ai": f'AFTER INSERT ON "{table}" BEGIN INSERT INTO "{fts}"(rowid, {cols}) '
        f'VALUES (new."{pk}", {new_vals}); END',
        "ad": f'AFTER DELETE ON "{table}" BEGIN INSERT INTO "{fts}"("{fts}", rowid, {cols}) '
        f"VALUES ('delete', old.\"{pk}\", {old_vals}); END",
        "au": f'AFTER UPDATE ON "{table}" BEGIN '
        f'INSERT INTO "{fts}"("{fts}", rowid, {cols}) VALUES (\'delete\', old."{pk}", {old_vals}); '
        f'INSERT INTO "{fts}"(rowid, {cols}) VALUES (new."{pk}", {new_vals}); END',
    }
    missing_trigger = False
    for suffix, body in triggers.items():
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{fts}_{suffix}"]
        )
        if cursor.fetchone() is None:
            missing_trigger = True
            cursor.execute(f'CREATE TRIGGER "{fts}_{suffix}" {body}')
    if created or missing_trigger:
        cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')


def ensure_indexes(using: str = "default") -> None:
    """Create or refresh every registered index on database ``using`` (idempotent)."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for index in INDEXES:
            if index.table not in tables:
                continue
            if connection.vendor == "postgresql":
                _pg_ensure(cursor, index)
            elif connection.vendor == "sqlite":
                _sqlite_ensure(cursor, index)


def rebuild(index: FullTextIndex, using: str = "default") -> None:
    """Rebuild an index from its table (SQLite; PostgreSQL's generated column needs none)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{index.sqlite_table}"("{index.sqlite_table}") VALUES (\'rebuild\')'
            )


# Searching -------------------------------------------------------------------------------


def _pg_query(index: FullTextIndex, terms: list[str], mode: str) -> tuple[str, list[str]]:
    joiner = " & " if mode == "all" else " | "
    expression = joiner.join(f"{term}:*" for term in terms)
    parts = [f"to_tsquery('{config}'::regconfig, %s)" for config in index.configs]
    return "(" + " || ".join(parts) + ")", [expression] * len(index.configs)


def _sqlite_match(terms: list[str], mode: str) -> str:
    joiner = " AND " if mode == "all" else " OR "
    return joiner.join(f'"{term}"*' for term in terms)


def filter_matching(queryset: QuerySet, index: FullTextIndex, query: str, mode: str = "all"):
    """Keep the rows of ``queryset`` that match ``query`` (every word, as prefixes)."""
    terms = terms_of(query)
    if not terms:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        tsquery, params = _pg_query(index, terms, mode)
        condition = RawSQL(
            f'"{index.table}"."{index.pg_column}" @@ {tsquery}', params, output_field=BooleanField()
        )
        return queryset.filter(condition)
    if vendor == "sqlite":
        subquery = RawSQL(
            f'SELECT rowid FROM "{index.sqlite_table}" WHERE "{index.sqlite_table}" MATCH %s',
            [_sqlite_match(terms, mode)],
        )
        return queryset.filter(pk__in=subquery)
    # Other databases: a plain case-insensitive substring search over the fields.
    from django.db.models import Q

    condition = Q()
    for term in terms:
        term_condition = Q()
        for name in index.fields:
            term_condition |= Q(**{f"{name}__icontains": term})
        condition &= term_condition
    return queryset.filter(condition)


def rank(
    index: FullTextIndex,
    query: str,
    *,
    limit: int = 100,
    mode: str = "any",
    using="default",
    among=None,
) -> list[tuple[int, float]]:
    """Return ``(pk, score)`` of the best matches, best first; higher score is better.

    ``among`` (primary keys) scores only those rows: ranking a few candidates found
    otherwise costs little, where ranking every match of a large table does not.
    """
    terms = terms_of(query)
    if not terms:
        return []
    ids = None if among is None else [int(pk) for pk in among]
    if ids is not None and not ids:
        return []
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery, params = _pg_query(index, terms, mode)
            restrict = f' AND "{index.pk_column}" = ANY(%s)' if ids is not None else ""
            cursor.execute(
                f'SELECT "{index.pk_column}", ts_rank_cd("{index.pg_column}", q, 32) AS score '
                f'FROM "{index.table}", (SELECT {tsquery} AS q) AS query '
                f'WHERE "{index.pg_column}" @@ q{restrict} '
                "ORDER BY score DESC LIMIT %s",
                [*params, *([ids] if ids is not None else []), limit],
            )
        elif connection.vendor == "sqlite":
            restrict = ""
            if ids is not None:
                restrict = f" AND rowid IN ({', '.join(str(pk) for pk in ids)})"
            cursor.execute(
                f'SELECT rowid, -bm25("{index.sqlite_table}") AS score FROM "{index.sqlite_table}" '
                f'WHERE "{index.sqlite_table}" MATCH %s{restrict} ORDER BY score DESC LIMIT %s',
                [_sqlite_match(terms, mode), limit],
            )
        else:
            return []
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
