"""What every `cusdev` command shares: settings, the wired application, friendly errors."""

from __future__ import annotations

import asyncio
import getpass
import os
import sqlite3
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any, NoReturn, TextIO, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.bootstrap import App, build, database_damaged, database_file, database_status, migrate
from bot.logs import configure_logging
from bot.settings import Settings
from core.i18n import N_, gettext_for, normalize_language
from core.yaml_data import YamlInvalid, YamlProblem

T = TypeVar("T")


def load_settings() -> Settings:
    """Settings from the environment and .env; an invalid one exits naming the setting."""
    try:
        settings = Settings()
    except ValidationError as exc:
        _ = gettext_for(normalize_language(os.environ.get("DEFAULT_LANGUAGE")))
        typer.echo(_("cusdev: the configuration is invalid; fix these settings:") + f"\n{exc}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings)
    return settings


def build_app(settings: Settings, read_only: bool = False) -> App:
    """The wired application; a broken team script or an unreachable database exits with what to fix.

    A read-only command never migrates: when the database is not at the code's head it exits saying what to run.
    """
    _ = gettext_for(settings.default_language)
    try:
        if read_only:
            require_current_schema(settings)
        else:
            refuse_newer_schema(settings)
        return build(settings, read_only=read_only)
    except YamlInvalid as exc:
        typer.echo(_("cusdev: a script in SCRIPTS_DIR is broken:"), err=True)
        echo_problems(exc.problems, indent="  ", err=True)
        raise typer.Exit(2) from None
    except (SQLAlchemyError, sqlite3.Error, OSError, ValueError) as exc:
        database_failed(settings, exc)


def read_team(settings: Settings, team: str | None, read: Callable[[App, int], Awaitable[T]]) -> T:
    """Run a read-only command's work on a team (DEFAULT_TEAM unless named) and close the storage; a team that does
    not exist yet exits 2 saying so."""
    application = build_app(settings, read_only=True)
    slug = team or settings.default_team

    async def work() -> T | None:
        try:
            team_id = await application.storage.team_id(slug)
            return None if team_id is None else await read(application, team_id)
        finally:
            await application.storage.close()

    found = run_on_database(settings, work())
    if found is None:
        _ = gettext_for(settings.default_language)
        typer.echo(_("There is no team called {slug} yet; it appears with its first interview.").format(slug=slug))
        raise typer.Exit(2)
    return found


def upgrade_database(settings: Settings) -> None:
    """Apply the migrations; a database that cannot take them (or that a newer cusdev migrated) exits saying why."""
    try:
        refuse_newer_schema(settings)
        migrate(settings)
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        database_failed(settings, exc)


def run_on_database(settings: Settings, work: Coroutine[Any, Any, T]) -> T:
    """Run a command's async work; a database that fails on the way (damaged, locked, gone) exits with what to do."""
    try:
        return asyncio.run(work)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        database_failed(settings, exc)


def database_failed(settings: Settings, exc: BaseException) -> NoReturn:
    """Say why the database failed, without a traceback: a damaged SQLite file gets one message wherever it is hit."""
    _ = gettext_for(settings.default_language)
    if database_damaged(exc):
        message = _(
            "cusdev: the database file {path} is damaged and cannot be read. Put back a copy of it from a backup, "
            "or point DATABASE_URL at a new file and `cusdev import` your latest export. "
            "`sqlite3 {path} .recover` may save what is still readable."
        ).format(path=database_file(settings))
    else:
        message = _("cusdev: cannot open the database ({error}). Check DATABASE_URL.").format(error=exc)
    typer.echo(message, err=True)
    raise typer.Exit(2)


NEWER_SCHEMA = N_(
    "cusdev: the database is at revision {current}, which this version of cusdev does not know; it was migrated by "
    "a newer cusdev. Use that version, or restore the backup taken before the upgrade to go back to this one."
)


def refuse_newer_schema(settings: Settings) -> None:
    """Exit 2 when a newer cusdev migrated the database: this version must neither migrate nor write it (a process
    that restarts mid-rollout, a rollback without its backup)."""
    status = database_status(settings)
    if status.state == "unknown":
        message = gettext_for(settings.default_language)(NEWER_SCHEMA)
        typer.echo(message.format(current=", ".join(status.current), head=", ".join(status.heads)), err=True)
        raise typer.Exit(2)


def require_current_schema(settings: Settings) -> None:
    """Exit 2 naming `cusdev db upgrade` when the database is missing, empty or behind the migrations."""
    _ = gettext_for(settings.default_language)
    status = database_status(settings)
    if status.state == "current":
        return
    if status.state == "unknown":
        message = _(NEWER_SCHEMA)
    elif status.state == "behind":
        message = _(
            "cusdev: the database is at revision {current}, older than this version of cusdev ({head}). "
            "Run `cusdev db upgrade` first."
        )
    elif status.state == "missing":  # read-only commands never create it
        message = _("cusdev: there is no database at {path} yet. Run `cusdev db upgrade` to create it.")
    else:
        message = _("cusdev: the database has no tables yet. Run `cusdev db upgrade` first.")
    current, head = ", ".join(status.current), ", ".join(status.heads)
    typer.echo(message.format(current=current, head=head, path=status.sqlite_file), err=True)
    raise typer.Exit(2)


def echo_problems(problems: Sequence[YamlProblem | object], indent: str = "", err: bool = False) -> None:
    """One line per problem: file:line: field: message."""
    for problem in problems:
        typer.echo(f"{indent}{problem}", err=err)


def login_name() -> str:
    """The founder's name when --as is not given: the login, else "founder"."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "founder"


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to style output: only on a terminal, with NO_COLOR unset or empty (no-color.org) and TERM not dumb."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False
