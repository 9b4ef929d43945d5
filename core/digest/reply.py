"""The digest as a Reply of neutral blocks: read in half a minute on a phone, worded as /status and /phase word it."""

from __future__ import annotations

from datetime import timedelta

from core.board.gate import PAIN_SHOWN, percent
from core.board.hypotheses import STATUSES
from core.board.phases import KEY_QUESTIONS, PHASE_NAMES, next_phase
from core.board.snapshot import team_zone
from core.board.views import price_lines
from core.digest.charts import digest_image
from core.digest.model import Digest
from core.digest.next_step import NextStep
from core.i18n import gettext_for, ngettext_for
from core.messages import Block, Bullets, Heading, Paragraph, Reply, Span, shorten

STATEMENT_SHOWN = 80
HYPOTHESES_SHOWN = 6
"""Hypothesis lines shown (changes first, then new evidence, then the quiet ones); the last says how many more."""


def digest_reply(digest: Digest, lang: str) -> Reply:
    """The digest: phase and gate, interviews, pains, willingness to pay, hypotheses, funnel, the next step, chart."""
    _ = gettext_for(lang)
    board = digest.board
    blocks: list[Block] = [Heading(_title(digest, lang))]
    phase = board.team.phase
    blocks.append(
        Paragraph((Span(_(PHASE_NAMES[phase]), "bold"), Span(" — "), Span(_(KEY_QUESTIONS[phase]), "italic")))
    )
    if digest.empty:
        blocks.append(
            Paragraph((Span(_("No interviews yet — every team starts here, and the first one teaches the most.")),))
        )
        blocks.append(_next(digest.next_step, digest, lang))
        return Reply(blocks=tuple(blocks))
    blocks += _gate(digest, lang)
    blocks += _interviews(digest, lang)
    blocks += _pains(digest, lang)
    blocks += _pay(digest, lang)
    blocks += _hypotheses(digest, lang)
    blocks += _funnel(digest, lang)
    if digest.override is not None:
        blocks.append(
            Paragraph(
                (
                    Span(
                        _("Moved to {phase} without passing the gate: {reason}").format(
                            phase=_(PHASE_NAMES[digest.override.to_phase]), reason=digest.override.override_reason
                        ),
                        "italic",
                    ),
                )
            )
        )
    blocks.append(_next(digest.next_step, digest, lang))
    blocks.append(digest_image(digest, lang))
    return Reply(blocks=tuple(blocks))


def _title(digest: Digest, lang: str) -> str:
    _ = gettext_for(lang)
    zone = team_zone(digest.board.team)
    first = digest.start.astimezone(zone).date()
    last = (digest.end - timedelta(microseconds=1)).astimezone(zone).date()
    days = f"{first.isoformat()}" if first == last else f"{first.isoformat()} – {last.isoformat()}"
    if digest.end - digest.start <= timedelta(days=1):
        return _("Daily digest · {team} · {days}").format(team=digest.board.team.name, days=days)
    return _("Weekly digest · {team} · {days}").format(team=digest.board.team.name, days=days)


def _section(text: str) -> Paragraph:
    return Paragraph((Span(text, "bold"),))


def _gate(digest: Digest, lang: str) -> list[Block]:
    _ = gettext_for(lang)
    items = digest.board.gate.items
    passed = sum(item.passed for item in items)
    title = _("Exit gate: {passed} of {total} passed").format(passed=passed, total=len(items))
    if not items:
        return [
            _section(_("Exit gate")),
            Paragraph(
                (
                    Span(
                        _("This phase's gate has no items, so it never passes: add some with `cusdev gates set`."),
                        "italic",
                    ),
                )
            ),
        ]
    lines = tuple(
        (Span("✅ " if item.passed else "⬜ "), Span(item.label), Span(" — "), Span(item.progress, "italic"))
        for item in items
    )
    return [_section(title), Bullets(lines)]


