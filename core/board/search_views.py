"""Interviews found, as Replies: `/search` hits with their matching words in context, and filtered `/interviews`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.board.search import COUNT_CAP, InterviewHit, InterviewHits, snippet
from core.board.views import interview_heading
from core.i18n import gettext_for, ngettext_for
from core.interview.payloads import search_page_payload
from core.messages import Choice, Reply, TextBuilder, shorten

QUERY_SHOWN = 60
"""Characters of a typed query repeated in a reply."""
MOST_LISTED = 50
"""`/interviews N` lists at most this many."""


def _more(count: int) -> str:
    return f"{COUNT_CAP}+" if count >= COUNT_CAP else str(count)


def search_usage(lang: str) -> Reply:
    """How to search (for an empty query, or one with no words in it)."""
    _ = gettext_for(lang)
    text = TextBuilder().line(_("Search your team's interviews"), "bold")
    text.line(_("Type words after the command, e.g. /search booking no-show"))
    text.line(
        _("I look in answers, quotes, pains, jobs, gains and interviewees (alias, segment, role); newest first."),
        "italic",
    )
    return Reply(text.build())


def search_reply(found: InterviewHits, typed: str, terms: tuple[str, ...], page: int, lang: str) -> Reply:
    """One page of hits, each with its date, interviewee, founder and the matching words in context."""
    _ = gettext_for(lang)
    shown = shorten(typed, QUERY_SHOWN)
    text = TextBuilder()
    words = " ".join(terms)
    back = search_page_payload(page - 1, words) if page > 1 else None
    buttons = [Choice(_("‹ Previous"), back)] if back else []
    if not found.hits:
        if page > 1:
            text.line(_("No more interviews match “{query}”.").format(query=shown))
        else:
            text.line(_("No interview mentions “{query}”.").format(query=shown), "bold")
            text.line(_("Try fewer words, or other ones: every word must appear in an interview."), "italic")
        return Reply(text.build(), actions=tuple(buttons), replaces_prompt=True)
    text.line(_("Interviews mentioning “{query}”").format(query=shown), "bold")
    for hit in found.hits:
        text.line()
        _hit(text, hit, terms, lang)
    forward = search_page_payload(page + 1, words) if found.more else None
    if found.more:
        text.line()
        more = ngettext_for(lang)("{n} more interview.", "{n} more interviews.", found.more).format(n=_more(found.more))
        if forward:
            buttons.append(Choice(_("Next ›"), forward))
            text.line(more, "italic")
        else:  # words too long for a button: say what to type
            hint = _("Next: /search page {page} {query}").format(page=page + 1, query=typed)
            text.line(f"{more} {hint}", "italic")
    return Reply(text.build(), actions=tuple(buttons), replaces_prompt=True)


def _hit(text: TextBuilder, hit: InterviewHit, terms: tuple[str, ...], lang: str) -> None:
    interview_heading(text, hit.interview, lang, with_status=False)
    for piece, bold in snippet(hit.text, terms):
        text.add(piece, "bold" if bold else "plain")
    text.line()


@dataclass(frozen=True)
class InterviewFilter:
    """What a person asked `/interviews` for: how many, whose (names as typed), from which day, which segment."""

    count: int = 5
    by: str | None = None
    member_ids: tuple[int, ...] | None = None
    since: date | None = None
    segment: str | None = None

    def described(self, lang: str) -> str:
        """The filters in words: "by Anna, since 2026-11-01, segment “dentists”"."""
        _ = gettext_for(lang)
        parts = []
        if self.by is not None:
            parts.append(_("by {name}").format(name=self.by))
        if self.since is not None:
            parts.append(_("since {day}").format(day=self.since.isoformat()))
        if self.segment is not None:
            parts.append(_("segment “{segment}”").format(segment=self.segment))
        return ", ".join(parts)

    def command(self) -> str:
        """The filters as a command that asks for more of them."""
        words = [str(min(MOST_LISTED, self.count * 2))]
        if self.by is not None:
            words += ["by", self.by]
        if self.since is not None:
            words += ["since", self.since.isoformat()]
        if self.segment is not None:
            words += ["segment", self.segment]
        return "/interviews " + " ".join(words)


def filtered_reply(found: InterviewHits, wanted: InterviewFilter, lang: str) -> Reply:
    """The latest interviews that pass the filters, newest first, and how to see more of them."""
    _ = gettext_for(lang)
    text = TextBuilder().line(_("Interviews: {filters}").format(filters=wanted.described(lang)), "bold")
    if not found.hits:
        text.line(_("None match. /interviews lists the latest ones."))
        return Reply(text.build())
    for hit in found.hits:
        interview_heading(text, hit.interview, lang, with_status=True)
    if found.more:
        more = ngettext_for(lang)("{n} more interview.", "{n} more interviews.", found.more).format(n=_more(found.more))
        hint = (
            _("More: {command}").format(command=wanted.command())
            if wanted.count < MOST_LISTED
            else _("Narrow it down with by, since or segment.")
        )
        text.line(f"{more} {hint}", "italic")
    return Reply(text.build())
