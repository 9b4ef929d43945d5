"""`/search <words>` across the team's interviews, and `/interviews` by a founder, since a day, of a segment."""

from __future__ import annotations

import re

from core.board import views
from core.board.command_base import CommandResult, RouterBase, whole_number
from core.board.search import InterviewQuery, prefix_of, search_terms
from core.board.search_views import MOST_LISTED, InterviewFilter, filtered_reply, search_reply, search_usage
from core.board.team import MemberInfo
from core.parsing import parse_date

PAGE_SIZE = 5
"""Search hits in one reply: enough to scan on a phone."""
_PAGE = re.compile(r"(?:page|стр|страница)\s+([0-9]{1,4})(?:\s+|$)(.*)", re.IGNORECASE | re.DOTALL)
_BY = frozenset({"by", "от", "автор"})
_SEGMENT = frozenset({"segment", "сегмент"})
_SINCE = frozenset({"since", "после", "с", "со"})
"""Filter words as typed in English or Russian; a Russian "с" starts `since` only when a date follows it."""


class FilterProblem(ValueError):
    """Filters that cannot be read; the message says what to type."""


class SearchCommands(RouterBase):
    """Mixed into the board router: finding interviews by their words, and filtering the list of interviews."""

    async def cmd_search(self, arg: str) -> CommandResult:
        page = 1
        if m := _PAGE.fullmatch(arg):
            page, arg = max(1, int(m.group(1))), m.group(2).strip()
        terms = search_terms(arg)
        if not terms:
            self.result.replies.append(search_usage(self.caller.lang))
            return self.result
        found = await self.repo.teams.find_interviews(
            self.caller.team_id, InterviewQuery(terms), PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
        self.result.replies.append(search_reply(found, arg, terms, page, self.caller.lang))
        return self.result

    async def cmd_interviews(self, arg: str) -> CommandResult:
        try:
            wanted = await self.interview_filter(arg)
        except FilterProblem as problem:
            return self.say(str(problem))
        if wanted.member_ids is None and wanted.since is None and wanted.segment is None:
            self.result.replies.append(views.interviews_reply(await self.board(), wanted.count, self.caller.lang))
            return self.result
        query = InterviewQuery(member_ids=wanted.member_ids, since=wanted.since, segment=wanted.segment)
        found = await self.repo.teams.find_interviews(self.caller.team_id, query, wanted.count)
        self.result.replies.append(filtered_reply(found, wanted, self.caller.lang))
        return self.result

    async def interview_filter(self, arg: str) -> InterviewFilter:
        """Read "[N] [by <founder>] [since <date>] [segment <text>]"; FilterProblem says what to fix."""
        _ = self._
        words = arg.split()
        count = 5
        if words and (number := whole_number(words[0])) is not None:
            count, words = (number if 0 < number <= MOST_LISTED else 5), words[1:]
        clauses: dict[str, list[str]] = {}
        said: dict[str, str] = {}
        current: list[str] | None = None
        if not any(self._clause_kind(word.casefold(), words[n + 1 :]) for n, word in enumerate(words)):
            return InterviewFilter(count)  # no filter asked for (odd text too): the latest interviews
        for n, word in enumerate(words):
            kind = self._clause_kind(word.casefold(), words[n + 1 :])
            if kind is not None:
                current = clauses[kind] = []
                said[kind] = word
            elif current is None:
                raise FilterProblem(
                    _(
                        "Use /interviews [number] [by <founder>] [since <date>] [segment <text>], "
                        "e.g. /interviews by Anna since 1 Nov."
                    )
                )
            else:
                current.append(word)
        typed = {kind: " ".join(value) for kind, value in clauses.items()}
        for kind, value in typed.items():
            if not value:
                raise FilterProblem(
                    _("Say what comes after “{word}”, e.g. /interviews by Anna.").format(word=said[kind])
                )
        wanted = InterviewFilter(count, segment=typed.get("segment"))
        if "since" in typed:
            since = parse_date(typed["since"], self.now.date())
            if since is None:
                message = _("I can't read “{text}” as a date. Try /interviews since 2026-11-01 or since 1 Nov.")
                raise FilterProblem(message.format(text=typed["since"]))
            wanted = InterviewFilter(count, segment=wanted.segment, since=since)
        if "by" in typed:
            members = await self.repo.teams.members(self.caller.team_id)
            found = founders_named(typed["by"], members)
            if not found:
                message = _("There is no member called {name} in the team. Members: {names}.")
                everyone = ", ".join(member.name for member in members)
                raise FilterProblem(message.format(name=typed["by"], names=everyone))
            by = ", ".join(member.name for member in found)
            ids = tuple(member.id for member in found)
            wanted = InterviewFilter(count, by, ids, wanted.since, wanted.segment)
        return wanted

    def _clause_kind(self, word: str, rest: list[str]) -> str | None:
        """Which filter a word starts ("by", "since", "segment"), or None for a word of the current one."""
        if word in _BY:
            return "by"
        if word in _SEGMENT:
            return "segment"
        if word == "since":
            return "since"
        if word in _SINCE:  # a Russian preposition: a filter only when a date follows it
            following = []
            for next_word in rest:
                if next_word.casefold() in _BY | _SEGMENT | _SINCE:
                    break
                following.append(next_word)
            if following and parse_date(" ".join(following), self.now.date()) is not None:
                return "since"
        return None


def founders_named(typed: str, members: list[MemberInfo]) -> list[MemberInfo]:
    """The members a typed name means: an exact name (any case), else every name a word of which starts with it
    ("anna" finds "Anna Petrova"; Russian "Анны" finds "Анна")."""
    wanted = " ".join(typed.casefold().split())
    exact = [member for member in members if " ".join(member.name.casefold().split()) == wanted]
    if exact:
        return exact
    start = prefix_of(wanted)
    return [
        member
        for member in members
        if member.name.casefold().startswith(wanted)
        or any(word.startswith(start) for word in member.name.casefold().split())
    ]
