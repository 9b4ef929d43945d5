"""The image's builder stage replayed on this machine: its COPY and RUN lines, into a clean virtualenv."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from tests.deploy.deploy_files import ROOT, dockerfile_stages


@dataclass(frozen=True)
class Installed:
    """What the builder stage left: a filesystem root standing in for the image's, and the virtualenv in it."""

    root: Path
    venv: Path

    def env(self, **settings: str) -> dict[str, str]:
        """The final image's process environment: the venv first on PATH, no checkout, only the settings given."""
        keep = {key: value for key, value in os.environ.items() if key in {"HOME", "LANG", "LC_ALL", "TMPDIR"}}
        path = f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"
        return {**keep, "PATH": path, "PYTHONDONTWRITEBYTECODE": "1", **settings}


def _inside(root: Path, workdir: PurePosixPath, target: str) -> Path:
    """Where an image path lands under the stand-in root (relative paths are from the WORKDIR)."""
    path = PurePosixPath(target) if target.startswith("/") else workdir / target
    return root / path.relative_to("/")


def replay_builder(root: Path) -> tuple[PurePosixPath, PurePosixPath]:
    """Run the Dockerfile's first stage here: WORKDIR, COPY and RUN, the RUN's image paths mapped under root.

    Its ENV is left out on purpose (PIP_NO_CACHE_DIR keeps the image small; here pip's cache saves a minute).
    Returns the stage's WORKDIR and the folder the install step filled (the virtualenv the final stage copies).
    """
    builder = dockerfile_stages()[0]
    workdir = PurePosixPath("/")
    runs: list[list[str]] = []
    for keyword, args in builder.instructions:
        if keyword == "WORKDIR":
            workdir = PurePosixPath(args)
        elif keyword == "COPY":
            *sources, target = shlex.split(args)
            destination = _inside(root, workdir, target)
            for source in sources:
                origin = ROOT / source
                into = destination / origin.name if target.endswith("/") and origin.is_file() else destination
                into.parent.mkdir(parents=True, exist_ok=True)
                if origin.is_dir():
                    shutil.copytree(origin, into, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                else:
                    shutil.copy2(origin, into)
        elif keyword == "RUN":
            runs.append(shlex.split(args))
    assert len(runs) == 1, "the builder stage runs one install step"
    (command,) = runs
    program = root / "usr/local/bin" / command[0]
    arguments = [str(_inside(root, workdir, word)) if word.startswith("/") else word for word in command[1:]]
    env = {**os.environ, "PYTHON": sys.executable}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(program), *arguments], env=env, cwd=root, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return workdir, PurePosixPath(command[-1])


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The builder stage's virtualenv; the source tree is removed afterwards, as the final image has none."""
    root = tmp_path_factory.mktemp("image")
    workdir, venv = replay_builder(root)
    shutil.rmtree(_inside(root, PurePosixPath("/"), str(workdir)))
    yield Installed(root, _inside(root, PurePosixPath("/"), str(venv)))
