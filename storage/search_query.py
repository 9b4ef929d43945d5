"""core.board.team.TeamRepository.find_interviews in SQL: full-text search and the `interviews` filters.

Words become a query the database cannot misread: on PostgreSQL each word goes through plainto_tsquery as a bound
value; on SQLite each is a quoted FTS5 string (the words hold letters and digits only, core.board.search), so
operators typed by a person ("AND", "NEAR", "*", quotes, "-") are searched as words or dropped, never run.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from functools import reduce
from typing import Any

from sqlalchemy import Text, and_, bindparam, cast, column, func, literal_column, or_, select
from sqlalchemy import table as table_clause
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.elements import ColumnElement

from core.board.search import COUNT_CAP, InterviewHit, InterviewHits, InterviewQuery, prefix_of, remaining
from core.domain import SURVEY_SCRIPT
from storage.board_tables import table
from storage.executor import Executor
from storage.interview_rows import listed_summary
from storage.search_index import CONFIG, SEARCH, team_key

IV, TEAM, MEMBER = table("interview"), table("team"), table("member")
FTS = table_clause("interview_fts", column("rowid"))
"""SQLite's FTS5 table over interview_search (its rowid is interview_search.id)."""


def fts5_query(terms: tuple[str, ...]) -> str:
    """An FTS5 MATCH expression finding every term: English words stemmed (porter), others by their prefix."""
    parts = []
    for term in terms:
        quoted = '"' + term.replace('"', '""') + '"'
        parts.append(quoted if term.isascii() else '"' + prefix_of(term).replace('"', '""') + '"*')
    return " AND ".join(parts)


def team_match(team_id: int, terms: tuple[str, ...]) -> str:
    """An FTS5 MATCH expression for one team's rows whose text holds every term."""
    return f'team_key : "{team_key(team_id)}" AND body : ({fts5_query(terms)})'


def tsquery_of(terms: tuple[str, ...], params: dict[str, Any]) -> Any:
    """PostgreSQL's query for every term: stemmed ('russian'), and a Cyrillic word also by its start ('simple')."""
    queries: list[Any] = []
    for n, term in enumerate(terms):
        params[f"p_term_{n}"] = term
        stemmed: Any = func.plainto_tsquery(literal_column(f"'{CONFIG}'::regconfig"), bindparam(f"p_term_{n}"))
        if not term.isascii():  # letters and digits only (core.board.search), so ":*" is the one operator
            params[f"p_prefix_{n}"] = prefix_of(term) + ":*"
            prefixed = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam(f"p_prefix_{n}"))
            stemmed = stemmed.op("||")(prefixed)
        queries.append(stemmed)
    return reduce(lambda a, b: a.op("&&")(b), queries)


async def _matching(
    execute: Executor, dialect: str, terms: tuple[str, ...], params: dict[str, Any]
) -> ColumnElement[bool] | None:
    """The condition on interview_search that its text holds every term (None: no word can match, e.g. only
    stop words on PostgreSQL)."""
    if dialect == "postgresql":
        # The query is worked out first and then written into the statement as a constant: the planner then sees
        # how rare its words are (GIN index for rare ones, the latest rows for common ones); over a function of
        # bound values it guesses, and reads every row of the team for a word nobody said.
        words: dict[str, Any] = {}
        query = (await execute(select(cast(tsquery_of(terms, words), Text)), words)).scalar_one()
        if not query:
            return None
        params["p_tsquery"] = query
        constant = cast(bindparam("p_tsquery", type_=Text(), literal_execute=True), TSQUERY)
        return literal_column("interview_search.doc").op("@@")(constant)
    params["p_match"] = fts5_query(terms)
    found = select(FTS.c.rowid).where(literal_column("interview_fts").op("MATCH")(bindparam("p_match")))
    return SEARCH.c.id.in_(found.scalar_subquery())


async def find_interviews(
    execute: Executor, dialect: str, team_id: int, query: InterviewQuery, limit: int, offset: int = 0
) -> InterviewHits:
    """A page of the team's interviews the query finds, newest first, and how many more (up to COUNT_CAP)."""
    if query.terms and query.member_ids is None and query.since is None and query.segment is None:
        if dialect == "sqlite":
            return await _sqlite_search(execute, team_id, query.terms, limit, offset)
        return await _postgres_search(execute, team_id, query.terms, limit, offset)
    params: dict[str, Any] = {"p_team": team_id}
    conditions: list[ColumnElement[bool]] = [IV.c.team_id == bindparam("p_team"), IV.c.script != SURVEY_SCRIPT]
    if query.member_ids is not None:
        conditions.append(IV.c.member_id.in_(list(query.member_ids)))
    if query.since is not None:
        params |= {"p_since": query.since, "p_since_at": datetime.combine(query.since, time(), UTC)}
        conditions.append(
            or_(
                IV.c.interview_date >= bindparam("p_since"),
                and_(IV.c.interview_date.is_(None), IV.c.started_at >= bindparam("p_since_at")),
            )
        )
    if query.segment is not None:
        segments = await _segments_containing(execute, team_id, query.segment)
        if not segments:
            return InterviewHits([])
        conditions.append(IV.c.segment.in_(segments))
    columns: list[Any] = [*IV.c, TEAM.c.slug, MEMBER.c.display_name.label("founder")]
    source = IV.join(TEAM, TEAM.c.id == IV.c.team_id).outerjoin(
        MEMBER, and_(MEMBER.c.id == IV.c.member_id, MEMBER.c.team_id == IV.c.team_id)
    )
    if query.terms:
        columns.append(SEARCH.c.body)
        source = source.join(SEARCH, SEARCH.c.interview_id == IV.c.id)
        matching = await _matching(execute, dialect, query.terms, params)
        if matching is None:
            return InterviewHits([])
        conditions += [SEARCH.c.team_id == bindparam("p_team"), IV.c.status == "completed", matching]
    found = select(*columns).select_from(source).where(*conditions)
    # With words, newest first along the index's own order (PostgreSQL reads ix_interview_search_latest backwards
    # when the words are common, the GIN index when they are rare).
    order = (SEARCH.c.started_at, SEARCH.c.id) if query.terms else (IV.c.started_at, IV.c.id)
    page = found.order_by(*(column.desc() for column in order)).limit(limit).offset(offset)
    rows = (await execute(page, params)).all()
    hits = [InterviewHit(listed_summary(row), row.body if query.terms else "") for row in rows]
    more = 0
    if len(rows) == limit:
        capped = select(IV.c.id).select_from(source).where(*conditions).limit(COUNT_CAP + 1).subquery()
        total = (await execute(select(func.count()).select_from(capped), params)).scalar_one()
        more = remaining(total, offset, len(rows))
    return InterviewHits(hits, more)


