"""The coach's reading rules: when a flagged word, read in its sentence, is not what it seems.

Each rule is narrow on purpose and names the answers it stops flagging. The word lists stay in
``coach_words.yaml``; what is here is grammar (English and Russian), not vocabulary to grow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Final

__all__ = ["Context", "lowered", "sentences"]

_I = re.IGNORECASE
_WINDOW: Final = 120  # characters read on each side of a flagged word
# A full stop after a title or a common abbreviation does not end the sentence ("Mr. Will Smith").
_ABBREVIATION: Final = re.compile(r"\b(?:mr|mrs|ms|dr|prof|st|jr|sr|vs|etc|e\.g|i\.e|т\.е|т\.д|т\.п)\.$", _I)
# An ellipsis ("I would normally… last Tuesday") trails on; it does not end the sentence.
_SENTENCE_END: Final = re.compile(r"(?<=[^.]\.)\s+|(?<=[!?])\s+|[。！？]+|\n+")
_CLAUSE_BREAK: Final = re.compile(r"[,;:—–()!?\"«»“”]")

_MONTHS: Final = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTHS_RU: Final = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
# A date pins a sentence to one day: 2026-11-20, 20.11.2026, March 3, 3rd of March, 3 марта, in 2025.
_DATE: Final = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS_RU})\b|\b(?:in|в)\s+(?:19|20)\d{{2}}\b",
    _I,
)

# "she'd already paid": 'd before a past participle is "had", not "would".
_PARTICIPLES: Final = (
    "been|had|done|gone|seen|paid|bought|spent|made|found|told|said|given|taken|got|gotten|written|known|"
    "thought|left|lost|sent|built|heard|met|brought|kept|sold|begun|forgotten|run|put|read|tried"
)
_NOT_PARTICIPLE: Final = frozenset({"need", "feed", "speed", "proceed", "succeed", "exceed", "bleed", "breed", "heed"})
_HAD_ADVERBS: Final = r"(?:\s+(?:already|just|never|ever|previously|recently|also|only|not|all))*"
_HAD: Final = re.compile(rf"{_HAD_ADVERBS}\s+({_PARTICIPLES}|\w+ed)\b", _I)
# "I would normally…": would + a habit adverb tells a habit (a generality at most), not a wish.
_HABIT: Final = re.compile(r"\s+(?:normally|usually|often|always|sometimes|typically|generally)\b", _I)
_NOT: Final = re.compile(r"\s+not\b", _I)
_WAS: Final = re.compile(r"\b(?:was|were)\s+$", _I)
# After a name comes a capital (Will Smith) or words a modal never takes (Will from accounting, Will said).
_NAME_FOLLOWS: Final = re.compile(
    r"\s+(?:(?!I\b)[A-Z]|(?:from|at|in|of|and|said|says|told|asked|is|was|has|had|called|wrote|mentioned)\b)"
)

# "nobody answered", "никто не взял трубку": a quantifier with a past verb tells one event.
_QUANTIFIERS: Final = frozenset({"nobody", "no one", "everyone", "everybody", "никто", "все"})
_SKIP: Final = r"(?:\s+(?:not|even|ever|really|actually|не|ни|разу|даже|так|и|уже|ещё|еще|ничего|толком|вообще))*"
_PAST_VERB: Final = re.compile(
    _SKIP + r"\s+(?:\w+ed|was|were|had|did|didn't|came|went|said|told|took|got|paid|bought|left|gave|made|knew"
    r"|thought|found|saw|sent|spent|kept|brought|showed|wrote|ran|lost|felt|heard|met"
    r"|\w+(?:л|ла|ло|ли)(?:сь|ся)?)\b",
    _I,
)
# "все отчёты делаю сама": «все» before a noun means "all the", not "everyone".
# Yet «все клиенты платят» (a noun, then "they do") is a claim about everyone again.
_EVERYONE: Final = re.compile(
    r"\s*(?:[,.!?;:…—)]|$)|\s+(?:\w+(?:ют|ут|ят|ат|ет|ит|ли|ся|сь|ем|им)"
    r"|так|это|уже|вообще|давно|подряд|вокруг|вместе|сразу|тоже|мы|они|вы|кто|как)\b"
    r"|(?:\s+\w+){1,2}\s+\w+(?:ют|ут|ят|ат)(?:ся)?\b",
    _I,
)

# "interesting" before a word other than these describes something; alone or before them it is praise.
_DESCRIBES: Final = re.compile(
    r"\s+(?!(?:idea|concept|product|app|tool|solution|approach|service|stuff|but|and|though|too|indeed|enough)\b)\w",
    _I,
)
# «интересно» before a question word wonders ("I wonder how much…"); it is no praise.
_WONDER: Final = re.compile(
    r"[\s,—-]*(?:а|сколько|как|когда|что|где|почему|зачем|кто|какой|какая|какие|какое|ли|можно|будет)\b", _I
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Where each sentence of the text starts and ends: a past anchor or a negation reaches only its own."""
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if not _ABBREVIATION.search(text, max(start, end.start() - 6), end.start()):
            spans.append((start, end.start()))
            start = end.end()
    spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class Context:
    """One sentence of a text and the two lists that read it: past anchors and negations."""

    text: str
    start: int
    end: int
    past_anchors: re.Pattern[str]
    negations: re.Pattern[str]

    @cached_property
    def anchored(self) -> bool:
        """Whether the sentence is pinned to a past moment: yesterday, last week, ago, a date, вчера."""
        sentence = self.text[self.start : self.end]
        return bool(self.past_anchors.search(sentence) or _DATE.search(sentence))


