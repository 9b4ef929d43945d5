"""Money as founders type and read it: '$20/mo', '1 500 ₽', '20k', 'free' parsed, and shown back per language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.parsing import MAX_INPUT, alternation, fold_typed, to_decimal, word_list

MAX_AMOUNT = Decimal(10) ** 12


@dataclass(frozen=True)
class Money:
    """An amount of money, optionally with an ISO 4217 currency and a billing period."""

    amount: Decimal
    currency: str | None
    period: str | None


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
_SYMBOLS = dict(zip(word_list("USD EUR GBP JPY CNY INR RUB KZT UAH"), word_list("$ € £ ¥ CN¥ ₹ ₽ ₸ ₴"), strict=True))
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


_CUR = rf"(?:{alternation(_CURRENCY_OF)})\.?"
_MONEY = re.compile(
    rf"(?:(?P<pre>{_CUR})\s*)?(?P<num>[0-9](?:[0-9 ,.]*[0-9])?)\s*(?P<mult>{alternation(_MULTIPLIER_OF)})?"
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
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    s = fold_typed(text).rstrip(".!?,;")
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
    amount = to_decimal(match.group("num"))
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
