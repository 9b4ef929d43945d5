"""What completed interviews add to their team's board counts (storage.board_tables): pure, no I/O.

One function decides what an interview counts for; the write path (one interview, as it completes), a merge
(the groups it touched) and a rebuild (a whole team, for a migration or a bulk load) all go through it, so the
three always agree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from core.analytics.items import normalize_item
from core.analytics.pricing import PriceResponse, kept

Prices = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None, str | None]
"""The four Van Westendorp answers (too cheap, bargain, getting expensive, too expensive) and the currency."""


@lru_cache(maxsize=4096)  # a completed interview hashes the same scopes and keys over and over
def digest(text: str) -> str:
    """The SHA-256 of a text: what makes an item key, scope or wording unique in an index, however long it is."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def moment(at: datetime) -> str:
    """A moment as UTC text that sorts as time, to the microsecond."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def day_slot(at: datetime) -> str:
    """The UTC day a moment falls in."""
    return moment(at)[:10]


def quarter_slot(at: datetime) -> str:
    """The UTC quarter hour a moment falls in ("YYYY-MM-DD HH:MM")."""
    text = moment(at)
    return f"{text[:14]}{int(text[14:16]) // 15 * 15:02d}"


def money(value: Any) -> str | None:
    """An amount as stored, as exact text (trailing zeros dropped)."""
    return None if value is None else str(Decimal(str(value)).normalize())


def scope_of(min_severity: int | None, segment_key: str | None) -> str:
    """The scope an item filter reads: "" for every mention, else pains from a severity up (of one segment)."""
    if min_severity is None and segment_key is None:
        return ""
    if min_severity is None:
        raise ValueError("a segment's item scope needs a minimum severity")
    return f"pain/{min_severity}" + ("" if segment_key is None else f"/{digest(segment_key)}")


@dataclass(frozen=True)
class ItemFact:
    """One job, pain or gain as stored."""

    kind: str
    position: int
    text: str
    norm_key: str
    severity: int | None = None


@dataclass(frozen=True)
class Done:
    """A completed interview as stored: everything of it the board counts."""

    id: str
    member_id: int
    script: str
    started_at: datetime
    happened_at: datetime
    segment: str | None = None
    sean_ellis: str | None = None
    items: tuple[ItemFact, ...] = ()
    prices: Prices | None = None
    commitments: tuple[tuple[str, str | None, Any], ...] = ()
    """(kind, currency, amount as stored)."""
    evidence: tuple[tuple[int | None, str, str, str], ...] = ()
    """(hypothesis id, hypothesis code, stance, strength)."""


@dataclass
class Count:
    """One board_count row's share."""

    value: Any
    count: int = 0
    first: str | None = None
    last: str | None = None


@dataclass
class GroupCount:
    """One board_item row's share."""

    key: str
    interviewees: int = 0
    mentions: int = 0
    severity_sum: int = 0
    severity_n: int = 0


@dataclass
class WordingCount:
    """One board_wording row's share."""

    key: str
    mentions: int = 0
    first: str = ""


@dataclass
class Tallies:
    """What some completed interviews add to the three count tables."""

    counts: dict[tuple[str, str], Count] = field(default_factory=dict)
    groups: dict[tuple[str, str, str], GroupCount] = field(default_factory=dict)
    """(kind, scope, group key) -> counts."""
    wordings: dict[tuple[str, str, str], WordingCount] = field(default_factory=dict)
    """(kind, scope, exact text) -> counts."""

    def add(self, done: Done, merged: Mapping[str, str]) -> None:
        """Count one completed interview; `merged` maps a normalized item key to the key it finally ends up in."""
        self._count("total", "", None, done.happened_at)
        self._count("day", day_slot(done.happened_at), None, done.happened_at)
        self._count("quarter", quarter_slot(done.happened_at), None, done.happened_at)
        self._count("founder", None, [done.member_id])
        order = f"{moment(done.started_at)} {done.id}"
        pained = any(item.kind == "pain" for item in done.items)
        self._count("segment", None, [done.segment, done.script, bool(done.commitments), pained], first=order)
        if done.sean_ellis is not None:
            self._count("ellis", None, [done.sean_ellis])
        for kind, currency, amount in done.commitments:
            self._count("commitment", None, [kind, currency, money(amount)])
        if done.prices is not None and all(price is not None for price in done.prices[:4]):
            currency = done.prices[4]
            answers = [money(price) for price in done.prices[:4]]
            cheap, bargain, expensive, too_expensive = (Decimal(cast(str, answer)) for answer in answers)
            if kept(PriceResponse(cheap, bargain, expensive, too_expensive, currency)):
                for question, answer in enumerate(answers):
                    self._count("price", None, [currency, question, answer])
            else:
                self._count("price_drop", None, [currency])
        for hypothesis_id, code, stance, strength in done.evidence:
            self._count("evidence", None, [hypothesis_id, code, stance, strength])
        self.add_items(done, merged)

    def add_items(
        self, done: Done, merged: Mapping[str, str], keep: Callable[[str], bool] | None = None, wordings: bool = True
    ) -> None:
        """Count the interview's items: groups (only those `keep` accepts, when given) and exact wordings."""
        segment = normalize_item(done.segment or "")
        named: set[tuple[str, str, str]] = set()
        for item in done.items:
            group = merged.get(item.norm_key, item.norm_key)
            if not item.norm_key or (keep is not None and not keep(group)):
                continue
            order = f"{moment(done.started_at)} {done.id} {item.position:09d}"
            for scope in _scopes(item, segment):
                counted = self.groups.setdefault((item.kind, scope, group), GroupCount(group))
                counted.interviewees += (item.kind, scope, group) not in named
                named.add((item.kind, scope, group))
                counted.mentions += 1
                if item.severity is not None:
                    counted.severity_sum += item.severity
                    counted.severity_n += 1
                if not wordings:
                    continue
                wording = self.wordings.setdefault((item.kind, scope, item.text), WordingCount(item.norm_key))
                wording.mentions += 1
                wording.first = min(wording.first, order) if wording.first else order

    def _count(
        self, facet: str, slot: str | None, value: Any, at: datetime | None = None, first: str | None = None
    ) -> None:
        if slot is None:
            slot = digest(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        row = self.counts.setdefault((facet, slot), Count(value))
        row.count += 1
        if at is not None:
            first = last = moment(at)
            row.last = last if row.last is None else max(row.last, last)
        if first is not None:
            row.first = first if row.first is None else min(row.first, first)


def _scopes(item: ItemFact, segment: str) -> list[str]:
    """Every scope a mention counts in: all mentions, and for a pain each severity threshold it reaches (whatever
    the script: any interview that records a pain is a problem interview)."""
    scopes = [""]
    if item.kind == "pain" and item.severity is not None:
        for threshold in range(1, item.severity + 1):
            scopes += [scope_of(threshold, None), scope_of(threshold, segment)]
    return scopes
