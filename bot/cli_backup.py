"""Keeping the database: `cusdev backup FILE`, `cusdev restore FILE` and `cusdev prune` (see the README's "Backups
and upgrades")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.bootstrap import BackupFailed, Copy, backup_database, database_file, in_use, restore_database
from bot.cli_common import build_app, database_failed, load_settings, run_on_database
from bot.scheduler import retention_of
from bot.settings import Settings
from core.app.housekeeping import prune_old
from core.i18n import gettext_for

FORCE = typer.Option("--force", help="Replace FILE (backup) or the database (restore) if it exists")


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup", dir_okay=False)],
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Back the database up while the bot runs: SQLite's online backup (checked), or pg_dump for PostgreSQL."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    if file.exists() and not force:
        typer.echo(_("{path} exists already; pass --force to replace it.").format(path=file), err=True)
        raise typer.Exit(1)
    try:
        copy = backup_database(settings.database_url, file)
    except BackupFailed as failed:
        _failed(settings, failed)
    if copy.revision is None:
        message = _("Dumped the database to {path} ({size}) with pg_dump; pg_restore reads it back whole.")
    else:
        message = _("Backed up the database to {path} ({size}, revision {revision}); the copy checks out whole.")
    typer.echo(message.format(path=copy.path, size=_size(settings, copy), revision=copy.revision))


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `cusdev backup`", dir_okay=False)],
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Put a backup back into the database DATABASE_URL names; stop the bot first."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    typer.echo(_("Stop the bot before restoring: a running bot would keep writing to the database it replaces."))
    where = database_file(settings) or _("the database in DATABASE_URL")
    try:
        if in_use(settings.database_url) and not force:
            typer.echo(
                _("{target} already holds a database; restoring replaces it. Pass --force to do so.").format(
                    target=where
                ),
                err=True,
            )
            raise typer.Exit(1)
        copy = restore_database(settings.database_url, file, replace=force)
    except BackupFailed as failed:
        _failed(settings, failed)
    except (SQLAlchemyError, OSError) as exc:  # PostgreSQL unreachable, a folder not writable
        database_failed(settings, exc)
    message = _("Restored {target} from {path} ({size}). Start the bot: it upgrades the schema first if needed.")
    typer.echo(message.format(target=where, path=file, size=_size(settings, copy)))


def prune(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be pruned")] = False,
) -> None:
    """Prune processed event ids and sent messages past their retention now (the bot's scheduler does it hourly)."""
    settings = load_settings()
    _ = gettext_for(settings.default_language)
    application = build_app(settings)

    async def work() -> None:
        try:
            pruned = await prune_old(application.storage, application.clock.now(), retention_of(settings), dry_run)
        finally:
            await application.storage.close()
        if dry_run:
            message = _(
                "Would prune: processed event ids older than {event_days} d: {events}; "
                "sent messages older than {message_days} d: {messages}."
            )
        else:
            message = _(
                "Pruned: processed event ids older than {event_days} d: {events}; "
                "sent messages older than {message_days} d: {messages}."
            )
        typer.echo(
            message.format(
                event_days=settings.event_retention_days,
                events=pruned.events,
                message_days=settings.outbox_retention_days,
                messages=pruned.messages,
            )
        )

    run_on_database(settings, work())


def _size(settings: Settings, copy: Copy) -> str:
    return gettext_for(settings.default_language)("{size:.1f} MB").format(size=copy.size / 1_000_000)


def _failed(settings: Settings, failed: BackupFailed) -> NoReturn:
    """Say why, and exit: 2 when something must be set up first, 1 when the data is the problem."""
    _ = gettext_for(settings.default_language)
    if failed.problem == "missing_tool":
        message = _(
            "{tool} is not installed here (PostgreSQL's client tools, the same major version as the server or newer). "
            "Install it, or run this where it is:\n  {command}"
        ).format(tool=failed.tool, command=failed.detail)
        typer.echo(message, err=True)
        raise typer.Exit(2)
    if failed.problem == "no_database":
        typer.echo(_("There is no database at {path}.").format(path=failed.detail), err=True)
        raise typer.Exit(2)
    if failed.problem == "tool_failed":
        message = _("The command failed, nothing was replaced: {detail}")
    elif failed.problem == "same_file":
        message = _("{detail} is the database itself: restore from a backup made by `cusdev backup`.")
    elif failed.problem == "damaged":
        message = _("The database is damaged, nothing was replaced: {detail}")
    else:
        message = _("{detail} is not a cusdev database (it has no migration revision); nothing was replaced.")
    typer.echo(message.format(detail=failed.detail), err=True)
    raise typer.Exit(1)
