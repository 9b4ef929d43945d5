"""`cusdev digest`: the team's digest of the last 7 days as text or JSON, and its chart as a PNG file."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bot.charts import draw_png
from bot.cli_common import build_app, load_settings, run_on_database, use_color
from bot.cli_digest_send import send_to_team
from bot.console import render
from bot.system import SystemClock
from core.app.ports import UnitOfWork
from core.digest import Digest, digest_json, digest_reply, read_digest
from core.i18n import gettext_for
from core.messages import Image

PERIOD = timedelta(days=7)


class DigestFormat(StrEnum):
    text = "text"
    json = "json"


@dataclass(frozen=True)
class _Found:
    """The digest, or why there is none: no team by that name, or several teams to choose from."""

    digest: Digest | None = None
    lang: str = "en"
    teams: tuple[str, ...] = ()
    team_id: int = 0


def digest(
    team: Annotated[str | None, typer.Option(help="Team (default: the only team)")] = None,
    format: Annotated[DigestFormat, typer.Option("--format", "-f")] = DigestFormat.text,
    chart: Annotated[Path | None, typer.Option(help="Also write the digest's chart to this PNG file")] = None,
    send: Annotated[bool, typer.Option("--send", help="Also send it to the team's digest chat")] = False,
) -> None:
    """The team's digest of the last 7 days, in the team's language, as the team would get it."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    application = build_app(settings, read_only=True)
    now = SystemClock().now()

    async def work(uow: UnitOfWork) -> _Found:
        teams = await uow.digests.teams()
        chosen = [row for row in teams if row[1] == team] if team else teams
        if len(chosen) != 1:
            return _Found(teams=tuple(slug for _id, slug, _name in teams))
        team_id = chosen[0][0]
        lang = (await uow.teams.team(team_id)).language
        return _Found(await read_digest(uow, team_id, now - PERIOD, now, lang), lang, team_id=team_id)

    async def read() -> _Found:
        try:
            return await application.storage.read(work)
        finally:
            await application.storage.close()

    found = run_on_database(settings, read())
    if found.digest is None:
        _fail(team, found.teams, settings.default_language)
    reply = digest_reply(found.digest, found.lang)
    if chart is not None:
        image = next((block for block in reply.blocks if isinstance(block, Image)), None)
        if image is None:
            typer.echo(_("No chart yet: the team has no interviews."), err=True)
        else:
            try:
                chart.write_bytes(draw_png(image))
            except OSError as exc:
                typer.echo(_("Cannot write {path}: {reason}").format(path=chart, reason=exc.strerror or exc), err=True)
                raise typer.Exit(1) from None
    if format is DigestFormat.json:
        sys.stdout.write(json.dumps(digest_json(found.digest), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(reply, use_color(sys.stdout)) + "\n")
    if send:
        send_to_team(settings, found.team_id, now - PERIOD, now)


def _fail(team: str | None, teams: tuple[str, ...], lang: str) -> NoReturn:
    _ = gettext_for(lang)
    if not teams:
        typer.echo(_("There are no teams yet; a team appears with its first member."), err=True)
    elif team:
        typer.echo(
            _("There is no team called {slug}. Teams: {teams}.").format(slug=team, teams=", ".join(teams)), err=True
        )
    else:
        typer.echo(
            _("There are several teams; choose one with --team: {teams}.").format(teams=", ".join(teams)), err=True
        )
    raise typer.Exit(2)
