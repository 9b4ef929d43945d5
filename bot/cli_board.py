"""`cusdev board`, `cusdev gates` and `cusdev import`: the team's side of the command line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.bootstrap import App, ImportReport, import_into
from bot.cli_common import build_app, echo_problems, load_settings, login_name, read_team, run_on_database, use_color
from bot.console import render
from bot.system import SystemClock
from core.board import hypothesis_views, views
from core.board.phases import default_gates_text, load_gates_text
from core.board.snapshot import board_to_dict, gates_of
from core.i18n import gettext_for, ngettext_for
from core.transfer.importer import parse_export_json, parse_price_csv
from core.yaml_data import YamlInvalid

gates_app = typer.Typer(help="A team's phase gates.", no_args_is_help=True)


class BoardFormat(StrEnum):
    text = "text"
    json = "json"


def board(
    team: Annotated[str | None, typer.Option(help="Team (default: DEFAULT_TEAM)")] = None,
    format: Annotated[BoardFormat, typer.Option("--format", "-f")] = BoardFormat.text,
) -> None:
    """The team's board: phase and gate, hypotheses with tallies, and the analytics."""
    settings = load_settings()
    lang = settings.default_language

    async def read(application: App, team_id: int) -> str:
        current = await application.storage.board(team_id, SystemClock().now(), lang)
        if format is BoardFormat.json:
            return json.dumps(board_to_dict(current), ensure_ascii=False, indent=2) + "\n"
        replies = [
            views.status_reply(current, lang),
            hypothesis_views.hypotheses_reply(current, lang, page_size=None),  # a terminal scrolls: the whole board
            views.funnel_reply(current, lang),
        ]
        return "\n\n".join(render(reply, use_color(sys.stdout)) for reply in replies) + "\n"

    text = read_team(settings, team, read)
    sys.stdout.write(text)


@gates_app.command("show")
def gates_show(team: Annotated[str | None, typer.Option(help="Team (default: DEFAULT_TEAM)")] = None) -> None:
    """Print the gates in force for a team (its own, or the defaults) as YAML."""
    settings = load_settings()
    application = build_app(settings, read_only=True)

    async def read() -> str:
        try:
            team_id = await application.storage.team_id(team or settings.default_team)
            if team_id is None:
                return default_gates_text()
            profile = await application.storage.read(lambda view: view.teams.team(team_id))
            return profile.gates_yaml or default_gates_text()
        finally:
            await application.storage.close()

    sys.stdout.write(run_on_database(settings, read()))


@gates_app.command("set")
def gates_set(
    file: Annotated[Path, typer.Argument(help="A gates YAML file (see `cusdev gates show`)")],
    team: Annotated[str | None, typer.Option(help="Team (default: DEFAULT_TEAM)")] = None,
) -> None:
    """Replace a team's gates with a validated YAML file."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    try:
        text = file.read_text(encoding="utf-8-sig")
        load_gates_text(text, str(file), settings.default_language)
    except FileNotFoundError:
        typer.echo(_("{path}: no such file").format(path=file))
        raise typer.Exit(1) from None
    except UnicodeDecodeError:
        typer.echo(_("{path}: not UTF-8 text; save it as UTF-8 and try again").format(path=file))
        raise typer.Exit(1) from None
    except YamlInvalid as exc:
        echo_problems(exc.problems)
        raise typer.Exit(1) from None
    application = build_app(settings)
    slug = team or settings.default_team

    async def write() -> bool:
        try:
            team_id = await application.storage.team_id(slug)
            if team_id is None:
                return False
            async with application.storage.transaction() as uow:
                await uow.teams.update_team(team_id, gates_yaml=text)
                gates_of(await uow.teams.team(team_id))
            return True
        finally:
            await application.storage.close()

    if not run_on_database(settings, write()):
        typer.echo(_("There is no team called {slug} yet; it appears with its first interview.").format(slug=slug))
        raise typer.Exit(2)
    typer.echo(_("Gates saved for {slug}.").format(slug=slug))


def import_file(
    file: Annotated[Path, typer.Argument(help="An export in JSON, or a CSV of price-survey answers")],
    team: Annotated[str | None, typer.Option(help="Put everything into this team")] = None,
    as_name: Annotated[str | None, typer.Option("--as", help="Founder for CSV rows (default: your login)")] = None,
    currency: Annotated[str | None, typer.Option(help="Currency of CSV prices written without one")] = None,
) -> None:
    """Load interviews and hypotheses from the export's JSON, or price answers from a CSV; bad rows are skipped."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        typer.echo(_("{path}: no such file").format(path=file))
        raise typer.Exit(1) from None
    except UnicodeDecodeError:
        typer.echo(_("{path}: not UTF-8 text; save it as UTF-8 and try again").format(path=file))
        raise typer.Exit(1) from None
    now = SystemClock().now()
    lang = settings.default_language
    survey = not (file.suffix.casefold() == ".json" or text.lstrip().startswith("{"))
    if not survey:
        batch = parse_export_json(text, str(file), team, lang)
    else:
        founder = as_name or login_name()
        batch = parse_price_csv(
            text, str(file), team or settings.default_team, founder, now, currency or settings.default_currency, lang
        )
    echo_problems(batch.problems)
    application = build_app(settings)

    async def write() -> ImportReport:
        try:
            return await import_into(application, batch, now)
        finally:
            await application.storage.close()

    report = run_on_database(settings, write())
    if survey:  # survey answers count for prices, never as interviews: say so
        typer.echo(
            ngettext_for(lang)(
                "Imported {n} survey answer ({existing} were already there); {problems} skipped with problems.",
                "Imported {n} survey answers ({existing} were already there); {problems} skipped with problems.",
                report.interviews_added,
            ).format(n=report.interviews_added, existing=report.interviews_existing, problems=len(batch.problems))
        )
        raise typer.Exit(1 if batch.problems else 0)
    typer.echo(
        _(
            "Imported {added} interviews ({existing} were already there) and {hypotheses} hypotheses; "
            "{problems} skipped with problems."
        ).format(
            added=report.interviews_added,
            existing=report.interviews_existing,
            hypotheses=report.hypotheses_added,
            problems=len(batch.problems),
        )
    )
    raise typer.Exit(1 if batch.problems else 0)
