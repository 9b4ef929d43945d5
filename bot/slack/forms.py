"""Core Forms as Slack modals, and a submitted modal's state as the form's values."""

from __future__ import annotations

import json
from typing import Any

from core.messages import Form, FormField

CALLBACK_PREFIX = "cusdev:form:"
VALUE = "value"
MAX_TITLE = 24
MAX_LABEL = 2000
MAX_OPTION = 75
MAX_INPUT = 3000


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": (text if len(text) <= limit else text[: limit - 1] + "…") or "…"}


def _element(field: FormField) -> dict[str, Any]:
    if field.options:
        return {
            "type": "static_select",
            "action_id": VALUE,
            "options": [{"text": _plain(label, MAX_OPTION), "value": value} for value, label in field.options],
        }
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE, "max_length": MAX_INPUT}
    if field.kind == "long_text":
        element["multiline"] = True
    if field.initial:
        element["initial_value"] = field.initial
    return element


def modal(form: Form, cancel: str, channel: str) -> dict[str, Any]:
    """The modal view of a form; `channel` (the person's DM) is where the confirmation goes."""
    blocks = []
    for field in form.fields:
        block: dict[str, Any] = {
            "type": "input",
            "block_id": field.id,
            "optional": field.optional,
            "label": _plain(field.label, MAX_LABEL),
            "element": _element(field),
        }
        if field.hint:
            block["hint"] = _plain(field.hint, MAX_LABEL)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": CALLBACK_PREFIX + form.form_id,
        "title": _plain(form.title, MAX_TITLE),
        "submit": _plain(form.submit, MAX_TITLE),
        "close": _plain(cancel, MAX_TITLE),
        "private_metadata": json.dumps({"channel": channel}),
        "blocks": blocks,
    }


def submitted_values(view: dict[str, Any]) -> dict[str, str]:
    """Field id -> the typed text or the chosen option's value, from a view_submission's state."""
    values: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        action = (actions or {}).get(VALUE) or {}
        selected = action.get("selected_option") or {}
        value = selected.get("value") if selected else action.get("value")
        values[str(block_id)] = str(value or "")
    return values


def metadata_channel(view: dict[str, Any]) -> str | None:
    """The DM channel the modal was opened for."""
    try:
        channel = json.loads(view.get("private_metadata") or "{}").get("channel")
    except (ValueError, AttributeError):
        return None
    return str(channel) if channel else None
