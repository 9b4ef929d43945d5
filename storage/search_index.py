"""The full-text index of completed interviews: its tables on each database, and keeping a row in step.

`interview_search` holds one row per completed interview: its team and the text it is found by
(core.board.search.document). PostgreSQL keeps a tsvector of that text under a GIN index: its words stemmed by the
'russian' configuration (the Russian stemmer for Cyrillic words, the English one for Latin ones) and, for prefix
matching, as written ('simple': Snowball stems "запись" to "зап" but "записи" to "запис", so Cyrillic words are
also matched by prefix). SQLite keeps an FTS5 table over the same rows (porter stemming for English; other scripts
matched by prefix, see storage.search_query).

The tables are not in SQLModel.metadata (their full-text parts differ by database); migration 0014 creates them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, bindparam, delete, func, select, text
from sqlmodel import col

from core.board.search import document, record_texts
from core.domain import SURVEY_SCRIPT, InterviewRecord
from storage import tables as t
from storage.executor import Executor, aware, utc

SEARCH_METADATA = MetaData()
SEARCH = Table(
    "interview_search",
    SEARCH_METADATA,
    Column("id", Integer, primary_key=True),
    Column("interview_id", String(40), nullable=False, unique=True),
    Column("team_id", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("team_key", String(24), nullable=False),
    Column("body", Text, nullable=False),
)
"""On SQLite `id` orders rows as their interviews started (order_key), so FTS5 reads the newest hits first and stops
after a page; `team_key` ("team12") lets its MATCH keep to one team."""
SEARCH_TABLES = frozenset({"interview_search", "interview_fts"})
"""The index's tables (with FTS5's own ones, named interview_fts_*): schema comparisons leave them out."""
CONFIG = "russian"
"""PostgreSQL's text search configuration: Russian stemming for Cyrillic words, English stemming for Latin ones."""


def is_search_table(name: str | None) -> bool:
    """True for a table of the search index."""
    return name is not None and (name in SEARCH_TABLES or name.startswith("interview_fts_"))


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's include_name: schema comparisons leave the search index alone (its tables differ by database)."""
    return not (type_ == "table" and is_search_table(name))


def create_statements(dialect: str) -> list[str]:
    """The DDL of the index on a database (migration 0014)."""
    common = (
        "CREATE TABLE interview_search ("
        "id {serial} PRIMARY KEY, "
        "interview_id VARCHAR(40) NOT NULL UNIQUE REFERENCES interview (id) ON DELETE CASCADE, "
        "team_id INTEGER NOT NULL REFERENCES team (id) ON DELETE CASCADE, "
        "started_at {moment} NOT NULL, team_key VARCHAR(24) NOT NULL, body TEXT NOT NULL{extra})"
    )
    if dialect == "postgresql":
        vector = f"to_tsvector('{CONFIG}'::regconfig, body) || to_tsvector('simple'::regconfig, body)"
        doc = f", doc tsvector GENERATED ALWAYS AS ({vector}) STORED"
        return [
            common.format(serial="SERIAL", moment="TIMESTAMP WITH TIME ZONE", extra=doc),
            "CREATE INDEX ix_interview_search_doc ON interview_search USING GIN (doc)",
            "CREATE INDEX ix_interview_search_latest ON interview_search (team_id, started_at, id)",
        ]
    return [
        common.format(serial="INTEGER", moment="DATETIME", extra=""),
        "CREATE INDEX ix_interview_search_team ON interview_search (team_id)",
        "CREATE VIRTUAL TABLE interview_fts USING fts5(team_key, body, content='interview_search', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        # FTS5's external content is kept in step by triggers (https://sqlite.org/fts5.html#external_content_tables).
        "CREATE TRIGGER interview_search_ai AFTER INSERT ON interview_search BEGIN "
        "INSERT INTO interview_fts (rowid, team_key, body) VALUES (new.id, new.team_key, new.body); END",
        "CREATE TRIGGER interview_search_ad AFTER DELETE ON interview_search BEGIN "
        "INSERT INTO interview_fts (interview_fts, rowid, team_key, body) "
        "VALUES ('delete', old.id, old.team_key, old.body); END",
        "CREATE TRIGGER interview_search_au AFTER UPDATE ON interview_search BEGIN "
        "INSERT INTO interview_fts (interview_fts, rowid, team_key, body) "
        "VALUES ('delete', old.id, old.team_key, old.body); "
        "INSERT INTO interview_fts (rowid, team_key, body) VALUES (new.id, new.team_key, new.body); END",
    ]


def drop_statements(dialect: str) -> list[str]:
    """Undo create_statements."""
    fts = [] if dialect == "postgresql" else ["DROP TABLE interview_fts"]
    return [*fts, "DROP TABLE interview_search"]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KEY_SPREAD = 1_000_000
