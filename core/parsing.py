"""Tolerant parsers for what busy founders type on phones: numbers, dates, yes/no (money: core/money.py)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

__all__ = [
    "MAX_INPUT",
    "alternation",
    "fold_typed",
    "parse_date",
    "parse_number",
    "parse_yes_no",
    "to_decimal",
    "word_list",
]

MAX_INPUT = 200
"""Money, number and date answers are short; longer text is not one of them."""


def fold_typed(text: str) -> str:
    """NFKC-fold (fullwidth digits, NBSP, thin spaces), lowercase and collapse whitespace."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2019", "'").lower()
    return " ".join(folded.split())


# ---------------------------------------------------------------- numbers

_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?P<sep>[ ,.])[0-9]{3}(?:(?P=sep)[0-9]{3})*")


def to_decimal(s: str) -> Decimal | None:
    """Read an unsigned number with thousands separators (space , .) and a decimal point or comma."""
    int_s, frac = s, ""
    if "." in s and "," in s:
        int_s, frac = s.rsplit("." if s.rfind(".") > s.rfind(",") else ",", 1)
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        if s.count(sep) == 1 and not (sep == "," and _GROUPED.fullmatch(s)):
            int_s, frac = s.split(sep)
    if frac and not re.fullmatch(r"[0-9]{1,20}", frac):
        return None
    if _GROUPED.fullmatch(int_s):
        int_s = re.sub(r"[ ,.]", "", int_s)
    if not re.fullmatch(r"[0-9]{1,20}", int_s):
        return None
    return Decimal(f"{int_s}.{frac}" if frac else int_s)


def parse_number(text: str, integer: bool = False) -> Decimal | None:
    """Parse '20', '-3', '20,5', '1 500' into a Decimal; with integer=True only integral values."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    m = re.fullmatch(r"([+-]?)([0-9][0-9 ,.]*)", fold_typed(text).rstrip("."))
    if not m:
        return None
    value = to_decimal(m.group(2))
    if value is None:
        return None
    if m.group(1) == "-":
        value = -value
    if integer:
        if value != value.to_integral_value():
            return None
        return value.quantize(Decimal(1)) + 0
    return value


# ---------------------------------------------------------------- word tables


def word_list(spaced: str) -> list[str]:
    """The words of a space-separated table row."""
    return spaced.split()


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first (so "млн." wins over "м")."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# ---------------------------------------------------------------- yes / no

_YES = frozenset(word_list("yes y yeah yep yup yea ya sure true да д ага угу конечно 是 是的 对 👍 ✅")) | {"of course"}
_NO = frozenset(word_list("no n nope nah false нет н неа не 不 不是 没有 👎 ❌")) | {"конечно нет"}


def parse_yes_no(text: str) -> bool | None:
    """Read yes/no answers in English, Russian and Chinese; numbers and anything else give None."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    s = fold_typed(text).strip(" .!?)(")
    s = re.sub(r"[\ufe0f\U0001f3fb-\U0001f3ff]", "", s)  # emoji variation selector and skin tones
    if s in _YES:
        return True
    if s in _NO:
        return False
    return None


# ---------------------------------------------------------------- dates

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "январь", "января", "янв"),
    2: ("february", "feb", "февраль", "февраля", "фев", "февр"),
    3: ("march", "mar", "март", "марта", "мар"),
    4: ("april", "apr", "апрель", "апреля", "апр"),
    5: ("may", "май", "мая"),
    6: ("june", "jun", "июнь", "июня", "июн"),
    7: ("july", "jul", "июль", "июля", "июл"),
    8: ("august", "aug", "август", "августа", "авг"),
    9: ("september", "sep", "sept", "сентябрь", "сентября", "сен", "сент"),
    10: ("october", "oct", "октябрь", "октября", "окт"),
    11: ("november", "nov", "ноябрь", "ноября", "ноя", "нояб"),
    12: ("december", "dec", "декабрь", "декабря", "дек"),
}
_MONTH_OF = {word: num for num, words in _MONTHS.items() for word in words}
_WEEKDAYS = (
    "monday mon mondays понедельник понедельникам пн",
    "tuesday tue tues tuesdays вторник вторникам вт",
    "wednesday wed wednesdays среда среду средам ср",
    "thursday thu thur thurs thursdays четверг четвергам чт",
    "friday fri fridays пятница пятницу пятницам пт",
    "saturday sat saturdays суббота субботу субботам сб",
    "sunday sun sundays воскресенье воскресеньям вс",
)
_WEEKDAY_OF = {word: num for num, words in enumerate(_WEEKDAYS) for word in words.split()}


