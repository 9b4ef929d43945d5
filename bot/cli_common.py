"""What every `cusdev` command shares: settings, the wired application, friendly errors."""

from __future__ import annotations

import getpass
import logging
import os
from collections.abc import Mapping, Sequence
from typing import TextIO

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.bootstrap import App, build
from bot.settings import Settings
from core.i18n import gettext_for, normalize_language
from core.yaml_data import YamlInvalid, YamlProblem


def load_settings() -> Settings:
    """Settings from the environment and .env; an invalid one exits naming the setting."""
    try:
        settings = Settings()
    except ValidationError as exc:
        _ = gettext_for(normalize_language(os.environ.get("DEFAULT_LANGUAGE")))
        typer.echo(_("cusdev: the configuration is invalid; fix these settings:") + f"\n{exc}", err=True)
        raise typer.Exit(2) from None
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return settings


def build_app(settings: Settings) -> App:
    """The wired application; a broken team script or an unreachable database exits with what to fix."""
    _ = gettext_for(settings.default_language)
    try:
        return build(settings)
    except YamlInvalid as exc:
        typer.echo(_("cusdev: a script in SCRIPTS_DIR is broken:"), err=True)
        echo_problems(exc.problems, indent="  ", err=True)
        raise typer.Exit(2) from None
    except (SQLAlchemyError, OSError, ValueError) as exc:
        typer.echo(_("cusdev: cannot open the database ({error}). Check DATABASE_URL.").format(error=exc), err=True)
        raise typer.Exit(2) from None


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