"""Interviews started in the same microsecond take the next free keys after it (at most this many apart)."""
_ANSWERS = (
    select(col(t.Answer.value))
    .where(col(t.Answer.interview_id) == bindparam("p_id"))
    .order_by(col(t.Answer.updated_at), col(t.Answer.question_id))
)
_INTERVIEW = select(col(t.Interview.script), col(t.Interview.started_at)).where(
    col(t.Interview.id) == bindparam("p_id")
)
_FORGET = delete(SEARCH).where(SEARCH.c.interview_id == bindparam("p_id"))
_FREE_KEY = (
    select(func.coalesce(func.max(SEARCH.c.id) + 1, bindparam("p_key")))
    .where(SEARCH.c.id >= bindparam("p_key"), SEARCH.c.id < bindparam("p_key") + KEY_SPREAD)
    .scalar_subquery()
)


def order_key(started_at: datetime) -> int:
    """An SQLite row id that sorts as interviews started: microseconds since 1970 (UTC)."""
    return (utc(started_at) - EPOCH) // timedelta(microseconds=1)


def team_key(team_id: int) -> str:
    """The word that marks a team's rows in the FTS5 table."""
    return f"team{team_id}"


async def index_interview(
    execute: Executor, dialect: str, interview_id: str, team_id: int, record: InterviewRecord
) -> None:
    """(Re)write the index row of a completed interview from its record and its stored answers (survey answers
    are not interviews: never indexed)."""
    found = (await execute(_INTERVIEW, {"p_id": interview_id})).first()
    if found is None or found.script == SURVEY_SCRIPT:
        return
    started = aware(found.started_at)
    assert started is not None
    answers = [row[0] for row in await execute(_ANSWERS, {"p_id": interview_id})]
    body = document(record.alias, record.segment, record.role, [*record_texts(record), *answers])
    await execute(_FORGET, {"p_id": interview_id})
    row = {"interview_id": interview_id, "team_id": team_id, "started_at": started, "team_key": team_key(team_id)}
    if dialect == "postgresql":
        await execute(SEARCH.insert(), {**row, "body": body})
    else:
        await execute(SEARCH.insert().values(id=_FREE_KEY), {**row, "body": body, "p_key": order_key(started)})


def backfill(connection: Any, dialect: str) -> int:
    """Index every completed interview already stored (migration 0014; synchronous, on the migration's connection).

    Reads the same columns the write path uses: the interview's own, its items, evidence quotes, commitment notes
    and answers. Returns how many interviews were indexed.
    """
    interviews = connection.execute(
        text(
            "SELECT id, team_id, started_at, alias, segment, role, quote, met_via FROM interview "
            f"WHERE status = 'completed' AND script != '{SURVEY_SCRIPT}' ORDER BY started_at, id"
        )
    ).all()
    texts: dict[str, list[Any]] = {row.id: [] for row in interviews}
    queries = (
        "SELECT interview_id, text FROM item ORDER BY interview_id, "
        "CASE kind WHEN 'pain' THEN 0 WHEN 'job' THEN 1 ELSE 2 END, position",
        "SELECT interview_id, quote FROM evidence ORDER BY id",
        "SELECT interview_id, note FROM commitment ORDER BY id",
    )
    for query in queries:
        for interview_id, value in connection.execute(text(query)):
            if interview_id in texts:
                texts[interview_id].append(value)
    answers: dict[str, list[Any]] = {}
    for interview_id, value in connection.execute(
        text("SELECT interview_id, value FROM answer ORDER BY interview_id, updated_at, question_id")
    ):
        if interview_id in texts:
            answers.setdefault(interview_id, []).append(_json(value, dialect))
    rows = []
    taken: set[int] = set()
    for row in interviews:
        started = _moment(row.started_at)
        body = document(
            row.alias, row.segment, row.role, [row.quote, *texts[row.id], row.met_via, *answers.get(row.id, [])]
        )
        values = {
            "interview_id": row.id,
            "team_id": row.team_id,
            "started_at": started,
            "team_key": team_key(row.team_id),
            "body": body,
        }
        if dialect != "postgresql":
            key = order_key(started)
            while key in taken:
                key += 1
            taken.add(key)
            values["id"] = key
        rows.append(values)
    for start in range(0, len(rows), 1000):
        connection.execute(SEARCH.insert(), rows[start : start + 1000])
    return len(rows)


def _moment(value: Any) -> datetime:
    """A stored moment as UTC (SQLite hands a raw select's back as text)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return cast(datetime, aware(moment))


def _json(value: Any, dialect: str) -> Any:
    """An answer's value as stored: SQLite hands JSON back as text in a raw select."""
    if isinstance(value, str) and dialect == "sqlite":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
