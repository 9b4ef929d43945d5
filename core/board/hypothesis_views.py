"""The hypothesis board as a founder reads it: all hypotheses by canvas block (in pages), and one with its evidence."""

from __future__ import annotations

from core.board.hypotheses import BLOCKS, STATUSES, Hypothesis
from core.board.snapshot import Board, HypothesisView
from core.i18n import N_, gettext_for
from core.interview.payloads import Page, encode
from core.messages import Choice, Reply, TextBuilder

PAGE_SIZE = 8
"""Hypotheses per page of /hypotheses: a screen or two on a phone (45 of them were 8,000 characters at once)."""
STRENGTH_MARK = {"strong": "●", "medium": "◐", "weak": "○"}
STRENGTH_NAMES = {"strong": N_("strong"), "medium": N_("medium"), "weak": N_("weak")}


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
