"""The board as Replies: the same facts for the console, Telegram and Slack (hypotheses: hypothesis_views.py)."""

from __future__ import annotations

from decimal import Decimal

from core.analytics.activity import PACE_MINIMUM, Pace
from core.analytics.pricing import PriceRange
from core.board.gate import PAIN_SHOWN, percent
from core.board.hypotheses import STATUSES
from core.board.phases import KEY_QUESTIONS, PHASE_NAMES
from core.board.search import held_on
from core.board.snapshot import Board
from core.board.team import ROLES
from core.domain import InterviewSummary
from core.i18n import gettext_for, ngettext_for
from core.messages import Reply, TextBuilder, shorten
from core.money import Money, format_money
from core.transfer.export import STATUS_NAMES

WEEKS_A_YEAR = 52


def gate_lines(board: Board, text: TextBuilder, lang: str) -> None:
    """The exit gate, one item per line with its progress (a manual item's says how to tick it)."""
    _ = gettext_for(lang)
    if not board.gate.items:
        text.line(_("This phase's gate has no items, so it never passes: add some with `cusdev gates set`."), "italic")
    for item in board.gate.items:
        text.add("✅ " if item.passed else "⬜ ").add(item.label).add(" — ").line(item.progress, "italic")


def status_reply(board: Board, lang: str) -> Reply:
    """Where do we stand: phase and gate, pace, top pains, hypotheses, pull."""
    _ = gettext_for(lang)
    team, pace = board.team, board.pace
    text = TextBuilder().line(f"{team.name} · {_(PHASE_NAMES[team.phase])}", "bold")
    text.line(_(KEY_QUESTIONS[team.phase]), "italic").line()
    text.line(_("Exit gate"), "bold")
    gate_lines(board, text, lang)
    text.line().line(_("Pace"), "bold")
    text.line(
        _("Interviews this week: {week} (target {target}); in total: {total} of {goal}.").format(
            week=pace.this_week, target=pace.weekly_target, total=pace.total, goal=pace.goal_total
        )
    )
    if board.per_week:
        weeks = ", ".join(f"W{week}: {count}" for _year, week, count in board.per_week)
        text.line(_("By week: {weeks}").format(weeks=weeks), "italic")
    if pace.remaining:
        text.line(_pace_estimate(pace, lang))
    if board.top_pains:
        text.line().line(_("Top pains"), "bold")
        for item in board.top_pains[:3]:
            severity = f", {item.mean_severity}/5" if item.mean_severity is not None else ""
            text.add("• ").add(shorten(item.text, PAIN_SHOWN), "quote").line(
                " "
                + ngettext_for(lang)(
                    "({n} interviewee{severity})", "({n} interviewees{severity})", item.interviewees
                ).format(n=item.interviewees, severity=severity)
            )
    counts: dict[str, int] = {}
    for view in board.hypotheses:
        counts[view.hypothesis.status] = counts.get(view.hypothesis.status, 0) + 1
    if counts:
        text.line().line(_("Hypotheses"), "bold")
        text.line(", ".join(f"{_(STATUSES[s])}: {n}" for s, n in counts.items() if s in STATUSES))
    ellis, money = board.sean_ellis, board.commitments
    text.line().line(_("Pull"), "bold")
    text.line(_sean_ellis(ellis.very_disappointed_share, ellis.n, lang) + " " + _money(money.money_commitments, lang))
    committed = [f"{amount} {currency or ''}".strip() for currency, amount in money.money_total.items() if amount]
    if committed:
        text.line(_("Money committed: {amounts}.").format(amounts=", ".join(committed)))
    overrides = [change for change in board.phase_changes if change.override_reason]
    if overrides:
        last = overrides[-1]
        text.line(
            _("Moved to {phase} without passing the gate: {reason}").format(
                phase=_(PHASE_NAMES[last.to_phase]), reason=last.override_reason
            ),
            "italic",
        )
    return Reply(text.build())


def _pace_estimate(pace: Pace, lang: str) -> str:
    """How long to the goal at the recent pace, or what the estimate still needs."""
    _ = gettext_for(lang)
    if pace.weeks_to_goal is None:
        estimate = ngettext_for(lang)(
            "Weeks to the goal: estimated once the last four weeks hold {needed} interview ({n} so far).",
            "Weeks to the goal: estimated once the last four weeks hold {needed} interviews ({n} so far).",
            PACE_MINIMUM,
        )
        return estimate.format(needed=PACE_MINIMUM, n=pace.last_28_days)
    if pace.weeks_to_goal > WEEKS_A_YEAR:
        return _("Weeks to the goal at the last four weeks' pace: more than a year.")
    return _("Weeks to the goal at the last four weeks' pace: about {weeks}.").format(weeks=pace.weeks_to_goal)


def _sean_ellis(share: float | None, n: int, lang: str) -> str:
    """The Sean Ellis share with its answer count, or that nobody has answered yet."""
    if not n:
        return gettext_for(lang)("Sean Ellis: no answers yet;")
    text = ngettext_for(lang)(
        "Sean Ellis: {share} very disappointed ({n} answer);", "Sean Ellis: {share} very disappointed ({n} answers);", n
    )
    return text.format(share=percent(share), n=n)


def _money(count: int, lang: str) -> str:
    """How many money commitments the team has."""
    return ngettext_for(lang)("{n} money commitment.", "{n} money commitments.", count).format(n=count)


