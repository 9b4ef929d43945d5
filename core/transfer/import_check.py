"""Checking one imported entry's keys: each value read and validated, what is wrong collected with its key's path."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from core.money import MAX_AMOUNT
from core.transfer.import_csv import currency_code

_CODE = re.compile(r"[Hh][0-9]{1,11}")
T = TypeVar("T")


def _code(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) and _CODE.fullmatch(value) else None


def _currency(value: Any) -> str | None:
    return currency_code(value) if isinstance(value, str) else None


class Check:
    """Reads one entry's keys, collecting what is wrong, each message prefixed with the key's path."""

    def __init__(self, gettext: Callable[[str], str]) -> None:
        self._ = gettext
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        """Note what is wrong at a path (the entry itself when the path is empty)."""
        self.errors.append(f"{path}: {message}" if path else message)

    def value(self, obj: dict[str, Any], key: str, path: str, required: bool) -> Any:
        value = obj.get(key)
        if value is None and required:
            self.fail(path + key, self._("missing"))
        return value

    def text(self, obj: dict[str, Any], key: str, path: str = "", required: bool = False, limit: int = 0) -> str | None:
        value = self.value(obj, key, path, required)
        if value is None:
            return None
        if not isinstance(value, str):
            message = self._("not a string")
        elif required and not value.strip():
            message = self._("empty")
        elif limit and len(value) > limit:
            message = self._("longer than {limit} characters").format(limit=limit)
        else:
            return value
        self.fail(path + key, message)
        return None

    def convert(
        self,
        obj: dict[str, Any],
        key: str,
        read: Callable[[Any], T | None],
        message: str,
        path: str = "",
        required: bool = False,
    ) -> T | None:
        value = self.value(obj, key, path, required)
        result = None if value is None else read(value)
        if value is not None and result is None:
            self.fail(path + key, message)
        return result

    def choice(
        self, obj: dict[str, Any], key: str, choices: Sequence[str], path: str = "", required: bool = True
    ) -> Any:
        message = self._("not one of: {choices}").format(choices=", ".join(choices))
        return self.convert(obj, key, lambda value: value if value in choices else None, message, path, required)

    def currency(self, obj: dict[str, Any], path: str) -> str | None:
        message = self._("not a currency: {value!r}").format(value=obj.get("currency"))
        return self.convert(obj, "currency", _currency, message, path)

    def code(self, obj: dict[str, Any], key: str, path: str = "", required: bool = True) -> str | None:
        return self.convert(obj, key, _code, self._("not a hypothesis code like H3"), path, required)

    def amount(self, obj: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path + key, self._("not a number"))
        elif value < 0 or value > MAX_AMOUNT:
            self.fail(path + key, self._("negative") if value < 0 else self._("too large"))
        else:
            return Decimal(str(value))
        return None

    def section(self, obj: dict[str, Any], key: str) -> dict[str, Any]:
        value = obj.get(key)
        if value is None or isinstance(value, dict):
            return value or {}
        self.fail(key, self._("not an object"))
        return {}

    def items(self, obj: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        value = [] if obj.get(key) is None else obj[key]
        if not isinstance(value, list):
            self.fail(key, self._("not a list"))
            return []
        for index in (i for i, item in enumerate(value) if not isinstance(item, dict)):
            self.fail(f"{key}[{index}]", self._("not an object"))
        return [(f"{key}[{index}].", item) for index, item in enumerate(value) if isinstance(item, dict)]
