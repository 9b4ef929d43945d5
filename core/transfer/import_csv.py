"""Price-survey answers from a CSV (a spreadsheet or a survey tool) as completed survey records; the import's types.

A survey row is stored like a completed interview of the script SURVEY_SCRIPT, so its prices count; it never counts
as an interview (core.domain.is_interview).

core.transfer.importer re-exports everything here; import from there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import PurePath

from core.app.export_data import HypothesisInfo, TeamInfo
from core.currencies import is_currency
from core.domain import SURVEY_SCRIPT, InterviewRecord, InterviewSummary, PriceAnswers
from core.i18n import gettext_for
from core.money import Money, parse_money

PRICE_COLUMNS = ("too_cheap", "bargain", "getting_expensive", "too_expensive")
_NEGATIVE = re.compile(r"\s*[-−–]")


@dataclass(frozen=True)
class ImportProblem:
    """Why one entry of an imported file was skipped, and where it is."""

    source: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        line = f"{self.line}:" if self.line else ""  # 0: about the whole file (an option given with it)
        return f"{self.source}:{line}{where} {self.message}"


@dataclass(frozen=True)
class ImportBatch:
    """What a file holds: only fully valid entries, plus one problem per skipped entry."""

    teams: list[TeamInfo] = field(default_factory=list)
    hypotheses: list[HypothesisInfo] = field(default_factory=list)
    interviews: list[InterviewSummary] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def _delimiter(text: str) -> str:
    """Tab or semicolon when the first line splits into four or more cells by it (spreadsheet exports), else comma."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for delimiter in ("\t", ";"):
        if len(next(csv.reader([first], delimiter=delimiter))) >= 4:
            return delimiter
    return ","


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column positions by name when the row is a header (any cell names a known column)."""
    names = [re.sub(r"[\s-]+", "_", cell.casefold()) for cell in cells]
    if not set(names) & {*PRICE_COLUMNS, "currency"}:
        return None
    return {name: names.index(name) for name in names}


def currency_code(text: str) -> str | None:
    """An ISO 4217 code from 'usd', '$', 'руб' or a code in use ('chf'); None for anything else ('XYZ')."""
    money = parse_money(f"1 {text}")
    if money is not None and money.currency:
        return money.currency
    code = text.strip()
    return code.upper() if re.fullmatch(r"[A-Za-z]{3}", code) and is_currency(code) else None


def _read_row(
    cells: list[str], columns: dict[str, int], default_currency: str | None, lang: str
) -> tuple[dict[str, Money], str | None] | list[str]:
    """The four prices and the row's currency, or what is wrong with the row."""
    _ = gettext_for(lang)
    errors, prices = [], {}
    column_currency = cells[columns["currency"]] if "currency" in columns else ""
    currency = currency_code(column_currency) if column_currency else default_currency
    if column_currency and currency is None:
        errors.append("currency: " + _("not a currency: {value!r}").format(value=column_currency))
    for name in PRICE_COLUMNS:
        cell = cells[columns[name]]
        money = parse_money(cell) if cell else None
        if money is None:
            message = _("missing") if not cell else _("negative") if _NEGATIVE.match(cell) else None
            errors.append(f"{name}: " + (message or _("not a price: {value!r}").format(value=cell)))
        else:
            prices[name] = money
    written = sorted({money.currency for money in prices.values() if money.currency})
    if len(written) > 1:
        errors.append(_("mixed currencies: {currencies}").format(currencies=", ".join(written)))
    return errors or (prices, written[0] if written else currency)


def _interview(
    prices: dict[str, Money],
    currency: str | None,
    row: tuple[str, int, list[str]],
    team: str,
    founder: str,
    at: datetime,
) -> InterviewSummary:
    """A completed price-survey interview whose id is the same whenever the same row of the same file comes in."""
    source, line, cells = row
    amounts: dict[str, Decimal | None] = {name: prices[name].amount for name in PRICE_COLUMNS}
    answers = {
        name: {"amount": str(money.amount), "currency": currency, "period": money.period}
        for name, money in prices.items()
    }
    key = "\x1f".join([team, PurePath(source).name, str(line), *cells])
    return InterviewSummary(
        id="csv-" + hashlib.sha1(key.encode()).hexdigest()[:16],
        team=team,
        founder=founder,
        script=SURVEY_SCRIPT,
        status="completed",
        started_at=at,
        completed_at=at,
        answers=answers,
        record=InterviewRecord(alias=f"survey row {line}", price=PriceAnswers(currency=currency, **amounts)),
    )


def parse_price_csv(
    text: str,
    source: str,
    team: str,
    founder: str,
    now: datetime,
    default_currency: str | None = None,
    lang: str = "en",
) -> ImportBatch:
    """Each row of four Van Westendorp prices becomes a completed interview; a bad row is skipped with a problem."""
    _ = gettext_for(lang)
    if default_currency is not None:
        if (code := currency_code(default_currency)) is None:
            message = _("unknown currency {value!r}: use an ISO 4217 code such as EUR, USD or RUB")
            return ImportBatch(problems=[ImportProblem(source, 0, "", message.format(value=default_currency))])
        default_currency = code
    text = text.removeprefix("\ufeff")
    at = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    batch = ImportBatch()
    columns: dict[str, int] | None = None  # by name, when the first row is a header
    width, next_line = 0, 1  # the cells a row must have when there is a header; where the next row starts
    try:
        for row in reader:
            line, next_line = next_line, reader.line_num + 1
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if width == 0 and (columns := _header(cells)) is not None:
                width = len(cells)
                if missing := [name for name in PRICE_COLUMNS if name not in columns]:
                    message = _("the header has no column {names}").format(names=", ".join(missing))
                    return ImportBatch(problems=[ImportProblem(source, line, "", message)])
                continue
            width = width or -1  # the first row was data: no header from here on
            if columns is not None and len(cells) != width:
                errors = [_("expected {expected} columns, got {count}").format(expected=width, count=len(cells))]
            elif columns is None and len(cells) not in (4, 5):
                errors = [_("expected 4 or 5 columns, got {count}").format(count=len(cells))]
            else:
                by_order = dict(zip((*PRICE_COLUMNS, "currency"), range(len(cells)), strict=False))
                read = _read_row(cells, columns or by_order, default_currency, lang)
                if isinstance(read, tuple):
                    batch.interviews.append(_interview(*read, (source, line, cells), team, founder, at))
                    continue
                errors = read
            batch.problems.append(ImportProblem(source, line, _("row {line}").format(line=line), "; ".join(errors)))
    except csv.Error as exc:
        message = _("not a readable CSV: {error}").format(error=str(exc))
        batch.problems.append(ImportProblem(source, reader.line_num, "", message))
    return batch
