"""The coach's nudge about an answer just typed, and the question asked when another answer follows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from core.i18n import N_, gettext_for, ngettext_for
from core.interview.coach import FLAGS
from core.interview.payloads import Action, encode
from core.interview.state import ConversationState
from core.messages import Choice, Reply, TextBuilder, shorten

__all__ = ["NUDGE_ORDER", "WARNING_TEXTS", "nudge_warning", "replace_prompt", "warning_prompt"]

PREVIEW: Final = 160
# One nudge per answer shows one tip: the most telling one. A feature request hides the problem behind
# it, praise is no evidence at all, a wish is about the future, a generality is at least about them.
NUDGE_ORDER: Final = ("feature_request", "compliment", "hypothetical", "generality", "long", "order")

WARNING_TEXTS = {
    "hypothetical": N_(
        "That sounds hypothetical (“would”, “will”). Next time ask: “When was the last time that happened? "
        "What did you do?”"
    ),
    "compliment": N_(
        "That sounds like praise (“great idea”, “keep me posted”): nice, but not evidence. Next time ask: "
        "“What are you using now, and what does it cost you?”"
    ),
    "generality": N_(
        "That's a generality (“always”, “usually”). Next time ask about one specific time: “Tell me about "
        "the last time.”"
    ),
    "feature_request": N_(
        "That's a feature request. Note the problem behind it; next time ask: “Why do you want that? "
        "How do you manage without it today?”"
    ),
    "order": N_(
        "Heads-up: this is not above your answer to the previous price question; the four prices usually rise."
    ),
}


def nudge_warning(warnings: Sequence[str]) -> str:
    """The one warning a nudge speaks about, when an answer has several."""
    return min(warnings, key=lambda w: NUDGE_ORDER.index(w) if w in NUDGE_ORDER else len(NUDGE_ORDER))


def warning_prompt(state: ConversationState, warnings: Sequence[str], length: int, verbatim: bool) -> Reply:
    """One short, friendly nudge about the answer just typed, with a way to keep it.

    A verbatim answer (a quote, a reaction in their words) is what was said: the founder is never
    asked to type it again, only to keep it as weak evidence.
    """
    _ = gettext_for(state.lang)
    warning = nudge_warning(warnings)
    if warning == "long":
        said = ngettext_for(state.lang)(
            "That's a long answer ({length} character). Keep it whole, or type a shorter one.",
            "That's a long answer ({length} characters). Keep it whole, or type a shorter one.",
            length,
        )
    else:
        said = _(WARNING_TEXTS[warning])
    text = TextBuilder().line("💡 " + said.format(length=length))
    if warning in FLAGS and verbatim:
        text.line(_("If those were their words, keep them: they count as weak evidence."))
        label = _("That's what they said (weak)")
    elif warning in FLAGS:
        text.line(_("Keep it as weak evidence, or type it again."))
        label = _("Keep it (weak)")
    else:  # a long answer's nudge already says to keep it or type a shorter one
        label = _("Keep it")
    return Reply(text.build(), ((Choice(label, encode(state.turn, Action.KEEP)),),))


def replace_prompt(state: ConversationState, first: str, new: str) -> Reply:
    """Asked when a new answer is typed while the nudge about the first one is open: nothing is replaced silently."""
    _ = gettext_for(state.lang)
    text = TextBuilder().line(_("Replace your answer with this one, or keep the first?"), "bold")
    text.add(_("First: ")).line(shorten(first, PREVIEW), "quote")
    text.add(_("New: ")).line(shorten(new, PREVIEW), "quote")
    choices = (
        (Choice(_("Use the new one"), encode(state.turn, Action.REPLACE)),),
        (Choice(_("Keep the first"), encode(state.turn, Action.KEEP)),),
    )
    return Reply(text.build(), choices)
