"""deploy/Dockerfile: hadolint finds nothing, and the rules the image relies on hold (read from the file itself)."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.deploy.deploy_files import (
    DOCKERFILE,
    ROOT,
    dockerfile_stages,
    env_instructions,
    exec_form,
    healthcheck_command,
    setting_names,
)

HADOLINT = Path(sys.executable).parent / "hadolint"
BUILDER, FINAL = dockerfile_stages()[0], dockerfile_stages()[-1]


def hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HADOLINT), "--no-color", str(path)], capture_output=True, text=True, timeout=60, check=False
    )


def test_hadolint_finds_nothing() -> None:
    result = hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_flags_what_we_avoid(tmp_path: Path) -> None:
    # The linter is really looking: an unpinned base, root as the last user, pip unpinned and caching fail it.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nUSER root\nRUN pip install cusdev\n")
    result = hadolint(bad)
    assert result.returncode != 0
    for rule in ("DL3007", "DL3002", "DL3013", "DL3042"):
        assert rule in result.stdout


def test_every_base_image_is_pinned_to_a_python_311_slim_tag() -> None:
    for stage in dockerfile_stages():
        image, _, tag = stage.base.partition(":")
        assert image == "python" and tag.startswith("3.11-slim"), stage.base


def test_two_stages_and_the_final_one_takes_only_the_virtualenv_from_the_builder() -> None:
    assert len(dockerfile_stages()) == 2 and BUILDER.name
    (venv,) = {shlex.split(install)[-1] for install in BUILDER.all("RUN")}
    from_builder = [shlex.split(args) for args in FINAL.all("COPY") if args.startswith("--from=")]
    assert from_builder == [[f"--from={BUILDER.name}", venv, venv]]
    assert f"PATH={venv}/bin:$PATH" in shlex.split(FINAL.all("ENV")[0])
    assert not FINAL.all("ADD") and not BUILDER.all("ADD")


def test_the_builder_installs_with_the_shared_script_from_the_pinned_constraints() -> None:
    copied = {shlex.split(args)[-1]: shlex.split(args)[0] for args in BUILDER.all("COPY")}
    for install in BUILDER.all("RUN"):
        assert copied[f"/usr/local/bin/{shlex.split(install)[0]}"] == "deploy/install.sh"
    assert '--constraint "$src/constraints.txt"' in (ROOT / "deploy/install.sh").read_text(encoding="utf-8")
    assert any("constraints.txt" in shlex.split(args) for args in BUILDER.all("COPY"))


def test_the_dependencies_are_installed_before_the_source_is_copied() -> None:
    # Docker reuses a layer while its inputs are unchanged: the dependencies' layer must not see the code.
    runs = [n for n, (keyword, _) in enumerate(BUILDER.instructions) if keyword == "RUN"]
    assert len(runs) == 2
    sources = [
        (n, source)
        for n, (keyword, args) in enumerate(BUILDER.instructions)
        if keyword == "COPY"
        for source in shlex.split(args)[:-1]
    ]
    pins = {"deploy/install.sh", "pyproject.toml", "constraints.txt"}
    assert {source for n, source in sources if n < runs[0]} == pins
    assert {source for n, source in sources if runs[0] < n < runs[1]} == {"README.md", "core", "bot", "storage"}
    deps, project = (shlex.split(BUILDER.instructions[n][1]) for n in runs)
    assert deps[1] == "--deps-only" and project[1] == "--no-deps" and deps[2:] == project[2:]


def test_the_final_image_runs_as_a_non_root_user() -> None:
    (user,) = FINAL.all("USER")
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) != 0 and gid.isdigit() and int(gid) != 0  # numeric: runAsNonRoot can check it
    assert f"--uid {uid}" in FINAL.all("RUN")[0]
    instructions = [keyword for keyword, _ in FINAL.instructions]
    assert "RUN" not in instructions[instructions.index("USER") :]


def test_the_healthcheck_asks_healthz_on_port_and_the_port_is_exposed() -> None:
    command = healthcheck_command(FINAL)
    assert command[:2] == ["python", "-c"] and "/healthz" in command[2] and "PORT" in command[2]
    env = env_instructions(FINAL)
    assert FINAL.all("EXPOSE") == [env["PORT"]] == [str(Settings.model_fields["port"].default)]


def test_the_entrypoint_migrates_then_runs_as_pid_1() -> None:
    (entrypoint,) = exec_form(FINAL.all("ENTRYPOINT")[0])
    copied = {shlex.split(args)[-1]: shlex.split(args)[0] for args in FINAL.all("COPY") if "--from=" not in args}
    script = (ROOT / copied[f"/usr/local/bin/{entrypoint}"]).read_text(encoding="utf-8")
    assert "cusdev db upgrade" in script and 'exec cusdev "$@"' in script
    assert exec_form(FINAL.all("CMD")[0]) == ["run"]


def test_cusdev_settings_in_the_image_are_real_settings_and_sqlite_lives_in_the_users_data_folder() -> None:
    env = env_instructions(FINAL)
    process_only = {"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "MPLCONFIGDIR"}
    assert set(env) - process_only <= setting_names()
    (workdir,) = FINAL.all("WORKDIR")
    assert env["DATABASE_URL"] == f"sqlite:///{workdir}/cusdev.db"
    assert f"chown cusdev:cusdev {workdir}" in FINAL.all("RUN")[0]  # the non-root user can create the database there
    # No VOLUME: under compose (PostgreSQL) it would only leave an anonymous volume behind; SQLite users mount one.
    assert not FINAL.all("VOLUME")


@pytest.mark.parametrize("needed", ["pyproject.toml", "README.md", "constraints.txt", "core/", "bot/", "storage/"])
def test_dockerignore_lets_the_build_inputs_through(needed: str) -> None:
    rules = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert rules[rules.index("*") :].count(f"!{needed}") == 1