def weekday_of(word: str) -> int | None:
    """The weekday a typed word names, 0 for Monday ("Mon", "пятницу", "по средам" without "по"), or None."""
    return _WEEKDAY_OF.get(fold_typed(word).rstrip("."))


_DAYS_BACK = {
    **dict.fromkeys(["today", "now", "сегодня", "сейчас", "今天"], 0),
    **dict.fromkeys(["yesterday", "вчера", "昨天"], 1),
    **dict.fromkeys(["day before yesterday", "the day before yesterday", "позавчера", "前天"], 2),
    **dict.fromkeys(["last week", "на прошлой неделе", "прошлая неделя", "a week ago", "неделю назад"], 7),
    # Future days parse too, so a date question can say "in the future" instead of "unreadable".
    **dict.fromkeys(["tomorrow", "завтра", "明天"], -1),
    **dict.fromkeys(["day after tomorrow", "the day after tomorrow", "послезавтра", "后天"], -2),
    **dict.fromkeys(["next week", "на следующей неделе", "следующая неделя", "через неделю", "in a week"], -7),
}
_UNITS = {
    **dict.fromkeys(word_list("day days день дня дней"), 1),
    **dict.fromkeys(word_list("week weeks неделю недели недель"), 7),
}
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "один": 1, "одну": 1, "два": 2, "две": 2, "три": 3}
_MONTH_RE = alternation(_MONTH_OF)
_DAY_FIRST = re.compile(
    rf"(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|-?го)?(?:\s+of)?\s+(?P<m>{_MONTH_RE})\.?,?(?:\s+(?P<y>[0-9]{{4}}))?"
)
_MONTH_FIRST = re.compile(rf"(?P<m>{_MONTH_RE})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>[0-9]{{4}}))?")


def _recent(today: date, day: int, month: int, year: str | None) -> date | None:
    """A date with an explicit year, or the latest such day on or before today."""
    try:
        if year is not None:
            return date(int(year), month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate <= today else date(today.year - 1, month, day)
    except ValueError:
        return None


def parse_date(text: str, today: date) -> date | None:
    """Parse 'today', 'вчера', '3 days ago', '2026-11-20', '20.11', 'Nov 20', '20 ноября' relative to today."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    s = re.sub(r"\s+(?:г\.?|года|год)$", "", fold_typed(text).rstrip(".!?,;"))
    try:
        if s in _DAYS_BACK:
            return today - timedelta(days=_DAYS_BACK[s])
        prefix = re.match(r"(?:on|last|во?)\s+(?:(?:last|прошл\w*)\s+)?(?=\S)", s)
        last = prefix is not None and re.search(r"last|прошл", prefix.group()) is not None
        s = s[prefix.end() :] if prefix else s
        if (m := re.fullmatch(r"(?:next|следующ\w*)\s+(\S+)", s)) and m.group(1) in _WEEKDAY_OF:
            return today + timedelta(days=(_WEEKDAY_OF[m.group(1)] - today.weekday() - 1) % 7 + 1)
        if s in _WEEKDAY_OF:
            return today - timedelta(days=(today.weekday() - _WEEKDAY_OF[s]) % 7 or (7 if last else 0))
        if (m := re.fullmatch(r"([0-9]{1,4}|[a-zа-я]+)\s+([a-zа-я]+)\s+(?:ago|назад)", s)) and m.group(2) in _UNITS:
            count = _COUNT_WORDS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None)
            return None if count is None else today - timedelta(days=count * _UNITS[m.group(2)])
        if (m := re.fullmatch(r"(?:in|через)\s+([0-9]{1,4}|[a-zа-я]+)\s+([a-zа-я]+)", s)) and m.group(2) in _UNITS:
            count = _COUNT_WORDS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None)
            return None if count is None else today + timedelta(days=count * _UNITS[m.group(2)])
        if m := re.fullmatch(r"([0-9]{4})[-./]([0-9]{1,2})[-./]([0-9]{1,2})", s):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := re.fullmatch(r"([0-9]{1,2})([-./])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?", s):
            year = m.group(4)
            if year is not None and len(year) == 2:  # '26 -> 2026, '98 -> 1998
                year = str(2000 + int(year) if 2000 + int(year) <= today.year + 1 else 1900 + int(year))
            return _recent(today, int(m.group(1)), int(m.group(3)), year)
        if m := (_DAY_FIRST.fullmatch(s) or _MONTH_FIRST.fullmatch(s)):
            return _recent(today, int(m.group("d")), _MONTH_OF[m.group("m")], m.group("y"))
    except (ValueError, OverflowError):
        return None
    return None
