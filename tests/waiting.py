"""Waiting in tests: poll a check until it holds or a deadline passes."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any


async def until(check: Callable[[], Any], what: str, timeout: float = 10.0, every: float = 0.02) -> Any:
    """Call `check` every `every` seconds until it returns something truthy and return that; an awaitable it
    returns is awaited first. Past `timeout` seconds, fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if inspect.isawaitable(found):
            found = await found
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(every)
