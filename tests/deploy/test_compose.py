"""deploy/compose.yaml, checked offline: the Compose Specification's schema, then what the schema cannot see
(references between services, volumes and files; the bot's resolved environment as cusdev reads it)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.settings import Settings
from storage.database import normalize_url
from tests.deploy.deploy_files import (
    COMPOSE,
    COMPOSE_ONLY,
    DOCKERFILE,
    dockerfile_stages,
    env_file_entries,
    setting_names,
    yaml_documents,
)

SCHEMA = json.loads((Path(__file__).parent / "compose-spec.json").read_text(encoding="utf-8"))
VARIABLE = re.compile(r"\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def compose() -> dict[str, Any]:
    (document,) = yaml_documents(COMPOSE)
    return document


def schema_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)]


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR} and ${VAR:-default}, from the project's .env."""
    return VARIABLE.sub(lambda m: variables.get(m["name"]) or (m["default"] or ""), value)


def test_compose_file_is_valid_under_the_compose_specification() -> None:
    assert schema_errors(compose()) == []


@pytest.mark.parametrize(
    "break_it",
    [
        lambda doc: doc["services"]["bot"].update(helthcheck={}),
        lambda doc: doc["services"]["bot"]["depends_on"]["db"].update(condition="service_healty"),
        lambda doc: doc["services"]["db"]["healthcheck"].update(interval=5),
    ],
    ids=["misspelt key", "unknown condition", "interval without unit"],
)
def test_the_schema_check_catches_a_broken_file(break_it: Any) -> None:
    document = copy.deepcopy(compose())
    break_it(document)
    assert schema_errors(document)


def test_references_between_services_volumes_and_files_hold() -> None:
    document = compose()
    services, volumes = document["services"], document.get("volumes", {})
    for service in services.values():
        assert set(service.get("depends_on", {})) <= set(services)
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            assert source.startswith((".", "/")) or source in volumes, source
        env_file = COMPOSE.parent / service.get("env_file", ".env")
        assert env_file.with_name(env_file.name + ".example").is_file()  # the founder copies it to .env
    build = services["bot"]["build"]
    assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE


def test_postgres_keeps_its_data_on_a_named_volume_and_the_bot_waits_until_it_is_healthy() -> None:
    db, bot = compose()["services"]["db"], compose()["services"]["bot"]
    assert db["image"].startswith("postgres:16")
    assert any(mount.endswith(":/var/lib/postgresql/data") for mount in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_the_bot_gets_a_valid_configuration_from_env_example_and_compose(monkeypatch: pytest.MonkeyPatch) -> None:
    # As compose resolves it: .env (the example with its token line filled) under the service's `environment`.
    env_lines = {key: value for key, (value, active) in env_file_entries().items() if active}
    env_lines["TELEGRAM_BOT_TOKEN"] = "123:abc"
    bot = compose()["services"]["bot"]
    environment = {key: interpolate(str(value), env_lines) for key, value in bot["environment"].items()}
    assert set(environment) <= setting_names()
    for key in setting_names():
        monkeypatch.delenv(key, raising=False)
    for key, value in {**env_lines, **environment}.items():
        monkeypatch.setenv(key, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert normalize_url(settings.database_url) == "postgresql+psycopg://cusdev:cusdev@db:5432/cusdev"
    db = compose()["services"]["db"]["environment"]
    assert interpolate(db["POSTGRES_PASSWORD"], env_lines) == "cusdev" and db["POSTGRES_DB"] == "cusdev"
    (exposed,) = dockerfile_stages()[-1].all("EXPOSE")
    (published,) = bot["ports"]
    assert published.rsplit(":", 1)[1] == str(settings.port) == exposed


def test_every_variable_compose_interpolates_is_documented_in_env_example() -> None:
    used = {match["name"] for match in VARIABLE.finditer(COMPOSE.read_text(encoding="utf-8"))}
    assert used and used <= COMPOSE_ONLY | setting_names()
    assert used <= set(env_file_entries())
