"""The `cusdev` command line: chat, export, board, digest, import, gates, script check, db upgrade, backup, restore,
prune."""

from __future__ import annotations

import asyncio
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.bootstrap import load_script_file
from bot.cli_backup import backup, prune, restore
from bot.cli_board import board, gates_app, import_file
from bot.cli_common import build_app, load_settings, login_name, run_on_database, upgrade_database, use_color
from bot.cli_digest import digest
from bot.cli_search import search
from bot.console import ConsoleChat, line_reader
from core.i18n import LANGUAGES, gettext_for, ngettext_for, normalize_language
from core.scripts.loader import ScriptInvalid
from core.transfer.export import to_csv, to_json, with_partial_records
from core.transfer.notes import to_markdown

app = typer.Typer(help="cusdev: Customer Development interviews, logged in two minutes.", no_args_is_help=True)
script_app = typer.Typer(help="Interview scripts.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(script_app, name="script")
app.add_typer(db_app, name="db")
app.add_typer(gates_app, name="gates")
app.command()(board)
app.command()(search)
app.command()(digest)
app.command("import")(import_file)
app.command()(backup)
app.command()(restore)
app.command()(prune)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    md = "md"


@app.command()
def chat(
    script: Annotated[str | None, typer.Option("--script", "-s", help="discovery, validation or quick")] = None,
    as_name: Annotated[str | None, typer.Option("--as", help="Your name (default: your login)")] = None,
    team: Annotated[str | None, typer.Option(help="Team to log into (default: DEFAULT_TEAM)")] = None,
    lang: Annotated[
        str | None, typer.Option(help="en or ru; wins over an earlier /lang (default: that, else DEFAULT_LANGUAGE)")
    ] = None,
) -> None:
    """Run a guided interview in the terminal; answers can also be piped in, one per line."""
    settings = load_settings()
    language = normalize_language(lang or settings.default_language)
    _ = gettext_for(language)
    if lang is not None and lang.casefold() not in LANGUAGES:
        message = _("There is no language “{code}”. Choose one of: {known}.")
        typer.echo(message.format(code=lang, known=", ".join(LANGUAGES)), err=True)
        raise typer.Exit(2)
    application = build_app(settings)
    if script and script not in application.scripts:
        known = ", ".join(application.scripts)
        typer.echo(_("There is no interview called “{name}”. Choose one of: {known}.").format(name=script, known=known))
        raise typer.Exit(2)
    console = ConsoleChat(
        application.service,
        application.storage,
        team or settings.default_team,
        as_name or login_name(),
        language,
        line_reader(sys.stdin, sys.stdout),
        sys.stdout,
        color=use_color(sys.stdout),
        lang_chosen=lang is not None,
        fit_terminal=sys.stdout.isatty(),
    )

    async def run() -> None:
        try:
            await console.run(script)
        finally:
            await application.storage.close()

    run_on_database(settings, run())


@app.command()
def run() -> None:
    """Serve the chat platforms that are configured (Telegram with TELEGRAM_BOT_TOKEN, Slack with SLACK_BOT_TOKEN)."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    from bot.slack.config import is_attempted, is_configured

    if is_attempted(settings) and not is_configured(settings):
        typer.echo(
            _(
                "Slack needs SLACK_SIGNING_SECRET and either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET (many workspaces), from the app's settings."
            ),
            err=True,
        )
        raise typer.Exit(2)
    if not settings.telegram_bot_token and not is_configured(settings):
        typer.echo(
            _(
                "Nothing to serve: set TELEGRAM_BOT_TOKEN (from @BotFather), or SLACK_BOT_TOKEN and "
                "SLACK_SIGNING_SECRET, and run again."
            ),
            err=True,
        )
        raise typer.Exit(2)
    webhook = settings.telegram_bot_token and settings.telegram_mode == "webhook"
    if webhook and not (settings.public_url and settings.telegram_webhook_secret):
        typer.echo(_("Webhook mode needs PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET as well."), err=True)
        raise typer.Exit(2)
    application = build_app(settings)
    from bot.serve import serve_configured

    async def serve() -> None:
        try:
            await serve_configured(application, settle=True)
        finally:
            await application.storage.close()

    asyncio.run(serve())


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.json,
    team: Annotated[str | None, typer.Option(help="Only this team")] = None,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output")] = None,
) -> None:
    """Every interview with all its answers, as JSON, CSV or Markdown."""
    settings = load_settings()
    application = build_app(settings, read_only=True)

    async def read() -> str:
        try:
            data = with_partial_records(await application.storage.export_data(team), application.scripts)
        finally:
            await application.storage.close()
        if format is ExportFormat.csv:
            return to_csv(data)
        if format is ExportFormat.md:
            return to_markdown(data, settings.default_language, application.scripts)
        return to_json(data)

    text = run_on_database(settings, read())
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        count = text.count('"id":') if format is ExportFormat.json else None
        _ = gettext_for(settings.default_language)
        typer.echo(_("Wrote {path}.").format(path=out) + (f" ({count})" if count is not None else ""), err=True)


@script_app.command("check")
def script_check(files: Annotated[list[Path], typer.Argument(help="Script files to validate")]) -> None:
    """Validate interview scripts; every problem is reported with file, line and field."""
    settings = load_settings()
    _, n_ = gettext_for(settings.default_language), ngettext_for(settings.default_language)
    failed = False
    for path in files:
        try:
            script = load_script_file(path, settings.default_language)
        except FileNotFoundError:
            typer.echo(_("{path}: no such file").format(path=path))
            failed = True
        except ScriptInvalid as exc:
            failed = True
            for problem in exc.problems:
                typer.echo(str(problem))
        else:
            count = len(script.questions)
            ok = n_("{path}: OK — “{title}”, {count} question", "{path}: OK — “{title}”, {count} questions", count)
            typer.echo(ok.format(path=path, title=script.title, count=count))
    raise typer.Exit(1 if failed else 0)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (the bot also does this at start)."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    upgrade_database(settings)
    typer.echo(_("Database is up to date."))


if __name__ == "__main__":
    app()
