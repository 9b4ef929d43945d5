"""The image without a container engine: the builder stage's install, then the final stage's ENTRYPOINT, CMD and
HEALTHCHECK run from that virtualenv (no source tree), on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.database import schema_status
from tests.conftest import fresh_postgres
from tests.deploy.conftest import Installed, normalized
from tests.deploy.deploy_files import ROOT, Stage, dockerfile_stages, exec_form, healthcheck_command
from tests.fake_telegram import FakeTelegramServer, Limits
from tests.ports import free_port

pytestmark = pytest.mark.slow
FINAL: Stage = dockerfile_stages()[-1]
CONSTRAINTS = ROOT / "constraints.txt"


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nothing has migrated yet: a new SQLite file, or a new PostgreSQL database (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'cusdev.db'}"
        return
    with fresh_postgres("cusdev_deploy") as url:
        yield url


def entrypoint_command() -> list[str]:
    """ENTRYPOINT + CMD as the container starts them, the entrypoint read from the file the final stage copies."""
    entrypoint, *entry_args = exec_form(FINAL.all("ENTRYPOINT")[0])
    sources = {shlex.split(args)[-1]: shlex.split(args)[0] for args in FINAL.all("COPY") if "--from=" not in args}
    script = ROOT / sources[f"/usr/local/bin/{entrypoint}"]
    return [str(script), *entry_args, *exec_form(FINAL.all("CMD")[0])]


def test_the_installed_venv_runs_cusdev_without_the_source_tree(installed: Installed) -> None:
    assert not (installed.root / "src").exists()
    shown = subprocess.run(
        ["cusdev", "--help"], env=installed.env(), cwd=installed.root, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert " run " in shown.stdout and " db " in shown.stdout
    where = subprocess.run(
        ["python", "-c", "import bot, core, storage; print(bot.__file__, core.__file__, storage.__file__)"],
        env=installed.env(),
        cwd=installed.root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.returncode == 0, where.stderr
    assert all(Path(file).is_relative_to(installed.venv) for file in where.stdout.split())


def test_the_first_layer_installs_every_dependency_as_pinned_and_the_second_cusdev_alone(installed: Installed) -> None:
    dependencies, project = installed.layers
    pins = dict(
        (normalized(name), version)
        for name, _, version in (line.partition("==") for line in CONSTRAINTS.read_text(encoding="utf-8").split())
    )
    assert {"python-telegram-bot", "sqlalchemy", "psycopg-binary", "prometheus-client"} <= dependencies.keys()
    assert {name: version for name, version in dependencies.items() if pins.get(name) != version} == {
        name: version for name, version in dependencies.items() if name in {"pip", "setuptools"}
    }  # all pinned, but the virtualenv's own pip (and setuptools, on older Pythons)
    assert {name for name, version in project.items() if dependencies.get(name) != version} == {"cusdev"}


def test_the_entrypoint_migrates_before_it_runs(installed: Installed, empty_database: str) -> None:
    # No platform configured: `cusdev run` refuses to start, but only after the entrypoint has migrated.
    started = subprocess.run(
        entrypoint_command(),
        env=installed.env(DATABASE_URL=empty_database),
        cwd=installed.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 2, started.stderr
    assert "Database is up to date." in started.stdout
    assert "Nothing to serve" in started.stderr
    assert schema_status(empty_database).state == "current"


def healthcheck(installed: Installed, port: int) -> int:
    """The Dockerfile's HEALTHCHECK command, run as the image would, against PORT; its exit code."""
    done = subprocess.run(
        healthcheck_command(FINAL), env=installed.env(PORT=str(port)), capture_output=True, timeout=30
    )
    return done.returncode


async def test_the_container_serves_a_webhook_passes_its_healthcheck_and_stops_on_sigterm(
    installed: Installed, empty_database: str
) -> None:
    port = free_port()
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
        settings = {
            "DATABASE_URL": empty_database,
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "TELEGRAM_MODE": "webhook",
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "TELEGRAM_WEBHOOK_SECRET": "deploy-test-secret",
            "PORT": str(port),
            "PTB_TIMEDELTA": "1",
        }
        process = await asyncio.create_subprocess_exec(
            *entrypoint_command(),
            env=installed.env(**settings),
            cwd=installed.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            await tg.wait_until(lambda: tg.updates.webhook.url or None, timeout=60, what="setWebhook")
            await tg.wait_until(lambda: healthcheck(installed, port) == 0 or None, timeout=30, what="a healthy app")
            alice = tg.add_user("Alice")
            await tg.inject_text(alice, "/quick")
            first = await tg.wait_for_message(alice, timeout=20)
            assert "Who did you talk to?" in first.plain_text  # the packaged scripts and catalogs are installed
            assert healthcheck(installed, free_port()) != 0  # nothing listens there: the check can fail
        finally:
            if process.returncode is None:
                os.kill(process.pid, signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 15)
        assert code == 0
