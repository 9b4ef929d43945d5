"""Mom Test coach: flag answers that record opinions about the future, compliments or generalities.

The Mom Test (Rob Fitzpatrick) asks founders to write down facts about the past. The word lists
live in ``core/interview/coach_words.yaml`` and are compiled once, at import.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from typing import Final, Literal, get_args

import yaml

__all__ = ["FLAGS", "Flag", "coach_flags", "compile_words"]

Flag = Literal["hypothetical", "compliment", "generality"]
FLAGS: Final[tuple[Flag, ...]] = get_args(Flag)

_WORDS_FILE = "coach_words.yaml"
_MAX_TEXT = 20_000  # longer answers are scanned only up to here


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _entry_pattern(entry: str) -> str:
    """Regex for one word-list entry: word boundaries, whitespace-tolerant phrases, 'stem*' prefixes."""
    words = entry.casefold().replace("\u2019", "'").split()
    if not words:
        raise ValueError(f"empty coach word entry: {entry!r}")
    if any(_is_cjk(ch) for ch in entry):
        return r"\s*".join(re.escape(w) for w in words)
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    body = r"\s+".join(parts)
    first, last = words[0][0], words[-1][-1]
    head = r"\b" if first.isalnum() or first == "_" else (r"(?<=\w)" if first == "'" else "")
    tail = r"\b" if last.isalnum() or last == "_" else ""
    return head + body + tail


def compile_words(data: object) -> dict[Flag, re.Pattern[str]]:
    """Validate the parsed YAML word lists ({flag: {lang: [entries]}}) and compile one regex per flag."""
    if not isinstance(data, dict):
        raise TypeError("coach words must be a mapping of flag -> language -> list of phrases")
    unknown = set(data) - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown coach flags: {sorted(map(str, unknown))}")
    compiled: dict[Flag, re.Pattern[str]] = {}
    for flag in FLAGS:
        by_lang = data.get(flag) or {}
        if not isinstance(by_lang, dict):
            raise TypeError(f"coach words for {flag!r} must map language -> list")
        patterns: list[str] = []
        for lang, entries in by_lang.items():
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise TypeError(f"coach words {flag}.{lang} must be a list of strings (quote yes/no/on/off)")
            patterns.extend(_entry_pattern(e) for e in entries)
        # Longest first, so that a phrase wins over its own first word; (?!) never matches.
        patterns.sort(key=len, reverse=True)
        compiled[flag] = re.compile("|".join(patterns) or "(?!)", re.IGNORECASE)
    return compiled


def _load() -> dict[Flag, re.Pattern[str]]:
    text = resources.files("core.interview").joinpath(_WORDS_FILE).read_text(encoding="utf-8")
    return compile_words(yaml.safe_load(text))


_PATTERNS: Final[dict[Flag, re.Pattern[str]]] = _load()


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text[:_MAX_TEXT]).replace("\u2019", "'").casefold()


def coach_flags(text: str) -> tuple[Flag, ...]:
    """Return the Mom Test flags found in text, in the order hypothetical, compliment, generality."""
    if not isinstance(text, str) or not text.strip():
        return ()
    norm = _normalize(text)
    return tuple(flag for flag in FLAGS if _PATTERNS[flag].search(norm))