def _interviews(digest: Digest, lang: str) -> list[Block]:
    _, n_ = gettext_for(lang), ngettext_for(lang)
    short = digest.end - digest.start <= timedelta(days=1)
    text = _("Interviews today: {n} (target {target}).") if short else _("Interviews this week: {n} (target {target}).")
    pace = digest.board.pace
    total = _("In total: {total} of {goal}.").format(total=pace.total, goal=pace.goal_total)
    blocks: list[Block] = [
        _section(_("Interviews")),
        Paragraph((Span(text.format(n=digest.interviews, target=digest.target) + " " + total),)),
    ]
    founders = tuple(
        (Span(name), Span(" — " + n_("{n} interview", "{n} interviews", count).format(n=count)))
        for name, count in digest.per_founder
    )
    if founders:
        blocks.append(Bullets(founders))
    return blocks


def _pains(digest: Digest, lang: str) -> list[Block]:
    _, n_ = gettext_for(lang), ngettext_for(lang)
    if not digest.pains:
        return []
    items = []
    for pain in digest.pains:
        severity = f", {pain.mean_severity}/5" if pain.mean_severity is not None else ""
        counted = n_("({n} interviewee{severity})", "({n} interviewees{severity})", pain.interviewees)
        item = [
            Span(shorten(pain.text, PAIN_SHOWN), "quote"),
            Span(" " + counted.format(n=pain.interviewees, severity=severity)),
        ]
        if pain.new:
            new = _("new today") if digest.end - digest.start <= timedelta(days=1) else _("new this week")
            item.append(Span(" · " + new, "bold"))
        items.append(tuple(item))
    return [_section(_("Top pains")), Bullets(tuple(items))]


def _pay(digest: Digest, lang: str) -> list[Block]:
    _, n_ = gettext_for(lang), ngettext_for(lang)
    board = digest.board
    lines: list[tuple[Span, ...]] = []
    prices = price_lines(board.prices, lang)
    if prices:
        lines += [(Span(_("Van Westendorp") + ": "), Span(line)) for line in prices]
    else:
        lines.append((Span(_("Van Westendorp: no price answers yet.")),))
    ellis = board.sean_ellis
    if ellis.n:
        share = n_(
            "Sean Ellis: {share} very disappointed ({n} answer);",
            "Sean Ellis: {share} very disappointed ({n} answers);",
            ellis.n,
        ).format(share=percent(ellis.very_disappointed_share), n=ellis.n)
    else:
        share = _("Sean Ellis: no answers yet;")
    money = board.commitments
    count = n_("{n} money commitment.", "{n} money commitments.", money.money_commitments).format(
        n=money.money_commitments
    )
    lines.append((Span(share + " " + count),))
    committed = [f"{amount} {currency or ''}".strip() for currency, amount in money.money_total.items() if amount]
    if committed:
        lines.append((Span(_("Money committed: {amounts}.").format(amounts=", ".join(committed))),))
    return [_section(_("Willingness to pay")), Bullets(tuple(lines))]


def _hypotheses(digest: Digest, lang: str) -> list[Block]:
    _, n_ = gettext_for(lang), ngettext_for(lang)
    lines: list[tuple[Span, ...]] = []
    for change in digest.status_changes:
        moved = _("{before} → {after}").format(
            before=_(STATUSES.get(change.before, change.before)), after=_(STATUSES.get(change.after, change.after))
        )
        lines.append(
            (
                Span(change.code, "bold"),
                Span(" " + shorten(change.statement, STATEMENT_SHOWN) + ": "),
                Span(moved, "italic"),
            )
        )
    for evidence in digest.new_evidence:
        counted = _("new evidence: {supports} for, {refutes} against").format(
            supports=evidence.supports, refutes=evidence.refutes
        )
        lines.append(
            (
                Span(evidence.code, "bold"),
                Span(" " + shorten(evidence.statement, STATEMENT_SHOWN) + ": "),
                Span(counted),
            )
        )
    for stale in digest.stale:
        if stale.days is None:
            quiet = _("no evidence yet")
        else:
            quiet = n_("no new evidence for {n} day", "no new evidence for {n} days", stale.days).format(n=stale.days)
        lines.append(
            (
                Span(stale.code, "bold"),
                Span(" " + shorten(stale.statement, STATEMENT_SHOWN) + ": "),
                Span(quiet, "italic"),
            )
        )
    if not lines:
        return []
    if len(lines) > HYPOTHESES_SHOWN:  # a phone screen: the rest is one command away
        more = len(lines) - HYPOTHESES_SHOWN + 1
        lines = [
            *lines[: HYPOTHESES_SHOWN - 1],
            (Span(n_("…and {n} more: /hypotheses", "…and {n} more: /hypotheses", more).format(n=more), "italic"),),
        ]
    return [_section(_("Hypotheses")), Bullets(tuple(lines))]