def phase_reply(board: Board, lang: str) -> Reply:
    """The current phase's gate with progress per item."""
    _ = gettext_for(lang)
    phase = board.team.phase
    text = TextBuilder().line(_(PHASE_NAMES[phase]), "bold").line(_(KEY_QUESTIONS[phase]), "italic").line()
    gate_lines(board, text, lang)
    text.line()
    if board.gate.passed:
        text.line(_("The gate passes. Move on with /phase next."))
    else:
        text.line(
            _(
                "Not there yet. /phase next moves on only when the gate passes, or with a reason: "
                "/phase next <why we move anyway>."
            ),
            "italic",
        )
    return Reply(text.build())


def interviews_reply(board: Board, count: int, lang: str) -> Reply:
    """The latest interviews."""
    _ = gettext_for(lang)
    latest = list(reversed(board.interviews))[:count]
    text = TextBuilder().line(_("Latest interviews"), "bold")
    if not latest:
        text.line(_("No interviews yet. Start one with /interview."))
    for interview in latest:
        interview_heading(text, interview, lang, with_status=True)
    return Reply(text.build())


def interview_heading(text: TextBuilder, interview: InterviewSummary, lang: str, with_status: bool) -> None:
    """ "2026-11-20 alias · segment (founder)", the alias and segment in bold."""
    _ = gettext_for(lang)
    record = interview.record
    who = " · ".join(x for x in (record.alias, record.segment) if x) or "—"
    details = [interview.founder]
    if with_status:
        details += [interview.script, _(STATUS_NAMES.get(interview.status, interview.status))]
    text.add(f"{held_on(interview).isoformat()} ").add(who, "bold").line(f" ({', '.join(details)})")


def team_reply(board: Board, lang: str) -> Reply:
    """The team's settings and members."""
    _ = gettext_for(lang)
    team = board.team
    text = TextBuilder().line(team.name, "bold")
    text.line(_("Phase: {phase}").format(phase=_(PHASE_NAMES[team.phase])))
    target = ngettext_for(lang)(
        "Weekly target: {n} interview; goal: {goal}", "Weekly target: {n} interviews; goal: {goal}", team.weekly_target
    )
    text.line(target.format(n=team.weekly_target, goal=team.goal_total))
    text.line(_("Target segment: {segment}").format(segment=team.target_segment or _("(not set)")))
    text.line(_("Timezone: {tz} · language: {lang}").format(tz=team.timezone, lang=team.language)).line()
    text.line(_("Members"), "bold")
    for member in board.members:
        done = board.per_founder.get(member.name, 0)
        text.add("• ").add(member.name).line(
            f" — {_(ROLES.get(member.role, member.role))}, "
            + ngettext_for(lang)("{n} interview", "{n} interviews", done).format(n=done)
        )
    return Reply(text.build())


def _price(value: Decimal | None, lang: str) -> str:
    """A price point as people read it: whole, or to the cent (the exact point has up to 28 digits)."""
    return "—" if value is None else format_money(Money(value, None, None), lang)


def price_lines(prices: list[PriceRange], lang: str) -> list[str]:
    """Van Westendorp ranges per currency, or how many answers are still needed."""
    _ = gettext_for(lang)
    lines = []
    for price in prices:
        currency = price.currency or "?"
        if price.enough:
            text = ngettext_for(lang)(
                "{currency}: acceptable {pmc}–{pme}, optimal {opp}, indifference {ipp} ({n} answer)",
                "{currency}: acceptable {pmc}–{pme}, optimal {opp}, indifference {ipp} ({n} answers)",
                price.n,
            )
            lines.append(
                text.format(
                    currency=currency,
                    pmc=_price(price.pmc, lang),
                    pme=_price(price.pme, lang),
                    opp=_price(price.opp, lang),
                    ipp=_price(price.ipp, lang),
                    n=price.n,
                )
            )
        else:
            so_far = ngettext_for(lang)(
                "{currency}: {n} of {needed} price answer so far",
                "{currency}: {n} of {needed} price answers so far",
                price.needed,
            )
            lines.append(so_far.format(currency=currency, n=price.n, needed=price.needed))
    return lines


def funnel_reply(board: Board, lang: str) -> Reply:
    """The Validation sales funnel per segment, with conversions and their counts."""
    _ = gettext_for(lang)
    text = TextBuilder().line(_("Sales funnel"), "bold")
    text.line(_("contacted → interviewed → shown the offer → committed → paid"), "italic")
    larger = False
    for row in board.funnel:
        steps = [row.contacted, row.interviewed, row.shown, row.committed, row.paid]
        parts = [str(steps[0])]
        for count, conversion in zip(steps[1:], row.conversions, strict=True):
            share = f" ({percent(conversion.share)})" if conversion.share is not None else ""
            larger = larger or conversion.numerator > conversion.denominator
            parts.append(f"{count}{share}")
        text.add(row.label if not row.is_total else _("Total"), "bold").line(": " + " → ".join(parts))
    if larger:
        text.line(
            _(
                "No percentage where a step counts more people than the step before it: "
                "the earlier step is missing some of them (were they all logged?)."
            ),
            "italic",
        )
    text.line(
        _("Log what happens outside interviews: /funnel log contacted 40 [segment], /funnel log paid 1"), "italic"
    )
    for line in price_lines(board.prices, lang):
        text.line(line)
    return Reply(text.build())
