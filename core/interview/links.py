"""Hypothesis links inside one interview: one stance per hypothesis, and what the picker shows as already marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.i18n import N_, gettext_for
from core.interview.state import InterviewState, Position
from core.interview.walk import NEW_HYPOTHESIS, items_of
from core.messages import shorten

BUTTON_TEXT_MAX = 64
"""Telegram shows at most this many characters of a button's text (bot.telegram.render cuts the rest)."""
STANCE_NAMES = {"supports": N_("marked: supports"), "refutes": N_("marked: refutes")}  # on the picker


def marked_stances(items: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The stance already given to each existing hypothesis (by option value), from items that have both."""
    return {
        str(item["hypothesis"]): str(item["stance"])
        for item in items
        if item.get("hypothesis") not in (None, NEW_HYPOTHESIS) and item.get("stance") in STANCE_NAMES
    }


def keep_items(interview: InterviewState, question_id: str, kept: Sequence[int]) -> list[dict[str, Any]]:
    """Keep only these items of a list (by index, in order); each kept item's coach flags follow it to its new place."""
    everything = items_of(interview, question_id)
    items = [everything[index] for index in kept]
    moved = {key: interview.flags.pop(key) for key in list(interview.flags) if key.startswith(f"{question_id}.")}
    for key, flags in moved.items():
        _list, index, *rest = key.split(".")
        if int(index) in kept:
            interview.flags[".".join([question_id, str(kept.index(int(index))), *rest])] = flags
    return items


def one_stance_each(interview: InterviewState, cursor: Position) -> Position:
    """Once the item under the cursor names a hypothesis and a stance, drop every other item naming that hypothesis.

    Picking a hypothesis already marked in this interview thus changes its stance instead of counting it twice.
    Returns the cursor, moved back by the items dropped before it.
    """
    items = items_of(interview, cursor.question)
    if cursor.item >= len(items):
        return cursor
    mine = items[cursor.item]
    if mine.get("hypothesis") in (None, NEW_HYPOTHESIS) or "stance" not in mine:
        return cursor
    kept = [n for n, item in enumerate(items) if n == cursor.item or item.get("hypothesis") != mine["hypothesis"]]
    if len(kept) == len(items):
        return cursor
    interview.answers[cursor.question] = keep_items(interview, cursor.question, kept)
    return Position(cursor.question, kept.index(cursor.item), cursor.field)


def picker_labels(labels: Sequence[str], values: Sequence[str], marks: dict[str, str], lang: str) -> list[str]:
    """The hypothesis picker's labels, an already marked one ticked with its stance: "✓ H1: … · supports"."""
    _ = gettext_for(lang)
    labels = list(labels)
    for n, value in enumerate(values):
        if value in marks:
            stance = f" · {_(STANCE_NAMES[marks[value]])}"  # kept whole: the statement is shortened instead
            labels[n] = f"✓ {shorten(labels[n], BUTTON_TEXT_MAX - len(stance) - 2)}{stance}"
    return labels
