"""`cusdev digest --send`: the digest put in the outbox for the team's digest chat, sent by the running bot."""

from __future__ import annotations

import secrets
from datetime import datetime

import typer

from bot.cli_common import build_app, run_on_database
from bot.settings import Settings
from core.app.digests import digest_of, send_digest
from core.board.digest_target import DigestRequest, target_of
from core.i18n import gettext_for


def send_to_team(settings: Settings, team_id: int, start: datetime, end: datetime) -> None:
    """Queue the team's digest for its digest chat (once; a running `cusdev run` delivers it), or say why not."""
    _ = gettext_for(settings.default_language)
    application = build_app(settings)

    async def queue() -> str | None:
        try:
            team = await application.storage.read(lambda view: view.teams.team(team_id))
            target = target_of(team)
            if target is None:
                return None
            key = f"cli:{end:%Y-%m-%dT%H:%M}:{secrets.token_hex(6)}"
            request = DigestRequest(team_id, target, start, end, team.language, key, "now")
            await send_digest(application.storage, request, digest_of, end)
            return f"{target.platform} {target.chat}"
        finally:
            await application.storage.close()

    where = run_on_database(settings, queue())
    if where is None:
        typer.echo(_("The team has no digest chat yet: send /digest here in the team's group or channel."), err=True)
        raise typer.Exit(2)
    typer.echo(
        _("Queued for the team's digest chat ({chat}); the running bot (cusdev run) sends it.").format(chat=where)
    )