_FTS_PAGE = (
    select(FTS.c.rowid)
    .where(literal_column("interview_fts").op("MATCH")(bindparam("p_match")))
    .order_by(FTS.c.rowid.desc())
    .limit(bindparam("p_limit"))
    .offset(bindparam("p_offset"))
)
_FTS_COUNT = select(func.count()).select_from(
    select(FTS.c.rowid)
    .where(literal_column("interview_fts").op("MATCH")(bindparam("p_match")))
    .limit(COUNT_CAP + 1)
    .subquery()
)
_FOUND = (
    select(*IV.c, TEAM.c.slug, MEMBER.c.display_name.label("founder"), SEARCH.c.body)
    .select_from(
        SEARCH.join(IV, IV.c.id == SEARCH.c.interview_id)
        .join(TEAM, TEAM.c.id == IV.c.team_id)
        .outerjoin(MEMBER, and_(MEMBER.c.id == IV.c.member_id, MEMBER.c.team_id == IV.c.team_id))
    )
    .where(SEARCH.c.id.in_(bindparam("p_ids", expanding=True)), IV.c.status == "completed")
    .order_by(SEARCH.c.started_at.desc(), SEARCH.c.id.desc())
)
"""A page's interviews by their index row ids, newest first."""


async def _postgres_search(
    execute: Executor, team_id: int, terms: tuple[str, ...], limit: int, offset: int
) -> InterviewHits:
    """Words alone on PostgreSQL: count the team's hits up to COUNT_CAP first (GIN index), then read the page.

    Few hits are read whole from the GIN index and sorted; many are read newest first along
    ix_interview_search_latest until the page is full. Chosen here, not by the planner: it guesses a word nobody
    said at a hundred rows, and would then read every row of the team to find none.
    """
    params: dict[str, Any] = {"p_team": team_id}
    matching = await _matching(execute, "postgresql", terms, params)
    if matching is None:
        return InterviewHits([])
    mine = select(SEARCH.c.id, SEARCH.c.started_at).where(SEARCH.c.team_id == bindparam("p_team"), matching)
    capped = mine.limit(COUNT_CAP + 1).subquery()
    total = (await execute(select(func.count()).select_from(capped), params)).scalar_one()
    if total == 0:
        return InterviewHits([])
    if total <= COUNT_CAP:
        found: Any = mine.cte("found").prefix_with("MATERIALIZED")
        order = (found.c.started_at.desc(), found.c.id.desc())
        page = select(found.c.id).order_by(*order)
    else:
        page = mine.with_only_columns(SEARCH.c.id).order_by(SEARCH.c.started_at.desc(), SEARCH.c.id.desc())
    ids = [row[0] for row in await execute(page.limit(limit).offset(offset), params)]
    if not ids:
        return InterviewHits([])
    rows = (await execute(_FOUND, {"p_ids": ids})).all()
    more = remaining(total, offset, len(ids)) if len(ids) == limit else 0
    return InterviewHits([InterviewHit(listed_summary(row), row.body) for row in rows], more)


async def _sqlite_search(
    execute: Executor, team_id: int, terms: tuple[str, ...], limit: int, offset: int
) -> InterviewHits:
    """Words alone on SQLite: FTS5 reads the team's hits newest first (row ids sort as interviews started) and stops
    after the page; then the page's interviews by their row ids, and the rest counted up to COUNT_CAP."""
    match = team_match(team_id, terms)
    ids = [row[0] for row in await execute(_FTS_PAGE, {"p_match": match, "p_limit": limit, "p_offset": offset})]
    if not ids:
        return InterviewHits([])
    rows = (await execute(_FOUND, {"p_ids": ids})).all()  # started_at sorts as the row ids do
    hits = [InterviewHit(listed_summary(row), row.body) for row in rows]
    more = 0
    if len(ids) == limit:
        total = (await execute(_FTS_COUNT, {"p_match": match})).scalar_one()
        more = remaining(total, offset, len(ids))
    return InterviewHits(hits, more)


async def _segments_containing(execute: Executor, team_id: int, wanted: str) -> list[str]:
    """The team's segment wordings that contain the text in any case (compared in Python: SQLite folds ASCII only)."""
    folded = " ".join(wanted.casefold().split())
    rows = await execute(
        select(IV.c.segment).where(IV.c.team_id == bindparam("p_team"), IV.c.segment.is_not(None)).distinct(),
        {"p_team": team_id},
    )
    return [row[0] for row in rows if folded in " ".join(str(row[0]).casefold().split())]
