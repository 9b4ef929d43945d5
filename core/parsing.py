"""Tolerant parsers for what busy founders type on phones: money, numbers, dates, yes/no."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

__all__ = ["Money", "format_money", "parse_date", "parse_money", "parse_number", "parse_yes_no"]

MAX_AMOUNT = Decimal(10) ** 12
_MAX_INPUT = 200  # money/number/date answers are short; longer text is not one of them


@dataclass(frozen=True)
class Money:
    """An amount of money, optionally with an ISO 4217 currency and a billing period."""

    amount: Decimal
    currency: str | None
    period: str | None


def _norm(text: str) -> str:
    """NFKC-fold (fullwidth digits, NBSP, thin spaces), lowercase and collapse whitespace."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2019", "'").lower()
    return " ".join(folded.split())


# ---------------------------------------------------------------- numbers

_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?P<sep>[ ,.])[0-9]{3}(?:(?P=sep)[0-9]{3})*")


def _to_decimal(s: str) -> Decimal | None:
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
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    m = re.fullmatch(r"([+-]?)([0-9][0-9 ,.]*)", _norm(text).rstrip("."))
    if not m:
        return None
    value = _to_decimal(m.group(2))
    if value is None:
        return None
    if m.group(1) == "-":
        value = -value
    if integer:
        if value != value.to_integral_value():
            return None
        return value.quantize(Decimal(1)) + 0
    return value


# ---------------------------------------------------------------- money


def _words(spaced: str) -> list[str]:
    return spaced.split()


_CURRENCIES: dict[str, str] = {
    "USD": "$ us$ usd dollar dollars buck bucks доллар доллара долларов долл бакс бакса баксов",
    "EUR": "€ eur euro euros евро",
    "GBP": "£ gbp pound pounds quid фунт фунта фунтов",
    "RUB": "₽ rub rur ruble rubles rouble roubles р руб рубль рубля рублей",
    "JPY": "¥ 円 jpy yen иена иены иен йена йен",
    "CNY": "cn¥ cny rmb yuan renminbi 元 块 юань юаня юаней",
    "INR": "₹ inr rupee rupees рупия рупии рупий",
    "KZT": "₸ kzt tenge тенге тг",
    "UAH": "₴ uah hryvnia гривна гривны гривен грн",
}
_OTHER_CODES = "CHF CAD AUD BYN PLN TRY AED SGD HKD KRW BRL ILS GEL AMD UZS SEK NOK DKK CZK MXN"
_CURRENCY_OF = {word: code for code, words in _CURRENCIES.items() for word in words.split()}
_CURRENCY_OF.update({code.lower(): code for code in _OTHER_CODES.split()})
_SYMBOLS = dict(zip(_words("USD EUR GBP JPY CNY INR RUB KZT UAH"), _words("$ € £ ¥ CN¥ ₹ ₽ ₸ ₴"), strict=True))
_PREFIX_SYMBOL = frozenset({"USD", "EUR", "GBP", "JPY", "CNY", "INR"})

_MULTIPLIERS: dict[int, tuple[str, ...]] = {
    10**3: ("k", "к", "тыс", "тыс.", "тысяча", "тысячи", "тысяч", "thousand", "grand"),
    10**6: ("m", "mm", "mln", "mio", "million", "millions", "млн", "млн.", "миллион", "миллиона", "миллионов"),
    10**9: ("b", "bn", "billion", "млрд", "млрд.", "миллиард", "миллиарда", "миллиардов"),
}
_MULTIPLIER_OF = {word: factor for factor, words in _MULTIPLIERS.items() for word in words}

_PER = r"(?:/|per|a|an|each|every|в|за)\s*"
_PERIODS: dict[str, str] = {
    "day": rf"/\s*(?:d|day|дн\.?|день)|{_PER}(?:day|день|сутки)|daily|ежедневно",
    "week": rf"/\s*(?:w|wk|week|нед\.?|неделю)|{_PER}(?:week|wk|нед\.?|неделю)|weekly|еженедельно",
    "month": rf"/\s*(?:m|mo|mon|mth|month|мес\.?|месяц)|{_PER}(?:month|mo|mth|мес\.?|месяц)|monthly|ежемесячно"
    r"|помесячно",
    "quarter": rf"/\s*(?:q|qtr|quarter|кв\.?|квартал)|{_PER}(?:quarter|qtr|квартал)|quarterly|ежеквартально",
    "year": rf"/\s*(?:y|yr|year|г\.?|год)|{_PER}(?:year|yr|annum|год)|annually|yearly|p\.a\.|ежегодно",
}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_CUR = rf"(?:{_alternation(_CURRENCY_OF)})\.?"
_MONEY = re.compile(
    rf"(?:(?P<pre>{_CUR})\s*)?(?P<num>[0-9](?:[0-9 ,.]*[0-9])?)\s*(?P<mult>{_alternation(_MULTIPLIER_OF)})?"
    rf"\s*(?P<post>{_CUR})?\s*(?P<period>{'|'.join(f'(?P<{k}>{v})' for k, v in _PERIODS.items())})?"
)
_APPROX = re.compile(
    r"^(?:~|≈|about|around|approx\.?|approximately|roughly|circa|около|примерно|приблизительно"
    r"|где-то|порядка)\s*"
)
_FREE = frozenset({"free", "for free", "nothing", "бесплатно", "даром", "нисколько", "免费"})


