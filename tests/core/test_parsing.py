"""Tests for core.parsing: tolerant money, number, date and yes/no parsers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.money import Money, format_money, parse_money
from core.parsing import parse_date, parse_number, parse_yes_no

TODAY = date(2026, 11, 25)  # a Wednesday


def money(amount: str, currency: str | None = None, period: str | None = None) -> Money:
    return Money(Decimal(amount), currency, period)


# ---------------------------------------------------------------- parse_money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$20/mo", money("20", "USD", "month")),
        ("20 usd", money("20", "USD")),
        ("20 USD", money("20", "USD")),
        ("20$", money("20", "USD")),
        ("1 500 ₽", money("1500", "RUB")),
        ("1\u00a0500 ₽", money("1500", "RUB")),
        ("1\u2009500 ₽", money("1500", "RUB")),
        ("1\u202f500 ₽", money("1500", "RUB")),
        ("1 500 000 ₽", money("1500000", "RUB")),
        ("€9.99", money("9.99", "EUR")),
        ("9,99 €", money("9.99", "EUR")),
        ("9,9 €", money("9.9", "EUR")),
        ("1,500", money("1500")),
        ("1,500,000", money("1500000")),
        ("$1,500.50", money("1500.50", "USD")),
        ("1.500,50 €", money("1500.50", "EUR")),
        ("20k", money("20000")),
        ("20K", money("20000")),
        ("20к", money("20000")),
        ("$20k", money("20000", "USD")),
        ("1.5m", money("1500000")),
        ("1.5 млн", money("1500000")),
        ("10 тыс. руб.", money("10000", "RUB")),
        ("USD 300 per year", money("300", "USD", "year")),
        ("300 руб. в месяц", money("300", "RUB", "month")),
        ("300 р/мес", money("300", "RUB", "month")),
        ("300р", money("300", "RUB")),
        ("300 рублей", money("300", "RUB")),
        ("20 тысяч рублей в месяц", money("20000", "RUB", "month")),
        ("¥100", money("100", "JPY")),
        ("100 юаней", money("100", "CNY")),
        ("100 yuan", money("100", "CNY")),
        ("100 RMB", money("100", "CNY")),
        ("100 cny", money("100", "CNY")),
        ("£5", money("5", "GBP")),
        ("5 pounds", money("5", "GBP")),
        ("₹500", money("500", "INR")),
        ("5000 тенге", money("5000", "KZT")),
        ("200 грн", money("200", "UAH")),
        ("50 CHF", money("50", "CHF")),
        ("20", money("20")),
        ("0", money("0")),
        ("free", money("0")),
        ("Free", money("0")),
        ("бесплатно", money("0")),
        ("~$20", money("20", "USD")),
        ("about $20 a month", money("20", "USD", "month")),
        ("около 300 р в месяц", money("300", "RUB", "month")),
        ("примерно 5k", money("5000")),
        ("  $20  ", money("20", "USD")),
        ("$20.", money("20", "USD")),
        ("１００ usd", money("100", "USD")),
        ("$20 usd", money("20", "USD")),
    ],
)
def test_parse_money(text: str, expected: Money) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("$20/mo", "month"),
        ("$20/month", "month"),
        ("$20/m", "month"),
        ("$20 a month", "month"),
        ("$20 per month", "month"),
        ("$20 monthly", "month"),
        ("20 $ в месяц", "month"),
        ("20$/мес", "month"),
        ("20 $ ежемесячно", "month"),
        ("$20/yr", "year"),
        ("$20/year", "year"),
        ("$20 per year", "year"),
        ("$20 annually", "year"),
        ("20 $ в год", "year"),
        ("$20/week", "week"),
        ("$20/wk", "week"),
        ("20 $ в неделю", "week"),
        ("$20/day", "day"),
        ("20 $ в день", "day"),
        ("$20/quarter", "quarter"),
        ("20 $ в квартал", "quarter"),
        ("$20", None),
    ],
)
def test_parse_money_periods(text: str, period: str | None) -> None:
    parsed = parse_money(text)
    assert parsed is not None
    assert parsed.amount == 20
    assert parsed.currency == "USD"
    assert parsed.period == period


@pytest.mark.parametrize(
    "text",
    [
        "twenty",
        "",
        "   ",
        "abc",
        "-5",
        "-$5",
        "$",
        "usd",
        "20 30",
        "1e9999",
        "1e3",
        "nan",
        "inf",
        "$20 eur",  # two different currencies
        "9.999 $",  # more than two decimal places
        "0.001",
        "2000000000000",  # absurd: > 10**12
        "5000b",
        "20 per user per month",
        "1/2",
        "💰💰💰",
        "20 🐱",
        "1,5000",
        "1,500,50",
        "x" * 10_000,
        "1" * 10_000,
    ],
)
def test_parse_money_rejects(text: str) -> None:
    assert parse_money(text) is None


def test_parse_money_amount_limit() -> None:
    assert parse_money("1000000000000") == money("1000000000000")
    assert parse_money("1000000000000.01") is None


# ---------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20", Decimal("20")),
        ("20.5", Decimal("20.5")),
        ("20,5", Decimal("20.5")),
        ("1 500", Decimal("1500")),
        ("1\u00a0500", Decimal("1500")),
        ("1,500", Decimal("1500")),
        ("0,125", Decimal("0.125")),
        ("-3", Decimal("-3")),
        ("+4", Decimal("4")),
        (" 7 ", Decimal("7")),
        ("3.0", Decimal("3")),
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20", Decimal("20")), ("3.0", Decimal("3")), ("-3", Decimal("-3")), ("1 500", Decimal("1500")), ("2.5", None)],
)
def test_parse_number_integer(text: str, expected: Decimal | None) -> None:
    assert parse_number(text, integer=True) == expected


@pytest.mark.parametrize(
    "text", ["twenty", "", "1/2", "nan", "NaN", "inf", "-inf", "1e400", "1e3", "20 30", "--3", "3-", "0x10", "½", "."]
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None
    assert parse_number(text, integer=True) is None


def test_parse_number_integer_returns_integral_exponent() -> None:
    value = parse_number("3.0", integer=True)
    assert value is not None
    assert str(value) == "3"


# ---------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("Today", TODAY),
        ("сегодня", TODAY),
        ("now", TODAY),
        ("yesterday", date(2026, 11, 24)),
        ("вчера", date(2026, 11, 24)),
        ("позавчера", date(2026, 11, 23)),
        ("day before yesterday", date(2026, 11, 23)),
        ("3 days ago", date(2026, 11, 22)),
        ("1 day ago", date(2026, 11, 24)),
        ("a week ago", date(2026, 11, 18)),
        ("2 weeks ago", date(2026, 11, 11)),
        ("3 дня назад", date(2026, 11, 22)),
        ("5 дней назад", date(2026, 11, 20)),
        ("неделю назад", date(2026, 11, 18)),
        ("last week", date(2026, 11, 18)),
        ("на прошлой неделе", date(2026, 11, 18)),
        ("2026-11-20", date(2026, 11, 20)),
        ("20.11.2026", date(2026, 11, 20)),
        ("20.11.26", date(2026, 11, 20)),
        ("20.11", date(2026, 11, 20)),
        ("26.11", date(2025, 11, 26)),  # tomorrow's day last year: never a future date without a year
        ("25.11", TODAY),
        ("1.1", date(2026, 1, 1)),
        ("20/11/2026", date(2026, 11, 20)),
        ("5/3/2026", date(2026, 3, 5)),  # day first
        ("Nov 20", date(2026, 11, 20)),
        ("november 20th", date(2026, 11, 20)),
        ("Dec 1", date(2025, 12, 1)),
        ("Nov 20, 2026", date(2026, 11, 20)),
        ("20 Nov 2026", date(2026, 11, 20)),
        ("20th of November", date(2026, 11, 20)),
        ("20 ноября", date(2026, 11, 20)),
        ("20 НОЯБРЯ", date(2026, 11, 20)),
        ("20 ноябрь", date(2026, 11, 20)),
        ("1 мая", date(2026, 5, 1)),
        ("20 ноября 2026 г.", date(2026, 11, 20)),
        ("monday", date(2026, 11, 23)),
        ("wednesday", TODAY),
        ("last wednesday", date(2026, 11, 18)),
        ("в понедельник", date(2026, 11, 23)),
        ("昨天", date(2026, 11, 24)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "32.01.2026",
        "31.04.2026",
        "20.13",
        "0.1.2026",
        "",
        "soon",
        "tomorrow-ish",
        "20",
        "Nov",
        "20 foo",
        "x days ago",
        "99999 days ago",
        "1.1.0",
        "🗓️",
        "a" * 10_000,
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("tomorrow", 1),
        ("Завтра", 1),
        ("послезавтра", 2),
        ("next week", 7),
        ("in 3 days", 3),
        ("in two weeks", 14),
        ("через 3 дня", 3),
        ("next friday", 2),
        ("next wednesday", 7),
        ("в следующий понедельник", 5),
    ],
)
def test_parse_date_reads_future_days_too(text: str, days: int) -> None:
    assert parse_date(text, TODAY) == TODAY + timedelta(days=days)


def test_parse_date_feb_29_without_year() -> None:
    assert parse_date("29.02", date(2028, 3, 1)) == date(2028, 2, 29)
    assert parse_date("29.02", date(2027, 3, 1)) is None


def test_parse_date_year_start() -> None:
    assert parse_date("31.12", date(2027, 1, 2)) == date(2026, 12, 31)
    assert parse_date("3 days ago", date(2027, 1, 2)) == date(2026, 12, 30)


# ---------------------------------------------------------------- parse_yes_no


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *((t, True) for t in ["yes", "Yes!", "y", "Y", "yeah", "yep", "true", "да", "Да.", "д", "ага", "👍"]),
        ("конечно", True),
        *((t, False) for t in ["no", "No.", "n", "nope", "false", "нет", "Нет!", "н", "неа", "👎"]),
        *((t, None) for t in ["1", "2", "0", "", "maybe", "может быть", "yes no", "yesterday", "not sure", "🙂"]),
    ],
)
def test_parse_yes_no(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected


# ---------------------------------------------------------------- format_money


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (money("20", "USD", "month"), "en", "$20/month"),
        (money("20", "USD", "month"), "ru", "20 $ в месяц"),
        (money("1500", "RUB"), "ru", "1 500 ₽"),
        (money("1500", "RUB"), "en", "1,500 ₽"),
        (money("1500", "RUB", "month"), "ru", "1 500 ₽ в месяц"),
        (money("9.99", "EUR"), "en", "€9.99"),
        (money("9.99", "EUR"), "ru", "9,99 €"),
        (money("9.5", "GBP", "year"), "en", "£9.50/year"),
        (money("1500.5", "USD"), "ru", "1 500,50 $"),
        (money("20"), "en", "20"),
        (money("20"), "ru", "20"),
        (money("20", None, "week"), "ru", "20 в неделю"),
        (money("7", "CHF", "quarter"), "en", "7 CHF/quarter"),
        (money("7", "CHF", "quarter"), "ru", "7 CHF в квартал"),
        (money("100", "JPY", "day"), "en", "¥100/day"),
        (money("100", "KZT", "day"), "ru", "100 ₸ в день"),
        (money("20", "USD", "month"), "ru-RU", "20 $ в месяц"),
        (money("20", "USD", "month"), "de", "$20/month"),
    ],
)
def test_format_money(value: Money, lang: str, expected: str) -> None:
    assert format_money(value, lang) == expected


# ---------------------------------------------------------------- properties

CURRENCIES = ["USD", "EUR", "GBP", "RUB", "CNY", "JPY", "INR", "KZT", "UAH", "CHF"]
PERIODS = [None, "day", "week", "month", "quarter", "year"]
amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@given(st.text(max_size=300))
def test_parsers_never_raise(text: str) -> None:
    assert isinstance(parse_money(text), Money | None)
    assert isinstance(parse_number(text), Decimal | None)
    assert isinstance(parse_number(text, integer=True), Decimal | None)
    assert isinstance(parse_date(text, TODAY), date | None)
    assert isinstance(parse_yes_no(text), bool | None)


@given(st.text(alphabet="0123456789 ,.$€₽kкm/-+~", max_size=40))
def test_money_like_text_never_raises(text: str) -> None:
    parsed = parse_money(text)
    if parsed is not None:
        assert 0 <= parsed.amount <= 10**12
    assert isinstance(parse_number(text), Decimal | None)


@given(st.dates(), st.text(max_size=50))
def test_parse_date_any_today(today: date, text: str) -> None:
    assert isinstance(parse_date(text, today), date | None)


@given(amounts, st.sampled_from(CURRENCIES), st.sampled_from(PERIODS), st.sampled_from(["en", "ru"]))
@settings(max_examples=300)
def test_format_money_round_trips(amount: Decimal, currency: str, period: str | None, lang: str) -> None:
    shown = format_money(Money(amount, currency, period), lang)
    parsed = parse_money(shown)
    assert parsed == Money(amount, currency, period), shown


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_parse_number_integers(n: int) -> None:
    assert parse_number(str(n), integer=True) == n
    assert parse_number(f"{n:,}") == n