def _funnel(digest: Digest, lang: str) -> list[Block]:
    _ = gettext_for(lang)
    if not digest.board.funnel:
        return []
    total = digest.board.funnel[-1]
    steps = [total.contacted, total.interviewed, total.shown, total.committed, total.paid]
    parts = [str(steps[0])]
    for count, conversion in zip(steps[1:], total.conversions, strict=True):
        share = f" ({percent(conversion.share)})" if conversion.share is not None else ""
        parts.append(f"{count}{share}")
    return [
        _section(_("Sales funnel")),
        Paragraph(
            (
                Span(_("contacted → interviewed → shown the offer → committed → paid"), "italic"),
                Span("\n" + " → ".join(parts)),
            )
        ),
    ]


def next_step_text(step: NextStep, digest: Digest, lang: str) -> str:
    """The next step in words."""
    _, n_ = gettext_for(lang), ngettext_for(lang)
    phase = _(PHASE_NAMES[digest.board.team.phase])
    if step.kind == "first_interview":
        return n_(
            "Run your first interview with /interview; {n} a week meets your target.",
            "Run your first interview with /interview; {n} a week meet your target.",
            step.count,
        ).format(n=step.count)
    if step.kind == "interviews":
        if step.segment and step.with_pains:
            text = n_(
                "{n} more interview in segment “{segment}” that records a pain to reach the {phase} gate.",
                "{n} more interviews in segment “{segment}” that record a pain to reach the {phase} gate.",
                step.count,
            )
        elif step.segment:
            text = n_(
                "{n} more interview in segment “{segment}” to reach the {phase} gate.",
                "{n} more interviews in segment “{segment}” to reach the {phase} gate.",
                step.count,
            )
        elif step.with_pains:
            text = n_(
                "{n} more interview that records a pain to reach the {phase} gate.",
                "{n} more interviews that record a pain to reach the {phase} gate.",
                step.count,
            )
        else:
            text = n_(
                "{n} more interview to reach the {phase} gate.",
                "{n} more interviews to reach the {phase} gate.",
                step.count,
            )
        return text.format(n=step.count, segment=shorten(step.segment or "", STATEMENT_SHOWN), phase=phase)
    if step.kind == "gate_item":
        return _("For the {phase} gate: {item} ({progress}).").format(
            phase=phase, item=step.label, progress=step.progress
        )
    if step.kind == "pace":
        return n_(
            "{n} more interview to meet this period's target.",
            "{n} more interviews to meet this period's target.",
            step.count,
        ).format(n=step.count)
    if step.kind == "no_gate":
        return _("Give this phase a gate to aim at: `cusdev gates set`.")
    following = next_phase(digest.board.team.phase)
    if following is None:
        return _("The gate passes: keep the pace.")
    return _("The gate passes. Move on with /phase next.")


def _next(step: NextStep, digest: Digest, lang: str) -> Paragraph:
    _ = gettext_for(lang)
    return Paragraph((Span(_("Next step") + ": ", "bold"), Span(next_step_text(step, digest, lang))))