def lowered(flag: str, match: re.Match[str], context: Context) -> bool:
    """Whether a flag's match, read in its sentence, is not what the flag says after all."""
    word = " ".join(match.group().casefold().split())
    # A few words either side are all a rule reads; a bounded window keeps long answers linear.
    before = context.text[max(context.start, match.start() - _WINDOW) : match.start()]
    after = context.text[match.end() : max(match.end(), min(context.end, match.end() + _WINDOW))]
    if flag == "hypothetical":
        return _not_a_wish(match.group(), word, before, after)
    if flag == "generality":
        if word in _QUANTIFIERS and _PAST_VERB.match(after):
            return True
        if word == "все" and not _EVERYONE.match(after):
            return True
        last_word = before.split()[-1:]  # "not always", "не всегда" hedge the claim
        return context.anchored or bool(last_word and context.negations.fullmatch(last_word[0]))
    if flag == "compliment":
        if word == "interesting" and _DESCRIBES.match(after):
            return True  # "an interesting thing happened", "interesting to watch": a description, not praise
        if word == "интересно" and _WONDER.match(after):
            return True  # «интересно, а сколько это стоит?» is a question, not praise
        clause = _CLAUSE_BREAK.split(before)[-1]
        return context.negations.search(" ".join(clause.split()[-4:])) is not None
    return False


def _not_a_wish(text: str, word: str, before: str, after: str) -> bool:
    """A "would", "'d", "could", "will" or "going to" that speaks of the past, a habit or a name."""
    if word == "'d":
        had = _HAD.match(after)
        if had and had.group(1).casefold() not in _NOT_PARTICIPLE:
            return True  # she'd already paid
    if word in ("would", "'d") and _HABIT.match(after):
        return True  # I would normally…
    if word in ("couldn", "couldnt") or (word == "could" and _NOT.match(after)):
        return True  # he could not find it
    if word in ("going to", "gonna") and _WAS.search(before):
        return True  # we were going to hire someone
    if text == "Will":  # a capital mid-sentence, or before another capital, is a name: Mr. Will Smith
        opens = not before.strip() or before.rstrip()[-1] in ":\"'«“(—"
        return not opens or bool(_NAME_FOLLOWS.match(after))
    return False