def _currency(token: str | None) -> str | None:
    return None if token is None else _CURRENCY_OF.get(token.rstrip(".") or token)


def parse_money(text: str) -> Money | None:
    """Parse '$20/mo', '1 500 ₽', '9,99 €', '20k', 'USD 300 per year', 'free' into Money; None if unsure."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    s = _norm(text).rstrip(".!?,;")
    while (m := _APPROX.match(s)) and m.end() > 0:
        s = s[m.end() :]
    if s in _FREE:
        return Money(Decimal(0), None, None)
    match = _MONEY.fullmatch(s)
    if not match:
        return None
    pre, post = _currency(match.group("pre")), _currency(match.group("post"))
    if pre and post and pre != post:
        return None
    amount = _to_decimal(match.group("num"))
    if amount is None:
        return None
    if match.group("mult"):
        amount *= _MULTIPLIER_OF[match.group("mult")]
    elif not isinstance(exponent := amount.as_tuple().exponent, int) or exponent < -2:
        return None  # "9.999", "1,5000": not a price as written
    if amount > MAX_AMOUNT or amount * 100 != (amount * 100).to_integral_value():
        return None
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    period = next((k for k in _PERIODS if match.group(k)), None) if match.group("period") else None
    return Money(amount + 0, pre or post, period)


_RU_DIGITS = str.maketrans(",.", " ,")  # 1,500.50 -> 1 500,50


def _format_amount(amount: Decimal, lang: str) -> str:
    try:
        integral = amount == amount.to_integral_value()
        text = f"{amount:,.0f}" if integral else f"{amount:,.2f}"
    except (InvalidOperation, ValueError):
        text = str(amount)
    return text.translate(_RU_DIGITS) if lang == "ru" else text


_PERIOD_WORDS = {
    "en": {"day": "/day", "week": "/week", "month": "/month", "quarter": "/quarter", "year": "/year"},
    "ru": {"day": " в день", "week": " в неделю", "month": " в месяц", "quarter": " в квартал", "year": " в год"},
}


def format_money(money: Money, lang: str) -> str:
    """Render Money for people: '$20/month' (en), '1 500 ₽ в месяц' (ru); parse_money reads it back."""
    lang = "ru" if lang.lower().startswith("ru") else "en"
    number = _format_amount(money.amount, lang)
    code = money.currency
    if code is None:
        text = number
    elif lang == "en" and code in _PREFIX_SYMBOL:
        text = f"{_SYMBOLS[code]}{number}"
    else:
        text = f"{number} {_SYMBOLS.get(code, code)}"
    return text + _PERIOD_WORDS[lang].get(money.period or "", "")


# ---------------------------------------------------------------- yes / no

_YES = frozenset(_words("yes y yeah yep yup yea ya sure true да д ага угу конечно 是 是的 对 👍 ✅")) | {"of course"}
_NO = frozenset(_words("no n nope nah false нет н неа не 不 不是 没有 👎 ❌")) | {"конечно нет"}


def parse_yes_no(text: str) -> bool | None:
    """Read yes/no answers in English, Russian and Chinese; numbers and anything else give None."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    s = _norm(text).strip(" .!?)(")
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
    "monday mon понедельник",
    "tuesday tue вторник",
    "wednesday wed среда среду",
    "thursday thu четверг",
    "friday fri пятница пятницу",
    "saturday sat суббота субботу",
    "sunday sun воскресенье",
)
_WEEKDAY_OF = {word: num for num, words in enumerate(_WEEKDAYS) for word in words.split()}
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
    **dict.fromkeys(_words("day days день дня дней"), 1),
    **dict.fromkeys(_words("week weeks неделю недели недель"), 7),
}
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "один": 1, "одну": 1, "два": 2, "две": 2, "три": 3}
_MONTH_RE = _alternation(_MONTH_OF)
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
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    s = re.sub(r"\s+(?:г\.?|года|год)$", "", _norm(text).rstrip(".!?,;"))
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
