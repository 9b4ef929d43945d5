"""The root handler: JSON lines with the update's context, text lines, levels, and secrets masked everywhere."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import MASK, bind, configure_logging, log_context
from bot.settings import Settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
SLACK = "xoxb-1111-2222-abcdefABCDEF"
APP_TOKEN = "xapp-1-A111-222-abcdef"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("bot", "core", "storage")}
    yield
    logging.captureWarnings(False)
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_json_lines_carry_the_context_and_the_exception(restore_logging: None) -> None:
    stream = io.StringIO()
    configure_logging(settings(log_format="json", log_level="INFO"), stream)
    log = logging.getLogger("bot.test")
    with log_context(platform="telegram", event="tg:7"):
        bind(team=3)
        log.info("handled %s", "it")
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed")
    log.info("outside")
    first, failed, outside = (json.loads(line) for line in lines(stream))
    assert first["message"] == "handled it" and first["level"] == "INFO" and first["logger"] == "bot.test"
    assert (first["platform"], first["event"], first["team"]) == ("telegram", "tg:7", "3")
    assert first["time"].endswith("+00:00") and "T" in first["time"]
    assert "ValueError: boom" in failed["exc_info"] and failed["level"] == "ERROR"
    assert "platform" not in outside and "team" not in outside, "the context ends with its block"


def test_text_lines_end_with_the_context(restore_logging: None) -> None:
    stream = io.StringIO()
    configure_logging(settings(log_level="INFO"), stream)
    with log_context(platform="slack", event="Ev1"):
        logging.getLogger("bot.test").warning("slow")
    [line] = lines(stream)
    assert line.endswith("WARNING bot.test: slow platform=slack event=Ev1")


def test_tokens_and_configured_secrets_are_masked_in_messages_and_tracebacks(restore_logging: None) -> None:
    stream = io.StringIO()
    configured = settings(
        log_format="json",
        log_level="INFO",
        telegram_bot_token=TOKEN,
        telegram_webhook_secret="hook-secret-1",
        slack_signing_secret="signing-secret-2",
        slack_client_secret="client-secret-3",
        database_url="postgresql://cusdev:db-password-4@db.internal/cusdev",
    )
    configure_logging(configured, stream)
    log = logging.getLogger("httpx")  # a library's line, as httpx writes it
    log.info("HTTP Request: POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    log.info("bearer %s and %s; another bot 987654321:%s", SLACK, APP_TOKEN, "Z" * 35)
    log.info("secrets: %s %s %s", "hook-secret-1", "signing-secret-2", "client-secret-3")
    try:
        raise RuntimeError("connect to postgresql://cusdev:db-password-4@db.internal failed")
    except RuntimeError:
        log.exception("db")
    out = stream.getvalue()
    for secret in (TOKEN, SLACK, APP_TOKEN, "Z" * 35, "hook-secret-1", "signing-secret-2", "client-secret-3"):
        assert secret not in out
    assert "db-password-4" not in out
    entries = [json.loads(line) for line in lines(stream)]
    assert entries[0]["message"] == f"HTTP Request: POST https://api.telegram.org/bot{MASK}/sendMessage"
    assert entries[1]["message"] == f"bearer {MASK} and {MASK}; another bot {MASK}"
    assert MASK in entries[3]["exc_info"]


def test_debug_opens_our_loggers_and_keeps_libraries_at_info(restore_logging: None) -> None:
    stream = io.StringIO()
    configure_logging(settings(log_level="DEBUG", log_format="json"), stream)
    logging.getLogger("bot.test").debug("ours")
    logging.getLogger("core.app").debug("core's")
    logging.getLogger("telegram.ext.Application").debug("Processing update {'text': 'an answer'}")
    logging.getLogger("telegram.ext.Application").info("Application started")
    assert [json.loads(line)["message"] for line in lines(stream)] == ["ours", "core's", "Application started"]


def test_configuring_again_replaces_the_handler(restore_logging: None) -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging(settings(log_level="INFO"), first)
    configure_logging(settings(log_level="INFO"), second)
    logging.getLogger("bot.test").info("once")
    assert first.getvalue() == "" and second.getvalue().count("once") == 1
