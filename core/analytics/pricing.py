"""Willingness to pay: Van Westendorp price ranges per currency, and the Sean Ellis "very disappointed" share.

Van Westendorp gives the same four points as `psm_analysis()` of the R package pricesensitivitymeter 1.3.1 and
1.3.3 (unweighted, `validate = TRUE`, `interpolate = FALSE`, `intersection_method = "min"`, `acceptable_range =
"original"`, no Newton-Miller-Smith extension), checked against its documented examples. Where the package
differs from a plain reading of the method, it is followed:

- Curves. On each price of the grid (every distinct answer of the kept respondents, any of the four questions),
  "too cheap" and "bargain" are the shares answering strictly above the price and "getting expensive" and "too
  expensive" the shares answering at or below it, except at the lowest answer given to that question (and below):
  there the package pins the cumulative share to 0, so "too cheap"/"bargain" read 100% (>= rather than >) and
  "getting expensive"/"too expensive" read 0% (< rather than <=).
- Crossings. Only the grid is looked at: a crossing is where the sign (-, 0 or +) of the difference of two curves
  changes between neighbouring grid prices, located by linear interpolation; the lowest wins. Touching counts (the
  difference reaching exactly 0 gives the touching price), and where two curves run together the run's first
  price wins (subject to R's rounding, next point). For kept respondents every curve pair starts below and
  ends at or above its partner, so a point never fails to exist; if it ever did, it would be None (R's NA).
- Rounding. The package works in binary floating point, where 1 - (1 - k/n) is not always k/n. Whether a
  difference is "exactly 0" decides touching, so the sign test uses the package's own double arithmetic (with
  n = 20, a tie of 30% too expensive against 30% too cheap reads as slightly below, which moves the point to the
  end of a flat run). The position itself is computed exactly from the exact shares (from R's rounded values only
  when both neighbours are exactly 0), so results agree with R to its rounding (about 1e-15) and come out as clean
  decimals (28 significant digits). Prices are compared as decimals; R compares doubles.
- Not in the package: one result per currency (None is its own group, never mixed, sorted with None last), the
  minimum number of kept respondents before any point is reported (below it the points are None, with n shown),
  and no error when every respondent is dropped (n = 0). Answers that are NaN or infinite count as dropped, as
  the package drops NA.
- Version 1.3.0 (and earlier) differed: no interpolation (the first grid price where one curve reaches the other)
  and a plain empirical distribution without the pin at the lowest answer. Versions 1.3.1 and 1.3.3 ship both
  the old R/psm-utils.R and the new R/psm_utils.R; the new one is sourced last under R's default C collation, so
  it is the one in effect, which the documented results confirm.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from itertools import accumulate

MINIMUM_RESPONDENTS = 20
_DECIMALS = Context(prec=28)


@dataclass(frozen=True)
class PriceResponse:
    """One respondent's four Van Westendorp answers, in one currency (None when the answers named none).

    `count` is how many respondents gave exactly these answers (the board reads them grouped); 1 by default.
    """

    too_cheap: Decimal
    bargain: Decimal
    getting_expensive: Decimal
    too_expensive: Decimal
    currency: str | None = None
    count: int = 1


@dataclass(frozen=True)
class PriceCounts:
    """One currency's answers counted, all Van Westendorp needs: how many kept respondents gave each price to each
    question, and how many respondents were dropped (answers not finite or not strictly increasing)."""

    currency: str | None
    too_cheap: Mapping[Decimal, int]
    bargain: Mapping[Decimal, int]
    getting_expensive: Mapping[Decimal, int]
    too_expensive: Mapping[Decimal, int]
    dropped: int = 0

    @property
    def n(self) -> int:
        """Kept respondents."""
        return sum(self.too_cheap.values())


@dataclass(frozen=True)
class PriceRange:
    """Van Westendorp result for one currency; the four points are None until `enough` respondents were kept."""

    currency: str | None
    n: int
    dropped: int
    needed: int
    pmc: Decimal | None
    pme: Decimal | None
    opp: Decimal | None
    ipp: Decimal | None

    @property
    def enough(self) -> bool:
        """Whether enough respondents were kept for the points to be reported."""
        return self.n >= self.needed


@dataclass(frozen=True)
class SeanEllis:
    """Counts of "How would you feel if you could no longer use it?" and the share of "very disappointed"."""

    n: int
    very: int
    somewhat: int
    not_disappointed: int
    very_disappointed_share: float | None


def van_westendorp(responses: Sequence[PriceResponse], minimum: int = MINIMUM_RESPONDENTS) -> list[PriceRange]:
    """Van Westendorp price points per currency (sorted, None last), as R's pricesensitivitymeter computes them."""
    return counted_van_westendorp(price_counts(responses), minimum)


def price_counts(responses: Sequence[PriceResponse]) -> list[PriceCounts]:
    """The responses counted per currency (in order of first appearance): kept answers by price, and drops."""
    counts: dict[str | None, tuple[list[dict[Decimal, int]], list[int]]] = {}
    for response in responses:
        questions, dropped = counts.setdefault(response.currency, ([{}, {}, {}, {}], [0]))
        if not kept(response):
            dropped[0] += response.count
        elif response.count > 0:
            for question, answer in zip(questions, _answers(response), strict=True):
                question[answer] = question.get(answer, 0) + response.count
    return [
        PriceCounts(currency, cheap, bargain, expensive, too_expensive, dropped[0])
        for currency, ([cheap, bargain, expensive, too_expensive], dropped) in counts.items()
    ]


