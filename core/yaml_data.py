"""YAML data files (scripts, gates): parsing with line numbers, and problems that name file, line and field."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import yaml

from core.i18n import gettext_for

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlProblem:
    """One problem in a data file, located by line and field path."""

    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class YamlInvalid(Exception):
    """A data file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class YamlLocator:
    """Finds the line of a field path in the composed YAML tree."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    def line(self, loc: Loc) -> int:
        """The 1-based line where the field at this path starts (its nearest existing parent otherwise)."""
        node = self.root
        if node is None:
            return 1
        for part in loc:
            child = self._child(node, part)
            if child is not None:
                node = child
        return int(node.start_mark.line) + 1

    @staticmethod
    def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    return value  # type: ignore[no-any-return]
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return node.value[part]  # type: ignore[no-any-return]
        return None


def parse_yaml(text: str, source: str, lang: str = "en") -> tuple[Any, YamlLocator]:
    """The data and a line locator; a syntax error becomes YamlInvalid with its line."""
    _ = gettext_for(lang)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        problem = _("not valid YAML: {problem}").format(problem=exc.problem or exc)
        raise YamlInvalid([YamlProblem(source, line, "", problem)]) from None
    except yaml.YAMLError as exc:
        raise YamlInvalid([YamlProblem(source, 1, "", str(exc))]) from None
    return data, YamlLocator(root)


def dotted(loc: Loc, tags: Collection[str] = ()) -> str:
    """A field path as written in the file: questions[2].kind (pydantic's union tags left out)."""
    parts: list[str] = []
    for index, part in enumerate(loc):
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in tags and index > 0 and isinstance(loc[index - 1], int):
            continue
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts)
