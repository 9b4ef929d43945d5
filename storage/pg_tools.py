"""PostgreSQL's client tools for backups and restores: pg_dump, pg_restore and psql, run as subprocesses.

A restore runs pg_restore's SQL through psql in one transaction. With `replace`, that transaction first drops the public
schema and creates it again: `pg_restore --clean` drops only what the dump knows, so a dump made before a migration
that added tables would leave those tables behind, and the next `cusdev db upgrade` would fail to create them.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Literal

from sqlalchemy.engine import URL, make_url

Problem = Literal["no_database", "missing_tool", "tool_failed", "damaged", "not_cusdev", "same_file"]
REPLACE_SCHEMA = (
    "DROP SCHEMA public CASCADE; CREATE SCHEMA public; GRANT USAGE ON SCHEMA public TO PUBLIC; "
    "DO $$ BEGIN IF pg_has_role(current_user, 'pg_database_owner', 'MEMBER') "
    "THEN ALTER SCHEMA public OWNER TO pg_database_owner; END IF; "
    "EXCEPTION WHEN undefined_object THEN NULL; END $$;"
)
"""Empty the public schema, then give it back its usual owner and USAGE for everyone (PostgreSQL 15's defaults,
where the role restoring may grant them), so roles that used it before still can."""
CHUNK = 1 << 16


class BackupFailed(Exception):
    """Why a backup or restore did not happen; `detail` is the file, the command to run, or what a tool said.

    `tool` names the client tool that is missing (for "missing_tool").
    """

    def __init__(self, problem: Problem, detail: str, tool: str = "") -> None:
        super().__init__(f"{problem}: {detail}")
        self.problem, self.detail, self.tool = problem, detail, tool


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as libpq tools take it, and the environment carrying its password (never on a command line)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False), env


def _tool(tool: str, told: str) -> str:
    """The tool's path; BackupFailed naming the command `told` when it is not installed."""
    path = shutil.which(tool)
    if path is None:
        raise BackupFailed("missing_tool", told, tool)
    return path


def run_tool(tool: str, url: str | None, *args: str, shown: str | None = None) -> None:
    """Run a PostgreSQL client tool (on the database at `url`, if given); BackupFailed when absent or failing.

    The command named in a failure has `shown` in place of the last argument (the final file, not the partial one).
    """
    target, env = libpq(url) if url is not None else ("", {**os.environ})
    database = [f"--dbname={target}"] if url is not None else []
    told = [tool, *args[:-1], shown or args[-1], *database] if args else [tool, *database]
    path = _tool(tool, " ".join(told))
    done = subprocess.run([path, *args, *database], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed("tool_failed", f"{' '.join(told)}: {done.stderr.strip()}")


def pg_load(url: str, dump: Path, replace: bool) -> None:
    """Load a custom-format dump into the database in one transaction (emptying its public schema first if `replace`).

    pg_restore writes SQL that is relayed to psql between a BEGIN and a COMMIT. The COMMIT is written only once
    pg_restore has finished well: if it fails halfway, or this process dies, psql's input ends inside the transaction
    and PostgreSQL rolls it all back.
    """
    target, env = libpq(url)
    restore = ["pg_restore", "--no-owner", "--file=-", str(dump)]
    schema = [f"--command={REPLACE_SCHEMA}"] if replace else []
    load = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", *schema, "--file=-"]
    # The same by hand, pasteable in a shell: the SQL goes to a file first, so a pg_restore that fails loads nothing
    told = f"{shlex.join([*restore[:2], '--file=restore.sql', str(dump)])} && " + shlex.join(
        [*load[:-1], "--file=restore.sql", f"--dbname={target}"]
    )
    restore[0], load[0] = _tool(restore[0], told), _tool(load[0], told)
    run = [load[0], "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-", f"--dbname={target}"]
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as load_errors:
        producer = subprocess.Popen(restore, stdout=subprocess.PIPE, stderr=restore_errors, env=env)
        consumer = subprocess.Popen(run, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=load_errors, env=env)
        assert producer.stdout is not None and consumer.stdin is not None
        try:
            with producer.stdout:
                _relay(
                    producer.stdout, consumer.stdin, b"BEGIN;\n" + (REPLACE_SCHEMA.encode() + b"\n" if replace else b"")
                )
            finished = producer.wait() == 0
            with contextlib.suppress(BrokenPipeError):  # psql stopped on an error already; its exit code says so
                if finished:
                    consumer.stdin.write(b"\nCOMMIT;\n")
                consumer.stdin.close()
            loaded = consumer.wait() == 0
        finally:
            for process in (producer, consumer):
                if process.poll() is None:  # interrupted: psql dies inside the transaction, nothing is committed
                    process.kill()
                    process.wait()
        if not finished:
            raise BackupFailed("tool_failed", f"{told}: {_text(restore_errors)}")
        if not loaded:
            raise BackupFailed("tool_failed", f"{told}: {_text(load_errors)}")


def _relay(source: IO[bytes], sink: IO[bytes], first: bytes) -> None:
    """Write `first`, then copy pg_restore's output to psql until either ends (psql ends early when a statement
    fails)."""
    try:
        sink.write(first)
        while chunk := source.read(CHUNK):
            sink.write(chunk)
        sink.flush()
    except BrokenPipeError:
        while source.read(CHUNK):  # let pg_restore finish; psql's error is the one to report
            pass


def _text(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode(errors="replace").strip()
