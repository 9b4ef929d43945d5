"""The Block Kit limits the real Slack enforces (answered as `invalid_blocks`, as Slack does)."""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_ELEMENTS = 25
MAX_TEXT = 40_000
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000


def block_problem(blocks: Any, max_blocks: int = MAX_BLOCKS) -> str | None:
    """Why Slack would refuse these blocks, or None when it would take them."""
    if blocks is None:
        return None
    if not isinstance(blocks, list):
        return "blocks must be a list"
    if len(blocks) > max_blocks:
        return f"more than {max_blocks} blocks ({len(blocks)})"
    action_ids: set[str] = set()
    for number, block in enumerate(blocks):
        kind = block.get("type")
        text = block.get("text")
        if kind == "section":
            if text is None and not block.get("fields"):
                return f"block {number}: a section needs text or fields"
            if text is not None and not (0 < len(text.get("text", "")) <= MAX_SECTION_TEXT):
                return f"block {number}: section text of {len(text.get('text', ''))} characters"
            fields = block.get("fields") or []
            if len(fields) > MAX_FIELDS or any(len(f.get("text", "")) > MAX_FIELD_TEXT for f in fields):
                return f"block {number}: too many or too long fields"
        elif kind == "header":
            if text is None or text.get("type") != "plain_text" or len(text.get("text", "")) > MAX_HEADER:
                return f"block {number}: a header is plain text of at most {MAX_HEADER} characters"
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 0 < len(elements) <= MAX_ELEMENTS:
                return f"block {number}: {len(elements)} elements"
            for element in elements:
                if len(element.get("text", {}).get("text", "")) > MAX_BUTTON_TEXT:
                    return f"block {number}: button text over {MAX_BUTTON_TEXT}"
                for key, limit in (("value", MAX_BUTTON_VALUE), ("url", MAX_URL)):
                    if key in element and not 0 < len(str(element[key])) <= limit:
                        return f"block {number}: a button's {key} must be 1 to {limit} characters"
                action_id = element.get("action_id")
                if action_id in action_ids:
                    return f"block {number}: duplicate action_id {action_id}"
                action_ids.add(action_id)
        elif kind == "context":
            if not block.get("elements"):
                return f"block {number}: a context needs elements"
        elif kind not in ("divider", "image", "input"):
            return f"block {number}: unknown type {kind!r}"
    return None
