"""Reading the files in deploy/ as their tools would: the Dockerfile's stages, env files, YAML manifests."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
ENV_EXAMPLE = DEPLOY / ".env.example"
COMPOSE = DEPLOY / "compose.yaml"
K8S = DEPLOY / "k8s"
SYSTEMD_UNIT = DEPLOY / "systemd" / "cusdev.service"

COMPOSE_ONLY = frozenset({"POSTGRES_PASSWORD"})
"""Read by compose.yaml's interpolation (the bundled database's password), never by cusdev."""


def setting_names() -> frozenset[str]:
    """Every environment variable cusdev's Settings reads."""
    return frozenset(name.upper() for name in Settings.model_fields)


@dataclass
class Stage:
    """One FROM ... stage of a Dockerfile: its base, its name and its instructions in order."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        """The arguments of every instruction with this keyword."""
        return [args for kw, args in self.instructions if kw == keyword]


def dockerfile_stages(path: Path = DOCKERFILE) -> list[Stage]:
    """The Dockerfile's stages, with continuation lines joined and comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        else:
            stages[-1].instructions.append((keyword, args))
    return stages


def exec_form(args: str) -> list[str]:
    """An instruction's JSON (exec) form as a list of words."""
    words = json.loads(args)
    assert isinstance(words, list), args
    return [str(word) for word in words]


def healthcheck_command(stage: Stage) -> list[str]:
    """The HEALTHCHECK's CMD in exec form (options before CMD dropped)."""
    (healthcheck,) = stage.all("HEALTHCHECK")
    _, _, command = healthcheck.partition("CMD ")
    return exec_form(command)


def env_instructions(stage: Stage) -> dict[str, str]:
    """Every ENV KEY=value of a stage."""
    values: dict[str, str] = {}
    for args in stage.all("ENV"):
        for word in shlex.split(args):
            key, _, value = word.partition("=")
            values[key] = value
    return values


ENV_LINE = re.compile(r"^(?P<commented>#\s?)?(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def env_file_entries(path: Path = ENV_EXAMPLE) -> dict[str, tuple[str, bool]]:
    """Each KEY=value line of an env file, commented out or not: key -> (value, active)."""
    entries: dict[str, tuple[str, bool]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line)
        if match:
            entries[match["key"]] = (match["value"], match["commented"] is None)
    return entries


def yaml_documents(path: Path) -> list[dict[str, Any]]:
    """Every non-empty YAML document in a file."""
    with path.open(encoding="utf-8") as stream:
        return [doc for doc in yaml.safe_load_all(stream) if doc]


def k8s_files() -> list[Path]:
    """Every manifest in deploy/k8s: the applied ones, the migration Job and the Secret example."""
    return sorted([*K8S.glob("*.yaml"), *K8S.glob("*.yaml.example"), *(K8S / "migrate").glob("*.yaml")])


def k8s_objects() -> dict[tuple[str, str], dict[str, Any]]:
    """The manifests' objects by (kind, name)."""
    objects: dict[tuple[str, str], dict[str, Any]] = {}
    for path in k8s_files():
        for doc in yaml_documents(path):
            objects[(doc["kind"], doc["metadata"]["name"])] = doc
    return objects
