"""Imports point inward: core is pure; bot and storage meet only in the composition root."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = {
    "telegram",
    "slack_bolt",
    "slack_sdk",
    "sqlmodel",
    "sqlalchemy",
    "apscheduler",
    "aiohttp",
    "httpx",
    "psycopg",
    "alembic",
    "bot",
    "storage",
}
COMPOSITION_ROOT = {"bot/bootstrap.py"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("core"), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_imports_no_platform_or_database_library(path: Path) -> None:
    assert not imported_roots(path) & FORBIDDEN_IN_CORE


@pytest.mark.parametrize("path", python_files("storage"), ids=lambda p: str(p.relative_to(ROOT)))
def test_storage_never_imports_bot(path: Path) -> None:
    assert "bot" not in imported_roots(path)


@pytest.mark.parametrize("path", python_files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_reaches_storage_only_through_the_composition_root(path: Path) -> None:
    if str(path.relative_to(ROOT)) in COMPOSITION_ROOT:
        assert "storage" in imported_roots(path)
    else:
        assert "storage" not in imported_roots(path)


def test_the_checks_see_real_files() -> None:
    assert len(python_files("core")) >= 10 and python_files("bot") and python_files("storage")
    assert "yaml" in imported_roots(ROOT / "core" / "yaml_data.py")
