"""Mom Test coach: flag answers that record opinions about the future, compliments, generalities or feature requests.

The Mom Test (Rob Fitzpatrick) asks founders to write down facts about the past. The word lists
live in ``core/interview/coach_words.yaml`` and are compiled once, at import. A word found is a hint,
not a verdict: the rules in ``core.interview.coach_rules`` read the words around it, sentence by
sentence, and drop the hint when the sentence says otherwise ("she'd already paid", "I don't love it").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from importlib import resources
from typing import Final, Literal, get_args

import yaml

from core.interview.coach_rules import Context, lowered, sentences

__all__ = ["FLAGS", "LISTS", "Flag", "coach_flags", "compile_words"]

Flag = Literal["hypothetical", "compliment", "generality", "feature_request"]
FLAGS: Final[tuple[Flag, ...]] = get_args(Flag)
CONTEXT_LISTS: Final = ("past_anchors", "negations")  # they lower a flag, never raise one
LISTS: Final[tuple[str, ...]] = (*FLAGS, *CONTEXT_LISTS)

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


def compile_words(data: object) -> dict[str, re.Pattern[str]]:
    """Validate the parsed YAML word lists ({list: {lang: [entries]}}) and compile one regex per list."""
    if not isinstance(data, dict):
        raise TypeError("coach words must be a mapping of flag -> language -> list of phrases")
    unknown = set(data) - set(LISTS)
    if unknown:
        raise ValueError(f"unknown coach lists: {sorted(map(str, unknown))}")
    compiled: dict[str, re.Pattern[str]] = {}
    for name in LISTS:
        by_lang = data.get(name) or {}
        if not isinstance(by_lang, dict):
            raise TypeError(f"coach words for {name!r} must map language -> list")
        by_first: dict[str, list[str]] = {}  # entries grouped by their first character, to scan fast
        for lang, entries in by_lang.items():
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise TypeError(f"coach words {name}.{lang} must be a list of strings (quote yes/no/on/off)")
            for entry in entries:
                pattern = _entry_pattern(entry)  # raises on an empty entry
                by_first.setdefault(entry.casefold().replace("\u2019", "'").lstrip()[0], []).append(pattern)
        compiled[name] = re.compile(_alternation(by_first), re.IGNORECASE)
    return compiled


def _alternation(by_first: dict[str, list[str]]) -> str:
    """One regex for a list: a lookahead on the first characters, then one group per first character.

    Grouping lets the regex engine skip most positions at once (several times faster than one long
    alternation). Inside a group, longest first, so that a phrase wins over its own first word.
    """
    if not by_first:
        return "(?!)"  # matches nothing
    groups = "|".join("(?:" + "|".join(sorted(set(ps), key=len, reverse=True)) + ")" for ps in by_first.values())
    first = "".join(re.escape(char) for char in by_first)
    return f"(?=[{first}])(?:{groups})"


def _load() -> dict[str, re.Pattern[str]]:
    text = resources.files("core.interview").joinpath(_WORDS_FILE).read_text(encoding="utf-8")
    return compile_words(yaml.safe_load(text))


_PATTERNS: Final[dict[str, re.Pattern[str]]] = _load()


def _normalize(text: str) -> str:
    # Not casefolded: the patterns ignore case, and a rule may need it ("Mr. Will Smith").
    return unicodedata.normalize("NFKC", text[:_MAX_TEXT]).replace("\u2019", "'")


def coach_flags(text: str) -> tuple[Flag, ...]:
    """Return the Mom Test flags found in text, in the order of FLAGS."""
    if not isinstance(text, str) or not text.strip():
        return ()
    norm = _normalize(text)
    spans: list[tuple[int, int]] = []
    contexts: dict[int, Context] = {}  # by sentence, made only once a word is found in it
    found: list[Flag] = []
    for flag in FLAGS:
        for match in _PATTERNS[flag].finditer(norm):
            spans = spans or sentences(norm)
            index = bisect_right(spans, (match.start(), len(norm))) - 1
            if index not in contexts:
                start, end = spans[index]
                contexts[index] = Context(norm, start, end, _PATTERNS["past_anchors"], _PATTERNS["negations"])
            if not lowered(flag, match, contexts[index]):
                found.append(flag)
                break
    return tuple(found)
