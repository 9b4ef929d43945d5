"""The board as Replies: the same facts for the console, Telegram and Slack."""

from __future__ import annotations

from decimal import Decimal

from core.analytics.activity import PACE_MINIMUM, Pace
from core.analytics.pricing import PriceRange
from core.board.gate import PAIN_SHOWN, percent
from core.board.hypotheses import BLOCKS, STATUSES, Hypothesis
from core.board.phases import KEY_QUESTIONS, PHASE_NAMES
from core.board.snapshot import Board, HypothesisView
from core.board.team import ROLES
from core.i18n import N_, gettext_for, ngettext_for
from core.interview.payloads import Page, encode
from core.messages import Choice, Reply, TextBuilder, shorten
from core.parsing import Money, format_money
from core.transfer.export import STATUS_NAMES

WEEKS_A_YEAR = 52
PAGE_SIZE = 8
"""Hypotheses per page of /hypotheses: a screen or two on a phone (45 of them were 8,000 characters at once)."""
STRENGTH_MARK = {"strong": "●", "medium": "◐", "weak": "○"}
STRENGTH_NAMES = {"strong": N_("strong"), "medium": N_("medium"), "weak": N_("weak")}


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
                " " + _("(interviewees: {n}{severity})").format(n=item.interviewees, severity=severity)
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
        return _("Weeks to the goal: estimated once the last four weeks hold {needed} interviews ({n} so far).").format(
            needed=PACE_MINIMUM, n=pace.last_28_days
        )
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
    return gettext_for(lang)("money commitments: {money}.").format(money=count)


