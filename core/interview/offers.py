"""Answers offered as buttons on typed questions: Today and Yesterday on a date, the team's segments and top pains.

Offering the team's own wordings means a segment or a pain is picked, not retyped slightly differently, so the
gates and the top-pain counts group them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from core.i18n import gettext_for
from core.interview.payloads import Action, Day, Offered, encode
from core.interview.state import Position
from core.messages import Choice, shorten
from core.scripts.model import AnyQuestion, DateQuestion, ListQuestion, Script, TextQuestion

OfferKind = Literal["segments", "pains"]
SEGMENT_TARGET = "interviewee.segment"
PAIN_TARGET = "pains"
PAIN_FIELD = "text"
OFFERED = 5
"""How many of the team's segments or top pains a question offers."""
LABEL_SHOWN = 40

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RU_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_WEEKDAYS = {"en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс")}


@dataclass(frozen=True)
class Suggestions:
    """The team's answers worth offering: segments and top pains, most used first, as they were worded."""

    segments: tuple[str, ...] = ()
    pains: tuple[str, ...] = ()

    def of(self, kind: OfferKind, taken: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The wordings of one kind, at most OFFERED: one per spelling that differs only in case, none already taken."""
        seen = {value.casefold() for value in taken}
        wordings: list[str] = []
        for value in self.segments if kind == "segments" else self.pains:
            if value.casefold() not in seen:
                seen.add(value.casefold())
                wordings.append(value)
        return tuple(wordings[:OFFERED])


def same_wording(typed: str, offered: list[str]) -> str:
    """The offered wording a typed answer repeats up to case and spacing (so it groups with it), else the typed one."""
    key = " ".join(typed.split()).casefold()
    return next((value for value in offered if " ".join(value.split()).casefold() == key), typed)


def offered_pains(
    groups: Iterable[tuple[int, Sequence[tuple[str, str]]]], merged: Mapping[str, str]
) -> tuple[str, ...]:
    """The pains to offer, one wording per group after /merge: most interviews first, then alphabetically.

    `merged`: each merged key with the key it ends up in. A group is worded as the pain the others were merged into.
    """
    worded = []
    for interviewees, wordings in groups:
        if not wordings:
            continue
        key = merged.get(wordings[0][0], wordings[0][0])
        own = [text for text_key, text in wordings if text_key == key]
        worded.append((interviewees, min(own or [text for _key, text in wordings])))
    worded.sort(key=lambda group: (-group[0], group[1]))
    return tuple(text for _interviewees, text in worded[:OFFERED])


def offer_kind(script: Script, cursor: Position, question: AnyQuestion) -> OfferKind | None:
    """Which of the team's answers this question offers: the segment question, a pain's text, or none."""
    if not isinstance(question, TextQuestion):
        return None
    top = script.question(cursor.question)
    if top is question and question.records == SEGMENT_TARGET:
        return "segments"
    if isinstance(top, ListQuestion) and top.records == PAIN_TARGET and question.id == PAIN_FIELD:
        return "pains"
    return None


def offer_rows(values: tuple[str, ...], turn: int, lang: str) -> tuple[tuple[Choice, ...], ...]:
    """One button per offered wording, then "New" for typing another."""
    _ = gettext_for(lang)
    rows = tuple((Choice(shorten(value, LABEL_SHOWN), encode(turn, Offered(n))),) for n, value in enumerate(values, 1))
    return (*rows, (Choice(_("✏️ Something else"), encode(turn, Action.NEW)),)) if rows else ()


def date_rows(question: AnyQuestion, today: date, turn: int, lang: str) -> tuple[tuple[Choice, ...], ...]:
    """Today and Yesterday on a date question, each carrying the day it was drawn for."""
    if not isinstance(question, DateQuestion):
        return ()
    _ = gettext_for(lang)
    yesterday = today - timedelta(days=1)
    return (
        (
            Choice(_("Today"), encode(turn, Day(today.isoformat()))),
            Choice(_("Yesterday"), encode(turn, Day(yesterday.isoformat()))),
        ),
    )


def format_day(day: date, lang: str) -> str:
    """A day as a person reads it: "Fri, 20 Nov 2026", «пт, 20 ноября 2026»."""
    months = _RU_MONTHS if lang == "ru" else _EN_MONTHS
    weekday = _WEEKDAYS.get(lang, _WEEKDAYS["en"])[day.weekday()]
    return f"{weekday}, {day.day} {months[day.month - 1]} {day.year}"
