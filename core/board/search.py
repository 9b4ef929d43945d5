"""Search across a team's interviews: the query a person types, the hits storage finds, and the words that match.

Storage finds hits with the database's full-text search (storage.search_index); this module turns typed text into
plain search terms (FTS operators, quotes and emoji are never passed on) and marks the matching words of a hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.domain import InterviewRecord, InterviewSummary

MAX_TERMS = 8
"""Words of a query used at most (more only slow the search down)."""
TERM_LENGTH = 40
"""Characters of one word used at most."""
COUNT_CAP = 100
"""Hits counted at most: beyond it a reply says "100+" (more would not change what a founder does next)."""
SNIPPET = 110
"""Characters of context shown around the first matching word."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def search_terms(text: str) -> tuple[str, ...]:
    """The words of a typed query, casefolded, in order, without repeats; punctuation and operators are dropped."""
    terms: list[str] = []
    for match in _WORD.finditer(text):
        term = match.group().casefold()[:TERM_LENGTH]
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return tuple(terms)


def text_words(text: str) -> set[str]:
    """Every word of a text, casefolded."""
    return {match.group().casefold() for match in _WORD.finditer(text)}


def prefix_of(term: str) -> str:
    """The part of a non-English word kept for prefix matching where the database has no stemmer for it.

    Russian endings are mostly one or two letters ("записи", "запись", "записей" share "запис").
    """
    if term.isascii() or len(term) < 4:
        return term
    return term[:-2] if len(term) >= 7 else term[:-1]


def _root(term: str) -> str:
    """What a word must start with to count as the term, for marking it (a generous stand-in for stemming)."""
    if len(term) <= 4:
        return term
    return term[: max(4, len(term) - 3)] if term.isascii() else prefix_of(term)


def matches(word: str, terms: tuple[str, ...]) -> bool:
    """True when a word of a text reads as one of the terms (same start as the term's stem)."""
    folded = word.casefold()
    return any(folded.startswith(_root(term)) for term in terms)


@dataclass(frozen=True)
class InterviewQuery:
    """Which of a team's interviews to list: by words (completed ones only), founders, a first day, a segment."""

    terms: tuple[str, ...] = ()
    member_ids: tuple[int, ...] | None = None
    """Only interviews run by these members; None: anyone's."""
    since: date | None = None
    """Only interviews held on or after this day (their own date, else the day they started)."""
    segment: str | None = None
    """Only interviews whose segment contains this text (any case)."""


@dataclass(frozen=True)
class InterviewHit:
    """One interview found, with the text it was found in (empty when no words were asked for)."""

    interview: InterviewSummary
    text: str = ""


@dataclass(frozen=True)
class InterviewHits:
    """One page of interviews found, newest first, and how many more there are (counted up to COUNT_CAP)."""

    hits: list[InterviewHit]
    more: int = 0


def document(alias: str | None, segment: str | None, role: str | None, texts: Iterable[Any]) -> str:
    """The text a completed interview is found by: a first line "alias · segment · role", then one line for each
    other text (answers, quote, pains, jobs, gains, evidence quotes, commitment notes), repeats left out.

    Texts may be answers as stored (lists and mappings are read for the strings inside).
    """
    lines = [" · ".join(part for part in (alias, segment, role) if part)]
    for text in _strings(list(texts)):
        line = " ".join(text.split())
        if line and not _CODE.fullmatch(line) and line not in lines:
            lines.append(line)
    return "\n".join(lines)


_CODE = re.compile(r"[a-z0-9_]+_[a-z0-9_]+|-?[0-9.]+")
"""Stored choice codes ("very_disappointed") and bare numbers: nothing a person searches for."""


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def record_texts(record: InterviewRecord) -> list[str | None]:
    """What a saved interview's record adds to its search text: quote, pains, jobs, gains, evidence, commitments."""
    return [
        record.quote,
        *(pain.text for pain in record.pains),
        *(job.text for job in record.jobs),
        *(gain.text for gain in record.gains),
        *(link.quote for link in record.evidence),
        *(commitment.note for commitment in record.commitments),
        record.met_via,
    ]


def remaining(counted: int, offset: int, shown: int) -> int:
    """How many hits come after this page, from a count stopped past COUNT_CAP (then COUNT_CAP: "100+")."""
    return COUNT_CAP if counted > COUNT_CAP else max(0, counted - offset - shown)


def held_on(interview: InterviewSummary) -> date:
    """The day an interview happened: its own date, else the day it started."""
    return interview.record.interview_date or interview.started_at.date()


def snippet(text: str, terms: tuple[str, ...]) -> list[tuple[str, bool]]:
    """A short piece of the text around its first matching word, as (piece, is a match) in order.

    The text is the hit's indexed lines (storage.search_index.document); the first line (alias, segment, role)
    is the reply's heading already, so a later line is preferred.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    chosen = next((line for line in lines[1:] if _first_match(line, terms) is not None), None)
    if chosen is None:
        chosen = next((line for line in lines if _first_match(line, terms) is not None), "")
    first = _first_match(chosen, terms)
    if first is None:
        return []
    start = max(0, first - SNIPPET // 3)
    if start:
        space = chosen.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(chosen), start + SNIPPET)
    if end < len(chosen):
        space = chosen.rfind(" ", start, end)
        end = space if space > first else end
    window = chosen[start:end]
    pieces: list[tuple[str, bool]] = [("…", False)] if start else []
    at = 0
    for match in _WORD.finditer(window):
        if matches(match.group(), terms):
            pieces.append((window[at : match.start()], False))
            pieces.append((match.group(), True))
            at = match.end()
    pieces.append((window[at:], False))
    if end < len(chosen):
        pieces.append(("…", False))
    return [(piece, bold) for piece, bold in pieces if piece]


def _first_match(line: str, terms: tuple[str, ...]) -> int | None:
    return next((m.start() for m in _WORD.finditer(line) if matches(m.group(), terms)), None)
