"""Turning typed input into a stored answer for each question kind, and showing answers back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.i18n import gettext_for
from core.interview.coach import coach_flags
from core.interview.offers import format_day
from core.money import Money, format_money, parse_money
from core.parsing import parse_date, parse_number, parse_yes_no
from core.scripts.model import (
    AnyQuestion,
    ChoiceQuestion,
    DateQuestion,
    LongTextQuestion,
    MoneyQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    ScaleQuestion,
    TextQuestion,
    YesNoQuestion,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]")
_SEPARATORS = re.compile(r"[,;\s]+")
_HOURS = re.compile(r"\d.*\b(hours?|hrs?|h|час\w*|ч)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Accepted:
    """A valid answer, with soft warnings the founder may override (long, hypothetical, order...)."""

    value: Any
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejected:
    """Input that cannot be an answer; the message says what to type instead."""

    message: str


Parsed = Accepted | Rejected


def clean_text(text: str) -> str:
    """Normalize typed text: NFC, no control characters, trimmed."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def parse_answer(
    question: AnyQuestion, text: str, lang: str, today: date, answers: dict[str, Any], default_currency: str | None
) -> Parsed:
    """Parse typed text as an answer to the question."""
    _ = gettext_for(lang)
    text = clean_text(text)
    if not text:
        return Rejected(_("Please type an answer."))
    if isinstance(question, (TextQuestion, LongTextQuestion)):
        warnings: list[str] = []
        if len(text) > question.soft_max_length:
            warnings.append("long")
        if question.coach:
            warnings.extend(coach_flags(text))
        return Accepted(text, tuple(warnings))
    if isinstance(question, (ChoiceQuestion, MultiChoiceQuestion)):
        return _parse_options(question, text, lang)
    if isinstance(question, ScaleQuestion):
        number = parse_number(text, integer=True)
        if number is None or not question.min <= number <= question.max:
            return Rejected(_("Please pick a number from {low} to {high}.").format(low=question.min, high=question.max))
        return Accepted(int(number))
    if isinstance(question, NumberQuestion):
        return _parse_number(question, text, lang)
    if isinstance(question, MoneyQuestion):
        return _parse_money(question, text, lang, answers, default_currency)
    if isinstance(question, DateQuestion):
        parsed = parse_date(text, today)
        if parsed is None:
            return Rejected(_("I couldn't read that date. Try “today”, “yesterday” or 2026-11-20."))
        if question.past_only and parsed > today:
            return Rejected(_("That date is in the future; when did the interview happen?"))
        return Accepted(parsed.isoformat())
    if isinstance(question, YesNoQuestion):
        answer = parse_yes_no(text)
        if answer is None:
            return Rejected(_("Please answer yes or no."))
        return Accepted(answer)
    return Rejected(_("Please use the buttons for this question."))


def _parse_options(question: ChoiceQuestion | MultiChoiceQuestion, text: str, lang: str) -> Parsed:
    _ = gettext_for(lang)
    whole = match_option(question, text, lang)
    if isinstance(question, ChoiceQuestion):
        if whole is None:
            return Rejected(_("Please pick one of the options: tap a button or type its number."))
        return Accepted(whole)
    picks = [whole] if whole is not None else [match_option(question, p, lang) for p in _SEPARATORS.split(text) if p]
    if not picks or None in picks:
        return Rejected(_("Please pick from the options: tap the buttons or type their numbers, like 1, 3."))
    chosen = [option.value for option in question.options if option.value in picks]
    if len(chosen) < question.min_selected:
        return Rejected(_("Please pick at least {n}.").format(n=question.min_selected))
    return Accepted(chosen)


def match_option(question: ChoiceQuestion | MultiChoiceQuestion, text: str, lang: str) -> str | None:
    """The option a typed number, label or value refers to."""
    _ = gettext_for(lang)
    wanted = text.strip().casefold()
    if wanted.isdecimal() and len(wanted) <= 3 and 1 <= int(wanted) <= len(question.options):
        return question.options[int(wanted) - 1].value
    for option in question.options:
        if wanted in (option.value.casefold(), option.label.casefold(), _(option.label).casefold()):
            return option.value
    return None


def _parse_number(question: NumberQuestion, text: str, lang: str) -> Parsed:
    _ = gettext_for(lang)
    number = parse_number(text, integer=question.integer)
    if number is None:
        return Rejected(_("Please type a number, like 12 or 3.5."))
    if question.min is not None and number < Decimal(str(question.min)):
        return Rejected(_("Please type a number of at least {min}.").format(min=_plain(question.min)))
    if question.max is not None and number > Decimal(str(question.max)):
        return Rejected(_("Please type a number of at most {max}.").format(max=_plain(question.max)))
    return Accepted(int(number) if number == number.to_integral_value() else float(number))


def _parse_money(
    question: MoneyQuestion, text: str, lang: str, answers: dict[str, Any], default_currency: str | None
) -> Parsed:
    _ = gettext_for(lang)
    money = parse_money(text)
    if money is None and _HOURS.search(text):  # the hint says time is money: they typed the time
        return Rejected(
            _(
                "That reads as time, not money. Turn it into money: the hours times what an hour of their time "
                "costs, like 5 hours a month at $40 an hour is $200/mo."
            )
        )
    if money is None:
        return Rejected(_("I couldn't read that amount. Type it with digits, like $20/mo, 20 usd or 1 500 ₽."))
    currency = money.currency or last_currency(answers) or default_currency
    value = {"amount": str(money.amount), "currency": currency, "period": money.period}
    warnings: tuple[str, ...] = ()
    if question.greater_than:
        floor = answers.get(question.greater_than)
        if isinstance(floor, dict) and floor.get("currency") in (None, currency):
            if money.amount <= Decimal(floor["amount"]):
                warnings = ("order",)
    return Accepted(value, warnings)


def last_currency(answers: dict[str, Any]) -> str | None:
    """The currency of the latest money answer, so "20" after "$10" means dollars."""
    for value in reversed(list(answers.values())):
        if isinstance(value, dict) and "amount" in value and value.get("currency"):
            return str(value["currency"])
    return None


def money_of(value: Any) -> Money | None:
    """A stored money answer as Money."""
    if not isinstance(value, dict) or "amount" not in value:
        return None
    return Money(Decimal(str(value["amount"])), value.get("currency"), value.get("period"))


def display(question: AnyQuestion, value: Any, lang: str) -> str:
    """A stored answer as the founder should see it."""
    _ = gettext_for(lang)
    if value is None:
        return _("(skipped)")
    if isinstance(question, (ChoiceQuestion, MultiChoiceQuestion)):
        labels = {option.value: _(option.label) for option in question.options}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if isinstance(question, ScaleQuestion) and isinstance(value, int):
        label = question.labels.get(value)
        return f"{value} — {_(label)}" if label else str(value)
    if isinstance(question, MoneyQuestion):
        money = money_of(value)
        return format_money(money, lang) if money else str(value)
    if isinstance(question, YesNoQuestion):
        return _("Yes") if value else _("No")
    if isinstance(question, DateQuestion) and isinstance(value, str):  # as echoed when typed, not 2026-11-28
        try:
            return format_day(date.fromisoformat(value), lang)
        except ValueError:
            return value
    return str(value)


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
