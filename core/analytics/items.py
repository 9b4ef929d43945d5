"""Top pains, jobs and gains across a team's completed interviews, grouped by a normalized key.

Grouping: two item texts fall in one group when `normalize_item` gives the same key (Unicode NFC, casefold,
runs of whitespace collapsed, ends stripped, trailing ".!?…,;:" removed), or when the team merged one key into
another (`merges`: key -> key it is merged into; chains resolve to their end; a cycle resolves to its smallest key).

Interviews are read oldest first (by `started_at`, then `id`) whatever the order given, so "earliest" below means
the first mention in the earliest interview. Only interviews with status "completed" count.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from difflib import get_close_matches

from core.domain import InterviewSummary

TRAILING_PUNCTUATION = ".!?…,;:"


@dataclass(frozen=True)
class RankedItem:
    """One group of equivalent items: how many interviews named it, how often, and how badly (pains)."""

    key: str
    text: str
    interviewees: int
    mentions: int
    mean_severity: Decimal | None
    interview_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Mention:
    interview_id: str
    text: str
    severity: int | None


def normalize_item(text: str) -> str:
    """The grouping key of an item text: NFC, casefolded, whitespace collapsed, trailing punctuation dropped."""
    folded = unicodedata.normalize("NFC", text).casefold()
    collapsed = " ".join(folded.split())
    return collapsed.rstrip(TRAILING_PUNCTUATION + " ")


def display_text(text: str) -> str:
    """The wording shown for an item: the original text with runs of whitespace collapsed and ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def merge_target(key: str, merges: Mapping[str, str]) -> str:
    """The key a normalized key ends up in after following `merges`; a cycle resolves to its smallest key."""
    table = _normalized_merges(merges)
    return _resolve(key, table)


def resolved_merges(merges: Mapping[str, str]) -> dict[str, str]:
    """Every merged key with the key it finally ends up in (keys not listed stay themselves)."""
    table = _normalized_merges(merges)
    return {key: _resolve(key, table) for key in table}


