"""The composition root: the only place that sees core, storage and the adapters together."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.metrics import Metrics
from bot.observe import ServiceEvents
from bot.settings import Settings
from bot.system import SystemClock, UuidIds
from core.app.digests import digest_of
from core.app.ports import Backlog, Clock, IdSource
from core.app.service import InterviewService, ServiceSettings
from core.i18n import gettext_for
from core.scripts.catalog import with_extra
from core.scripts.loader import ScriptInvalid, ScriptProblem, load_script_text
from core.scripts.model import Script
from core.transfer.importer import ImportBatch
from storage.backup_file import Copy as Copy
from storage.backup_file import backup_database as backup_database
from storage.backup_file import in_use as in_use
from storage.backup_file import restore_database as restore_database
from storage.database import SchemaStatus, is_damaged, schema_status, sqlite_file, upgrade
from storage.database import sync_engine as sync_engine  # re-exported for bot.slack (its OAuth stores)
from storage.importing import ImportReport as ImportReport  # re-exported for bot.cli_board
from storage.importing import import_batch
from storage.ops_reads import outbox_backlog, ping
from storage.pg_tools import BackupFailed as BackupFailed  # re-exported for bot.cli_backup, as the four above
from storage.sql_storage import SqlStorage


@dataclass
class App:
    """Everything an adapter needs, wired once."""

    settings: Settings
    storage: SqlStorage
    service: InterviewService
    scripts: dict[str, Script]
    clock: Clock
    metrics: Metrics = field(default_factory=Metrics)


def load_script_file(path: Path, lang: str = "en") -> Script:
    """Read and validate one script file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        message = gettext_for(lang)("not UTF-8 text ({reason})").format(reason=exc.reason)
        raise ScriptInvalid([ScriptProblem(str(path), 1, "", message)]) from None
    return load_script_text(text, str(path), lang)


def team_scripts(folder: Path | None) -> list[Script]:
    """Scripts a team keeps in SCRIPTS_DIR (*.yaml, *.yml); a broken one stops start-up with its errors."""
    if folder is None:
        return []
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return [load_script_file(path) for path in files]


async def import_into(app: App, batch: ImportBatch, now: datetime) -> ImportReport:
    """Write an import batch in one transaction."""
    async with app.storage.transaction() as uow:
        return await import_batch(uow, batch, now)


def migrate(settings: Settings) -> None:
    """Apply database migrations."""
    upgrade(settings.database_url)


def database_damaged(exc: BaseException) -> bool:
    """Whether a database error means the SQLite file is damaged."""
    return is_damaged(exc)


def database_file(settings: Settings) -> str:
    """Where the SQLite database lives (for messages); "" for PostgreSQL, whose URL may hold a password."""
    return sqlite_file(settings.database_url)


def database_status(settings: Settings) -> SchemaStatus:
    """Whether the database is at the code's migrations head (checked without creating or changing it)."""
    return schema_status(settings.database_url)


async def ping_database(app: App) -> None:
    """`SELECT 1` through the app's storage; raises when the database does not answer."""
    await ping(app.storage)


async def unsent_outbox(app: App) -> list[Backlog]:
    """Unsent outbox messages by platform: how many, and when the oldest was committed."""
    return await outbox_backlog(app.storage)


def build(
    settings: Settings | None = None,
    clock: Clock | None = None,
    ids: IdSource | None = None,
    migrate_first: bool = True,
    read_only: bool = False,
) -> App:
    """Wire storage, scripts and the interview service; migrate the database first unless told not to.

    `read_only` is for commands that only read: the database is never migrated nor written (it may be on read-only
    media), so only the storage's reads work.
    """
    settings = settings or Settings()
    if migrate_first and not read_only:
        migrate(settings)
    storage = SqlStorage(settings.database_url, settings.sqlite_synchronous, read_only=read_only)
    scripts = with_extra(team_scripts(settings.scripts_dir))
    service_settings = ServiceSettings(settings.default_team, settings.default_currency)
    clock = clock or SystemClock()
    metrics = Metrics()
    service = InterviewService(
        storage, scripts, clock, ids or UuidIds(), service_settings, digest_of, observer=ServiceEvents(metrics)
    )
    return App(settings, storage, service, scripts, clock, metrics)
