"""The image's builder stage replayed on this machine: its COPY and RUN lines, into a clean virtualenv."""

from __future__ import annotations

import json
import os
import re
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
    """What the builder stage left: a filesystem root standing in for the image's, the virtualenv in it, and the
    distributions (name -> version) the virtualenv held after each RUN of the stage."""

    root: Path
    venv: Path
    layers: list[dict[str, str]]

    def env(self, **settings: str) -> dict[str, str]:
        """The final image's process environment: the venv first on PATH, no checkout, only the settings given."""
        keep = {key: value for key, value in os.environ.items() if key in {"HOME", "LANG", "LC_ALL", "TMPDIR"}}
        path = f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"
        return {**keep, "PATH": path, "PYTHONDONTWRITEBYTECODE": "1", **settings}


def _inside(root: Path, workdir: PurePosixPath, target: str) -> Path:
    """Where an image path lands under the stand-in root (relative paths are from the WORKDIR)."""
    path = PurePosixPath(target) if target.startswith("/") else workdir / target
    return root / path.relative_to("/")


def _copy(root: Path, workdir: PurePosixPath, args: str) -> None:
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


def distributions(venv: Path) -> dict[str, str]:
    """Every distribution installed in a virtualenv, by normalized name, with its version."""
    listing = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {normalized(entry["name"]): entry["version"] for entry in json.loads(listing.stdout)}


def normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def replay_builder(root: Path) -> tuple[PurePosixPath, PurePosixPath, list[dict[str, str]]]:
    """Run the Dockerfile's first stage here, in order: WORKDIR, COPY and RUN, the RUN's image paths mapped under root.

    Each RUN sees only what the COPY lines before it brought, as in a real build. Its ENV is left out on purpose
    (PIP_NO_CACHE_DIR keeps the image small; here pip's cache saves a minute). Returns the stage's WORKDIR, the
    folder its install steps filled (the virtualenv the final stage copies), and what that held after each RUN.
    """
    workdir = PurePosixPath("/")
    venvs: set[PurePosixPath] = set()
    layers: list[dict[str, str]] = []
    env = {**os.environ, "PYTHON": sys.executable}
    env.pop("PYTHONPATH", None)
    for keyword, args in dockerfile_stages()[0].instructions:
        if keyword == "WORKDIR":
            workdir = PurePosixPath(args)
        elif keyword == "COPY":
            _copy(root, workdir, args)
        elif keyword == "RUN":
            command = shlex.split(args)
            program = root / "usr/local/bin" / command[0]
            arguments = [str(_inside(root, workdir, word)) if word.startswith("/") else word for word in command[1:]]
            done = subprocess.run(
                [str(program), *arguments], env=env, cwd=root, capture_output=True, text=True, timeout=900
            )
            assert done.returncode == 0, f"RUN {args}: " + done.stdout[-3000:] + done.stderr[-3000:]
            venvs.add(PurePosixPath(command[-1]))
            layers.append(distributions(_inside(root, workdir, command[-1])))
    (venv,) = venvs  # every install step fills the one virtualenv
    return workdir, venv, layers


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The builder stage's virtualenv; the source tree is removed afterwards, as the final image has none."""
    root = tmp_path_factory.mktemp("image")
    workdir, venv, layers = replay_builder(root)
    shutil.rmtree(_inside(root, PurePosixPath("/"), str(workdir)))
    yield Installed(root, _inside(root, PurePosixPath("/"), str(venv)), layers)
