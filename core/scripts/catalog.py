"""The interview scripts that ship with cusdev, plus any a team adds."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from core.scripts.loader import load_script_text
from core.scripts.model import Script

BUILTIN = ("discovery", "validation", "quick")


@lru_cache(maxsize=1)
def builtin_scripts() -> dict[str, Script]:
    """The shipped scripts, validated once."""
    folder = resources.files("core").joinpath("scripts")
    scripts = {}
    for name in BUILTIN:
        text = folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8")
        scripts[name] = load_script_text(text, f"core/scripts/{name}.yaml")
    return scripts


def with_extra(extra: Iterable[Script]) -> dict[str, Script]:
    """The shipped scripts plus team scripts; a team script may replace a shipped one by id."""
    scripts = dict(builtin_scripts())
    for script in extra:
        scripts[script.id] = script
    return scripts
