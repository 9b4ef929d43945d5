"""`cusdev search`: find a team's interviews by their words from the command line, as `/search` does in chat."""

from __future__ import annotations

import re
import sys
from typing import Annotated

import typer

from bot.bootstrap import App
from bot.cli_common import load_settings, read_team, use_color
from bot.console import render
from core.board.search import InterviewQuery, search_terms
from core.board.search_commands import PAGE_SIZE
from core.board.search_views import search_reply, search_usage


def search(
    words: Annotated[list[str] | None, typer.Argument(help="Words to find (every one must appear)")] = None,
    team: Annotated[str | None, typer.Option(help="Team (default: DEFAULT_TEAM)")] = None,
    page: Annotated[int, typer.Option(min=1, help="Which page of hits")] = 1,
) -> None:
    """Find the team's interviews by any answer, quote, pain, job, gain or interviewee, newest first."""
    settings = load_settings()
    lang = settings.default_language
    typed = " ".join(words or [])
    terms = search_terms(typed)
    if not terms:
        sys.stdout.write(render(search_usage(lang), use_color(sys.stdout)).replace("/search", "cusdev search") + "\n")
        raise typer.Exit(2)

    async def read(application: App, team_id: int) -> str:
        found = await application.storage.read(
            lambda uow: uow.teams.find_interviews(team_id, InterviewQuery(terms), PAGE_SIZE, (page - 1) * PAGE_SIZE)
        )
        reply = render(search_reply(found, typed, terms, page, lang), use_color(sys.stdout))
        return re.sub(r"/search (?:page|стр) ([0-9]+) ", r"cusdev search --page \1 ", reply) + "\n"

    text = read_team(settings, team, read)
    sys.stdout.write(text)
