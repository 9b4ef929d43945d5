"""The Russian catalog covers every user-facing string, and core.i18n serves it.

The msgids are extracted fresh from the sources on every run (tools/extract_messages.py), so a string
added to the code or to a YAML script without a translation fails here with the list of what is missing.
Fix: ``python tools/extract_messages.py``, then translate the new entries of
core/locale/ru/LC_MESSAGES/cusdev.po.
"""

from __future__ import annotations

import importlib.util
import io
import re
import string
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import read_po

from core.i18n import gettext_for, ngettext_for, normalize_language
from core.scripts.model import Script

ROOT = Path(__file__).resolve().parents[2]
RU_PO = ROOT / "core" / "locale" / "ru" / "LC_MESSAGES" / "cusdev.po"
FIX = "run `python tools/extract_messages.py` and translate them in core/locale/ru/LC_MESSAGES/cusdev.po"
COMMAND = re.compile(r"(?<![\w/.])/[a-z_]+\b")
BUTTON_LABEL_MAX = 24


def _load_tool() -> ModuleType:
    path = ROOT / "tools" / "extract_messages.py"
    spec = importlib.util.spec_from_file_location("extract_messages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """Every msgid in the sources right now (not the committed .pot)."""
    catalog: Catalog = tool.extract_catalog()
    return catalog


@pytest.fixture(scope="module")
def russian() -> Catalog:
    with RU_PO.open("rb") as handle:
        return read_po(handle, locale="ru")


def _entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _where(message: Message) -> str:
    return ", ".join(sorted({file for file, _line in message.locations}))


def _fields(text: str) -> Counter[tuple[str, str | None, str]]:
    """The replacement fields of a str.format template: name, conversion and format spec."""
    return Counter(
        (name, conversion, spec or "")
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


# --- the extractor --------------------------------------------------------------------------------------
def _python(source: str) -> list[str | tuple[str, ...]]:
    found = extract(tool.extract_python_calls, io.BytesIO(source.encode()), keywords=tool.KEYWORDS)
    return [message for _lineno, message, _comments, _context in found]


def test_extractor_sees_every_marking_style() -> None:
    source = (
        '_("plain")\n'
        'self._("method")\n'
        'N_("marked")\n'
        'n_("one", "many", count)\n'
        'ngettext("apple", "apples", count)\n'
        'gettext_for(lang)("on the spot")\n'
        'ngettext_for(lang)("file", "files", count)\n'
        "line = f\"# {_('inside an f-string')}\"\n"
        "_(variable)\n"
    )
    assert sorted(_python(source), key=str) == sorted(
        [
            "plain",
            "method",
            "marked",
            ("one", "many"),
            ("apple", "apples"),
            "on the spot",
            ("file", "files"),
            "inside an f-string",
        ],
        key=str,
    )


def test_extractor_reads_every_script_field() -> None:
    text = """
id: demo
title: Demo title
description: >-
  Folded
  description.
questions:
  - id: pick
    kind: choice
    prompt: Pick one
    hint: A hint
    options:
      - value: a
        label: Option A
  - id: items
    kind: list
    item_name: thing
    prompt: List them
    fields:
      - id: level
        kind: scale
        prompt: How much?
        labels:
          1: Low
          5: High
"""
    found = {message: (line, comments) for line, message, comments in tool.script_strings(text)}
    assert set(found) == {
        "Demo title",
        "Folded description.",
        "Pick one",
        "A hint",
        "Option A",
        "thing",
        "List them",
        "How much?",
        "Low",
        "High",
    }
    assert found["Option A"][0] == 14
    assert tool.BUTTON_NOTE in found["Option A"][1]
    assert "demo: items.level scale label for 5" in found["High"][1]


def test_extractor_reads_gate_labels() -> None:
    text = """
creation:
  - id: funnel
    check: funnel_logged
  - id: channels
    check: manual
    label: Channels chosen
validation:
  - id: pull
    check: any_of
    any:
      - check: manual
        label: Nested label
"""
    found = {message: comments for _line, message, comments in tool.gates_strings(text)}
    assert found == {
        "Channels chosen": ("gate item creation.channels",),
        "Nested label": ("gate item validation.pull",),
    }


def test_extraction_covers_code_and_scripts(extracted: Catalog) -> None:
    files = {file for message in _entries(extracted) for file, _line in message.locations}
    assert any(file.startswith("core/scripts/") and file.endswith(".yaml") for file in files)
    assert any(file.startswith("core/") and file.endswith(".py") for file in files)
    assert "Language set to English." in extracted


# --- the Russian catalog --------------------------------------------------------------------------------
def test_every_msgid_has_a_russian_translation(extracted: Catalog, russian: Catalog) -> None:
    missing = []
    for message in _entries(extracted):
        translated = russian.get(message.id)
        strings = _strings(translated.string) if translated is not None else []
        expected = russian.num_plurals if message.pluralizable else 1
        if len(strings) < expected or not all(s.strip() for s in strings):
            missing.append(f"{message.id!r}  ({_where(message)})")
    assert not missing, f"{len(missing)} strings have no Russian translation; {FIX}:\n" + "\n".join(missing)


def test_no_fuzzy_entries(russian: Catalog) -> None:
    fuzzy = [f"{m.id!r}  ({_where(m)})" for m in _entries(russian) if m.fuzzy]
    assert not fuzzy, "fuzzy translations are not used at runtime; review them and drop the flag:\n" + "\n".join(fuzzy)
    assert not russian.fuzzy, "the .po header is marked fuzzy"


def test_russian_plural_forms(russian: Catalog) -> None:
    """Three forms (1 вопрос, 2 вопроса, 5 вопросов), chosen by core.i18n.ngettext_for."""
    assert russian.num_plurals == 3
    assert russian.plural_forms.startswith("nplurals=3;")
    n_ = ngettext_for("ru")
    for message in _entries(russian):
        if message.pluralizable and not message.fuzzy:
            one, few, many = _strings(message.string)
            singular, plural = _strings(message.id)
            assert [n_(singular, plural, n) for n in (1, 2, 5, 11, 21, 22)] == [one, few, many, many, one, few]


@pytest.mark.parametrize("check", ["placeholders", "newlines", "commands"])
def test_translations_keep_the_machinery(russian: Catalog, check: str) -> None:
    """Placeholders ({name}, {id!r}), line breaks and /commands survive translation unchanged."""
    wrong = []
    for message in _entries(russian):
        sources = _strings(message.id)
        for translation in filter(None, _strings(message.string)):
            source = sources[-1] if message.pluralizable else sources[0]
            try:
                if check == "placeholders":
                    same = _fields(translation) == _fields(source) or (
                        message.pluralizable and _fields(translation) == _fields(sources[0])
                    )
                elif check == "newlines":
                    same = translation.count("\n") == source.count("\n")
                else:
                    same = sorted(COMMAND.findall(translation)) == sorted(COMMAND.findall(source))
            except ValueError as exc:  # an unbalanced brace
                same, translation = False, f"{translation!r}: {exc}"
            if not same:
                wrong.append(f"{message.id!r}\n    -> {translation!r}")
    assert not wrong, f"translations whose {check} differ from the English:\n" + "\n".join(wrong)


def test_script_option_labels_fit_on_a_button(extracted: Catalog, russian: Catalog) -> None:
    too_long = []
    for message in _entries(extracted):
        translated = russian.get(message.id)
        if tool.BUTTON_NOTE in message.auto_comments and translated is not None and translated.string:
            label = str(translated.string)
            if len(label) > BUTTON_LABEL_MAX:
                too_long.append(f"{message.id!r} -> {label!r} ({len(label)} characters)")
    assert not too_long, f"button labels over {BUTTON_LABEL_MAX} characters:\n" + "\n".join(too_long)


# --- core.i18n at runtime -------------------------------------------------------------------------------
def test_gettext_for_russian_translates_known_strings(russian: Catalog, scripts: dict[str, Script]) -> None:
    _ = gettext_for("ru")
    prompt = scripts["discovery"].questions[0].prompt
    assert _(prompt) == russian[prompt].string != prompt
    assert _("Language set to English.") == "Язык: русский."
    assert _("Please answer yes or no.") == russian["Please answer yes or no."].string
    assert _("a string nobody marked") == "a string nobody marked"
    assert gettext_for("en")(prompt) == prompt


def test_engine_speaks_russian(convo: Any, scripts: dict[str, Script]) -> None:
    convo.send("/lang ru")
    assert "Язык: русский." in convo.text
    convo.send("/interview quick")
    _ = gettext_for("ru")
    script = scripts["quick"]
    assert _(script.title) in convo.text and script.title not in convo.text
    assert _(script.questions[0].prompt) in convo.text


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("ru-RU", "ru"),
        ("ru_RU", "ru"),
        ("RU", "ru"),
        ("en-GB", "en"),
        ("en", "en"),
        (None, "en"),
        ("", "en"),
        ("de", "en"),
    ],
)
def test_normalize_language(locale: str | None, language: str) -> None:
    assert normalize_language(locale) == language
