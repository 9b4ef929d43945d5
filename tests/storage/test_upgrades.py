"""Upgrades from every earlier revision: a database left at any revision (with a little data) upgrades to head, and
its schema is then the schema a new database gets at head (tables, columns, indexes, unique and foreign keys).

The revisions are read from the migrations folder (a new one is tested without touching this file); runs on SQLite
and on PostgreSQL, each case on a database of its own. Migrations are forward-only in production: go back by
restoring the backup taken before upgrading (see the README's "Backups and upgrades").
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, create_engine, func, inspect, select

from storage.database import alembic_config, current_revision, normalize_url, upgrade
from storage.sql_storage import SqlStorage

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("team", {"id": 1, "slug": "acme", "name": "Acme", "language": "en", "timezone": "UTC", "created_at": AT}),
    (
        "member",
        {"id": 1, "team_id": 1, "platform": "telegram", "user_key": "42", "display_name": "Alice", "role": "owner",
         "created_at": AT},
    ),
    (
        "interview",
        {"id": "iv1", "team_id": 1, "member_id": 1, "script": "quick", "script_version": 1, "lang": "en",
         "status": "completed", "started_at": AT, "completed_at": AT, "alias": "Maria", "segment": "Clinics"},
    ),
    ("answer", {"interview_id": "iv1", "question_id": "alias", "value": "Maria", "updated_at": AT}),
    ("item", {"id": 1, "interview_id": "iv1", "kind": "pain", "position": 0, "text": "Chaos", "severity": 4}),
    (
        "hypothesis",
        {"id": 1, "team_id": 1, "code": "H1", "number": 1, "statement": "Clinics lose hours", "status": "testing",
         "created_at": AT},
    ),
    (
        "evidence",
        {"id": 1, "interview_id": "iv1", "team_id": 1, "happened_at": AT, "alias": "Maria", "hypothesis_id": 1,
         "hypothesis_code": "H1", "stance": "supports", "strength": "medium"},
    ),
    ("processed_event", {"event_id": "telegram:1", "processed_at": AT}),
    (
        "outbox",
        {"id": 1, "platform": "telegram", "tenant": "", "chat": "42", "payload": {"text": "hi"}, "created_at": AT,
         "sent_at": AT},
    ),
]  # fmt: skip
"""A little of everything, as old code wrote it; a row goes in only where its table takes it as given (an item's
key columns, added in 0005, are computed by that migration, so items go in before it only)."""


def revisions() -> list[str]:
    """Every revision in the migrations folder, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def write_old_rows(url: str) -> list[str]:
    """Insert the rows the schema at this revision takes; the names of the tables written."""
    engine = create_engine(normalize_url(url))
    written = []
    try:
        with engine.begin() as connection:
            found = inspect(connection)
            for name, row in ROWS:
                if not found.has_table(name):
                    continue
                columns = found.get_columns(name)
                required = {
                    c["name"]
                    for c in columns
                    if not c["nullable"] and c.get("default") is None and not c.get("autoincrement")
                }
                values = {key: value for key, value in row.items() if key in {c["name"] for c in columns}}
                if required - set(values) - set(found.get_pk_constraint(name)["constrained_columns"]):
                    continue
                connection.execute(Table(name, MetaData(), autoload_with=connection).insert(), values)
                written.append(name)
    finally:
        engine.dispose()
    return written


def schema(url: str) -> dict[str, Any]:
    """Tables with their columns (and nullability), indexes, unique constraints and foreign keys."""
    engine = create_engine(normalize_url(url))
    try:
        found = inspect(engine)
        return {
            table: {
                "columns": sorted((c["name"], c["nullable"]) for c in found.get_columns(table)),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(table)
                ),
                "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
                "foreign": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"]) for f in found.get_foreign_keys(table)
                ),
            }
            for table in sorted(found.get_table_names())
        }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def head_sqlite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The schema a new SQLite database gets at head."""
    url = f"sqlite:///{tmp_path_factory.mktemp('head') / 'head.db'}"
    upgrade(url)
    return schema(url)


def test_the_revisions_are_found_in_order() -> None:
    found = revisions()
    assert found[0] == "0001" and len(found) >= 14 and found == sorted(found)
    assert found[-1] == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


@pytest.mark.parametrize("revision", revisions())
async def test_a_database_at_any_revision_upgrades_to_the_head_schema_with_its_data(
    revision: str, empty_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    upgrade(empty_url, revision)
    assert current_revision(empty_url) == revision
    written = write_old_rows(empty_url)
    assert {"team", "member", "interview", "processed_event", "outbox"} <= set(written)
    upgrade(empty_url)
    head = revisions()[-1]
    assert current_revision(empty_url) == head
    fresh = request.getfixturevalue("head_sqlite" if empty_url.startswith("sqlite") else "postgres_database")
    assert schema(empty_url) == (fresh if isinstance(fresh, dict) else schema(fresh))
    engine = create_engine(normalize_url(empty_url))
    with engine.connect() as connection:
        kept = {
            name: connection.execute(
                select(func.count()).select_from(Table(name, MetaData(), autoload_with=connection))
            ).scalar_one()
            for name in written
        }
    engine.dispose()
    assert kept == dict.fromkeys(written, 1)
    storage = SqlStorage(empty_url)  # today's code reads what the old code wrote
    try:
        data = await storage.export_data("acme")
        [team] = data.teams
        assert [person.name for person in team.people] == ["Alice"]
        assert [i.record.alias for i in data.interviews] == ["Maria"]
        assert (await storage.board(1, AT, "en")).team.name == "Acme"
    finally:
        await storage.close()