def _normalized_merges(merges: Mapping[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for source, target in merges.items():
        source_key, target_key = normalize_item(source), normalize_item(target)
        if source_key and target_key:
            table[source_key] = target_key
    return table


def _resolve(key: str, table: Mapping[str, str]) -> str:
    seen: dict[str, int] = {}
    path: list[str] = []
    current = key
    while current in table and current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = table[current]
    if current in seen:
        return min(path[seen[current] :])
    return current


def completed_oldest_first(interviews: Iterable[InterviewSummary]) -> list[InterviewSummary]:
    """The completed interviews, oldest first by started_at (naive read as UTC), then by id."""
    done = [interview for interview in interviews if interview.status == "completed"]
    return sorted(done, key=lambda interview: (_utc(interview.started_at), interview.id))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def round_ratio(numerator: int, denominator: int, places: int, *, down: bool = False) -> Decimal:
    """numerator / denominator as a Decimal with `places` decimals, exact then rounded half-up (or down)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    scaled, remainder = divmod(numerator * 10**places, denominator)
    if not down and 2 * remainder >= denominator:
        scaled += 1
    return Decimal(scaled).scaleb(-places)


def _rank(mentions: Iterable[_Mention], merges: Mapping[str, str], limit: int | None) -> list[RankedItem]:
    if limit is not None and limit < 0:
        raise ValueError("limit must be None or >= 0")
    table = _normalized_merges(merges)
    groups: dict[str, list[_Mention]] = {}
    for mention in mentions:
        key = normalize_item(mention.text)
        if key:
            groups.setdefault(_resolve(key, table), []).append(mention)
    ranked = [_summarize(key, group) for key, group in groups.items()]
    ranked.sort(key=_order)
    return ranked if limit is None else ranked[:limit]


def _summarize(key: str, group: list[_Mention]) -> RankedItem:
    wordings: dict[str, int] = {}
    for mention in group:
        wording = display_text(mention.text)
        wordings[wording] = wordings.get(wording, 0) + 1
    best = max(wordings.values())
    text = next(wording for wording, count in wordings.items() if count == best)
    ids = tuple(dict.fromkeys(mention.interview_id for mention in group))
    severities = [mention.severity for mention in group if mention.severity is not None]
    mean = round_ratio(sum(severities), len(severities), 2) if severities else None
    return RankedItem(key, text, len(ids), len(group), mean, ids)


def item_order(item: RankedItem) -> tuple[int, int, Decimal, str, str, str]:
    """The ranking's sort key: interviewees desc, mean severity desc (None last), then text and key."""
    return _order(item)


def _order(item: RankedItem) -> tuple[int, int, Decimal, str, str, str]:
    no_severity = 1 if item.mean_severity is None else 0
    severity = -(item.mean_severity or Decimal(0))
    return (-item.interviewees, no_severity, severity, item.text.casefold(), item.text, item.key)


def _pain_mentions(interviews: Sequence[InterviewSummary]) -> list[_Mention]:
    return [
        _Mention(interview.id, pain.text, pain.severity)
        for interview in completed_oldest_first(interviews)
        for pain in interview.record.pains
    ]


def _mentions(
    interviews: Sequence[InterviewSummary], texts: Callable[[InterviewSummary], Iterable[str]]
) -> list[_Mention]:
    return [
        _Mention(interview.id, text, None)
        for interview in completed_oldest_first(interviews)
        for text in texts(interview)
    ]


def top_pains(
    interviews: Sequence[InterviewSummary], merges: Mapping[str, str], limit: int | None = None
) -> list[RankedItem]:
    """Pain groups ranked by interviewees desc, mean severity desc (None last), then text; at most `limit`."""
    return _rank(_pain_mentions(interviews), merges, limit)


def top_jobs(
    interviews: Sequence[InterviewSummary], merges: Mapping[str, str], limit: int | None = None
) -> list[RankedItem]:
    """Job groups ranked by interviewees desc, then text (mean_severity is always None); at most `limit`."""
    return _rank(_mentions(interviews, lambda i: (job.text for job in i.record.jobs)), merges, limit)


def top_gains(
    interviews: Sequence[InterviewSummary], merges: Mapping[str, str], limit: int | None = None
) -> list[RankedItem]:
    """Gain groups ranked by interviewees desc, then text (mean_severity is always None); at most `limit`."""
    return _rank(_mentions(interviews, lambda i: (gain.text for gain in i.record.gains)), merges, limit)


def top_pain_share(
    interviews: Sequence[InterviewSummary], merges: Mapping[str, str], min_severity: int = 4
) -> tuple[RankedItem | None, Decimal]:
    """The pain group most interviews named with severity >= min_severity, and that count / completed interviews.

    The item is ranked from the qualifying mentions only (its interviewees, mentions, mean severity and ids count
    only mentions with severity >= min_severity). The share is rounded DOWN to 3 places, so comparing it with a
    threshold of at most 3 decimals (the Discovery gate's 0.5) gives the same answer as the exact fraction.
    None and Decimal("0.000") when no pain qualifies; the share is 0 when there is no completed interview.
    """
    completed = len(completed_oldest_first(interviews))
    severe = [m for m in _pain_mentions(interviews) if m.severity is not None and m.severity >= min_severity]
    ranked = _rank(severe, merges, 1)
    if not ranked or completed == 0:
        return None, Decimal("0.000")
    top = ranked[0]
    return top, round_ratio(top.interviewees, completed, 3, down=True)


def matching_segment(typed: str, segments: Sequence[str]) -> str | None:
    """The team's segment a typed one means: the same words, or a close spelling when only one is close."""
    key = normalize_item(typed)
    keys = {normalize_item(segment): segment for segment in segments}
    if key in keys:
        return keys[key]
    close = get_close_matches(key, list(keys), n=2, cutoff=0.8)
    return keys[close[0]] if len(close) == 1 else None
