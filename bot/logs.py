"""Log lines: one handler on the root logger, text or JSON lines (LOG_FORMAT), carrying the update's context and
never a secret.

Plain stdlib logging with a small Formatter rather than structlog: every library cusdev runs on (python-telegram-bot,
httpx, slack_sdk, uvicorn, SQLAlchemy, APScheduler) already logs through stdlib logging, so one handler on the root
logger sees every line, ours and theirs; structlog's stdlib integration would add a dependency and a second
pipeline to end at the same handler.

The context (platform, event id, team, outbox message) lives in a contextvar: an adapter binds it when an update
starts (bot.observe), the service adds the team once it knows it, the relay binds the message it sends.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TextIO
from urllib.parse import urlsplit

from bot.settings import Settings

HANDLER_NAME = "cusdev"
OWN_LOGGERS = ("bot", "core", "storage")
"""LOG_LEVEL=DEBUG opens these; libraries stay at INFO at most (their debug lines carry whole updates and requests,
a founder's answers among them)."""
MASK = "[redacted]"
TELEGRAM_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
"""A bot token, also inside a Bot API URL (.../bot<token>/sendMessage, which httpx logs at INFO)."""
SLACK_TOKEN = re.compile(r"\b(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]+")
CONTEXT: ContextVar[Mapping[str, str]] = ContextVar("cusdev_log_context", default=MappingProxyType({}))


def _merged(fields: Mapping[str, object]) -> dict[str, str]:
    merged = dict(CONTEXT.get())
    for key, value in fields.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    return merged


@contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Within the block every log line carries these fields (a None value drops one); restored on the way out."""
    token = CONTEXT.set(_merged(fields))
    try:
        yield
    finally:
        CONTEXT.reset(token)


def bind(**fields: object) -> None:
    """Add fields to the current context, until the enclosing `log_context` ends."""
    CONTEXT.set(_merged(fields))


class ContextFilter(logging.Filter):
    """Puts the current context on each record (as `record.context`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record."""
        record.context = dict(CONTEXT.get())
        return True


class Redactor(logging.Filter):
    """Masks tokens and the configured secrets in a record's message, exception and stack text."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with every secret and token-shaped string masked."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return SLACK_TOKEN.sub(MASK, TELEGRAM_TOKEN.sub(MASK, text))

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrites the record in place (its arguments merged into the message first); always keeps it."""
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, the context, exc_info when present."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "context", {}))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic line, with the context appended as key=value pairs."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The line, then the context."""
        line = super().formatMessage(record)
        context: Mapping[str, str] = getattr(record, "context", {})
        return line + "".join(f" {key}={value}" for key, value in context.items())


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time of each line (a test runner may swap it)."""

    @property
    def stream(self) -> TextIO:
        """The current sys.stderr."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def secrets_of(settings: Settings) -> list[str | None]:
    """Every configured secret: tokens, signing and webhook secrets, the database password."""
    return [
        settings.telegram_bot_token,
        settings.telegram_webhook_secret,
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_client_secret,
        settings.slack_app_token,
        urlsplit(settings.database_url).password,
    ]


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Install the one root handler (replacing an earlier one of ours) and set the levels; returns the handler."""
    handler = StderrHandler() if stream is None else logging.StreamHandler(stream)
    handler.set_name(HANDLER_NAME)
    handler.addFilter(ContextFilter())
    handler.addFilter(Redactor(secrets_of(settings)))
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    level = logging.getLevelNamesMapping()[settings.log_level]
    root.setLevel(max(level, logging.INFO))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
    logging.captureWarnings(True)  # Python's warnings become log lines too (JSON when asked), not raw stderr text
    return handler