def counted_van_westendorp(counts: Sequence[PriceCounts], minimum: int = MINIMUM_RESPONDENTS) -> list[PriceRange]:
    """`van_westendorp` from the answers already counted (one PriceCounts per currency)."""
    if minimum < 1:
        raise ValueError(f"minimum must be at least 1, not {minimum}")
    results = []
    for counted in sorted(counts, key=lambda c: (c.currency is None, c.currency or "")):
        n = counted.n
        points = _points(counted) if n >= minimum else (None, None, None, None)
        results.append(PriceRange(counted.currency, n, counted.dropped, minimum, *points))
    return results


def sean_ellis(answers: Sequence[str]) -> SeanEllis:
    """Count "very", "somewhat" and "not" (anything else, such as "na": no longer uses it, is left out) and the
    share of "very" among them."""
    counts: dict[str, int] = {}
    for answer in answers:
        counts[answer] = counts.get(answer, 0) + 1
    return counted_sean_ellis(counts)


def counted_sean_ellis(counts: Mapping[str, int]) -> SeanEllis:
    """`sean_ellis` from the answers already counted."""
    very, somewhat, not_disappointed = counts.get("very", 0), counts.get("somewhat", 0), counts.get("not", 0)
    n = very + somewhat + not_disappointed
    return SeanEllis(n, very, somewhat, not_disappointed, very / n if n else None)


def _answers(r: PriceResponse) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return (r.too_cheap, r.bargain, r.getting_expensive, r.too_expensive)


def kept(r: PriceResponse) -> bool:
    """Whether Van Westendorp keeps a respondent: four finite answers, strictly increasing."""
    return all(a.is_finite() for a in _answers(r)) and r.too_cheap < r.bargain < r.getting_expensive < r.too_expensive


class _Counts:
    """How many kept answers to one question lie at or below a price, with the package's pin at the lowest."""

    def __init__(self, answers: Mapping[Decimal, int]) -> None:
        ordered = sorted(answers.items())
        self.values = [value for value, _count in ordered]
        self.cumulative = list(accumulate(count for _value, count in ordered))

    def at_or_below(self, price: Decimal) -> int:
        if price <= self.values[0]:
            return 0
        return self.cumulative[bisect_right(self.values, price) - 1]


def _points(counted: PriceCounts) -> tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
    """PMC, PME, OPP and IPP of the kept respondents (at least one)."""
    n = counted.n
    answers = (counted.too_cheap, counted.bargain, counted.getting_expensive, counted.too_expensive)
    grid = sorted({price for question in answers for price in question})
    too_cheap, bargain, expensive, too_expensive = (_Counts(question) for question in answers)
    # per grid price, counts at or below it: too cheap (t), bargain (b), getting expensive (e), too expensive (x)
    rows = [
        (too_cheap.at_or_below(p), bargain.at_or_below(p), expensive.at_or_below(p), too_expensive.at_or_below(p))
        for p in grid
    ]

    def crossing(
        exact: Callable[[int, int, int, int], int], rounded: Callable[[float, float, float, float], float]
    ) -> Decimal | None:
        # exact: numerator over n of curve1 - curve2; rounded: the same difference as R computes it in doubles
        return _first_crossing(
            grid,
            [exact(*row) for row in rows],
            [rounded(t / n, b / n, e / n, x / n) for t, b, e, x in rows],
            n,
        )

    # R's columns: too cheap 1-T, cheap 1-B, expensive E, too expensive X, not cheap 1-(1-B), not expensive 1-E
    pmc = crossing(lambda t, b, e, x: b + t - n, lambda t, b, e, x: (1.0 - (1.0 - b)) - (1.0 - t))
    pme = crossing(lambda t, b, e, x: x + e - n, lambda t, b, e, x: x - (1.0 - e))
    opp = crossing(lambda t, b, e, x: x + t - n, lambda t, b, e, x: x - (1.0 - t))
    ipp = crossing(lambda t, b, e, x: e + b - n, lambda t, b, e, x: e - (1.0 - b))
    return pmc, pme, opp, ipp


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _first_crossing(grid: list[Decimal], exact: list[int], rounded: list[float], n: int) -> Decimal | None:
    """The lowest price where the difference changes sign (as R sees it), by linear interpolation."""
    for i in range(len(grid) - 1):
        if _sign(rounded[i]) == _sign(rounded[i + 1]):
            continue
        if exact[i] != exact[i + 1]:
            y1, y2 = Fraction(exact[i], n), Fraction(exact[i + 1], n)
        else:  # both exactly 0: only R's rounding tells them apart, so its rounded values place the point
            y1, y2 = Fraction(rounded[i]), Fraction(rounded[i + 1])
        x1, x2 = Fraction(grid[i]), Fraction(grid[i + 1])
        return _decimal(x1 - y1 * (x2 - x1) / (y2 - y1))
    return None


def _decimal(value: Fraction) -> Decimal:
    return _DECIMALS.divide(Decimal(value.numerator), Decimal(value.denominator))