def hypotheses_reply(board: Board, lang: str, page: int = 1, page_size: int | None = PAGE_SIZE) -> Reply:
    """The hypotheses grouped by canvas block, with evidence counts; a long board in pages with Previous and Next
    (`page_size=None`: all on one page, as a terminal prints it)."""
    _ = gettext_for(lang)
    text = TextBuilder().line(_("Hypotheses"), "bold")
    if not board.hypotheses:
        text.line(_("None yet. Add one: /hypothesis add vp <statement> | <success criterion>"))
        return Reply(text.build())
    order = {block: number for number, block in enumerate([*BLOCKS, None])}
    ordered = sorted(board.hypotheses, key=lambda view: order.get(view.hypothesis.block, len(order)))
    size = page_size or len(ordered)
    pages = -(-len(ordered) // size)
    page = min(max(page, 1), pages)
    groups: dict[str | None, list[HypothesisView]] = {}
    for view in ordered[(page - 1) * size : page * size]:
        groups.setdefault(view.hypothesis.block, []).append(view)
    for block, shown in groups.items():
        text.line().line(_(BLOCKS[block]) if block in BLOCKS else _("No block yet"), "bold")
        for view in shown:
            hypothesis = view.hypothesis
            counts = f"+{sum(view.tally.supports.values())} −{sum(view.tally.refutes.values())}"
            text.add(f"{hypothesis.code} ", "bold").add(hypothesis.statement).add(
                f" [{_(STATUSES.get(hypothesis.status, hypothesis.status))}, {counts}]", "italic"
            )
            if view.suggestion:
                text.add(" → " + _("suggested: {status}").format(status=_(STATUSES[view.suggestion])), "italic")
            text.line()
    if pages == 1:  # a press on a board that has since shrunk still turns its own message
        return Reply(text.build(), replaces_prompt=True)
    text.line().line(_("Page {page} of {pages}").format(page=page, pages=pages), "italic")
    return Reply(text.build(), actions=page_buttons("hypotheses", page, pages, lang), replaces_prompt=True)


def page_buttons(command: str, page: int, pages: int, lang: str) -> tuple[Choice, ...]:
    """Previous and Next for a paged list; pressing one turns the same message to that page."""
    _ = gettext_for(lang)
    buttons = []
    if page > 1:
        buttons.append(Choice(_("‹ Previous"), encode(0, Page(command, page - 1))))
    if page < pages:
        buttons.append(Choice(_("Next ›"), encode(0, Page(command, page + 1))))
    return tuple(buttons)


def hypothesis_reply(view: HypothesisView, lang: str) -> Reply:
    """One hypothesis: statement, criterion, evidence with interviews and quotes, and its whole history."""
    _ = gettext_for(lang)
    hypothesis: Hypothesis = view.hypothesis
    text = TextBuilder().add(f"{hypothesis.code} ", "bold").line(hypothesis.statement, "bold")
    block = _(BLOCKS[hypothesis.block]) if hypothesis.block else _("No block yet")
    text.line(f"{block} · {_(STATUSES.get(hypothesis.status, hypothesis.status))}", "italic")
    text.add(_("Success criterion: ")).line(hypothesis.criterion or _("(not set)"))
    if hypothesis.predecessor:
        text.line(_("Pivoted from {code}.").format(code=hypothesis.predecessor), "italic")
    if hypothesis.successor:
        text.line(_("Pivoted to {code}.").format(code=hypothesis.successor), "italic")
    text.line().line(
        _("Evidence: {supports} supporting, {refutes} refuting").format(
            supports=sum(view.tally.supports.values()), refutes=sum(view.tally.refutes.values())
        ),
        "bold",
    )
    for item in hypothesis.evidence:
        mark = STRENGTH_MARK.get(item.strength, "")
        stance = _("supports") if item.stance == "supports" else _("refutes")
        text.add(f"{mark} {item.at:%Y-%m-%d} ").add(item.interviewee or "?", "bold").add(
            f" {stance} ({_(STRENGTH_NAMES.get(item.strength, item.strength))})"
        )
        if item.quote:
            text.add(": ").add(item.quote, "quote")
        text.line()
    if view.suggestion:
        text.line(
            _("The evidence suggests: {status}. Set it with /hypothesis status {code} {status_id} <reason>").format(
                status=_(STATUSES[view.suggestion]), code=hypothesis.code, status_id=view.suggestion
            ),
            "italic",
        )
    text.line().line(_("History"), "bold")
    for event in hypothesis.history:
        line = f"{event.at:%Y-%m-%d} {event.by}: {_(STATUSES.get(event.status, event.status))}"
        text.add(line)
        if event.reason:
            text.add(" — ").add(event.reason, "italic")
        if event.successor:
            text.add(" → " + event.successor)
        text.line()
    return Reply(text.build())


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
        record = interview.record
        day = (record.interview_date or interview.started_at.date()).isoformat()
        who = " · ".join(x for x in (record.alias, record.segment) if x) or "—"
        status = _(STATUS_NAMES.get(interview.status, interview.status))
        text.add(f"{day} ").add(who, "bold").line(f" ({interview.founder}, {interview.script}, {status})")
    return Reply(text.build())


def team_reply(board: Board, lang: str) -> Reply:
    """The team's settings and members."""
    _ = gettext_for(lang)
    team = board.team
    text = TextBuilder().line(team.name, "bold")
    text.line(_("Phase: {phase}").format(phase=_(PHASE_NAMES[team.phase])))
    text.line(_("Weekly target: {n} interviews; goal: {goal}").format(n=team.weekly_target, goal=team.goal_total))
    text.line(_("Target segment: {segment}").format(segment=team.target_segment or _("(not set)")))
    text.line(_("Timezone: {tz} · language: {lang}").format(tz=team.timezone, lang=team.language)).line()
    text.line(_("Members"), "bold")
    for member in board.members:
        done = board.per_founder.get(member.name, 0)
        text.add("• ").add(member.name).line(
            f" — {_(ROLES.get(member.role, member.role))}, " + _("interviews: {n}").format(n=done)
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
            lines.append(
                _("{currency}: {n} of {needed} price answers so far").format(
                    currency=currency, n=price.n, needed=price.needed
                )
            )
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
