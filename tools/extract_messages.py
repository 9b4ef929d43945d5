"""Extract every user-facing string into core/locale/cusdev.pot and merge it into each language's .po.

Run it from anywhere after adding, changing or removing a string:

    python tools/extract_messages.py            # write the .pot and update the .po files
    python tools/extract_messages.py --check    # write nothing; exit 1 if anything is stale or untranslated

Sources:

* Python under core/ and bot/: ``_("...")`` (also ``self._("...")``), ``N_("...")``, ``gettext("...")``,
  ``ngettext("one", "many", n)`` / ``n_("one", "many", n)``, and the one-shot forms
  ``gettext_for(lang)("...")`` / ``ngettext_for(lang)("one", "many", n)`` that Babel's tokenizer misses.
  A ``# TRANSLATORS: ...`` comment right above a call reaches the translator.
* Interview scripts core/scripts/*.yaml: the script ``title`` and ``description``; every question's
  ``prompt``, ``short``, ``hint`` and ``item_name``; option ``label``s; scale ``labels`` values; the same inside
  list ``fields``.
* The default exit gates core/board/gates.yaml: the ``label`` of each (manual) gate item.

Merging follows ``Catalog.update``: translations are kept, new msgids are added untranslated, msgids
that left the sources are kept as obsolete (``#~``) entries and come back translated if the string
returns; near matches of a reworded string are pre-filled and marked fuzzy for review. Files are written
sorted by msgid, without line numbers and without re-wrapping, and only when something besides the
dates changed, so diffs show real changes only.

As a library: ``extract_catalog()`` returns the template catalog, fresh from the sources.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tomllib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import yaml
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PYTHON_PACKAGES = ("core", "bot")
SCRIPTS_DIR = ROOT / "core" / "scripts"
GATES_FILE = ROOT / "core" / "board" / "gates.yaml"
LOCALE_DIR = ROOT / "core" / "locale"
DOMAIN = "cusdev"
SOURCE_LANGUAGE = "en"
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"

KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "n_": (1, 2),  # n_ = ngettext_for(lang)
}
"""Call names whose string arguments are msgids (Babel matches the last name, so ``self._`` counts)."""

CATALOG_FACTORIES = {"gettext_for": "_", "ngettext_for": "n_"}
"""Functions returning a gettext function that may be called on the spot, and the keyword that call acts as."""

COMMENT_TAGS = ("TRANSLATORS:",)

QUESTION_STRINGS = ("prompt", "short", "hint", "item_name")
"""Translatable keys of a question (and of a list field, which is a question too)."""

BUTTON_NOTE = "button label: at most about 24 characters"

HEADER_COMMENT = """\
# Translations for cusdev: the customer-interview bot for founders.
# English is the source language: every msgid is the English text.
# Regenerate with `python tools/extract_messages.py`; never edit cusdev.pot by hand.
#"""

_DATE_HEADER = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)


# --- extraction -----------------------------------------------------------------------------------------
def extract_catalog() -> Catalog:
    """The template catalog: every msgid in core/, bot/ and the interview scripts, read fresh."""
    catalog = _new_catalog(locale=None)
    for package in PYTHON_PACKAGES:
        directory = ROOT / package
        if not directory.is_dir():
            continue
        found = extract_from_dir(
            directory,
            method_map=PYTHON_METHOD_MAP,
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            location = f"{package}/{Path(filename).as_posix()}"
            catalog.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    for path in sorted(SCRIPTS_DIR.glob("*.yaml")):
        location = path.relative_to(ROOT).as_posix()
        for lineno, msgid, notes in script_strings(path.read_text(encoding="utf-8")):
            catalog.add(msgid, None, [(location, lineno)], auto_comments=notes)
    if GATES_FILE.exists():
        location = GATES_FILE.relative_to(ROOT).as_posix()
        for lineno, msgid, notes in gates_strings(GATES_FILE.read_text(encoding="utf-8")):
            catalog.add(msgid, None, [(location, lineno)], auto_comments=notes)
    return catalog


def extract_python_calls(
    fileobj: IO[bytes], keywords: Any, comment_tags: Sequence[str], options: Any
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extractor, plus two kinds of call its tokenizer cannot see (found with ast).

    * ``gettext_for(lang)("...")`` and ``ngettext_for(lang)("one", "many", n)``;
    * keyword calls inside f-strings before Python 3.12: ``f"# {_('Customer interviews')}"``.

    A call both extractors report is merged by the catalog (same msgid, same location).
    """
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    tree = ast.parse(source)
    in_fstrings = {
        id(node) for joined in ast.walk(tree) if isinstance(joined, ast.JoinedStr) for node in ast.walk(joined)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Call) and _name(node.func.func) in CATALOG_FACTORIES:
            funcname = CATALOG_FACTORIES[_name(node.func.func)]
        elif id(node) in in_fstrings and _name(node.func) in keywords:
            funcname = _name(node.func)
        else:
            continue
        args = tuple(
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args
        )
        if args:
            yield node.lineno, funcname, args[0] if len(args) == 1 else args, []


PYTHON_METHOD_MAP: list[tuple[str, Any]] = [("**.py", extract_python_calls)]


def _name(node: ast.expr) -> str:
    """The called name: ``_`` for ``_(...)`` and for ``self._(...)``."""
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def script_strings(text: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, msgid, translator comments) for every user-facing string of one YAML interview script."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return
    script = _mapping(root)
    script_id = _scalar(script.get("id")) or "?"
    for key in ("title", "description"):
        yield from _string(script.get(key), f"{script_id}: script {key}")
    questions = script.get("questions")
    if isinstance(questions, yaml.SequenceNode):
        for node in questions.value:
            yield from _question_strings(node, f"{script_id}: ")


def _question_strings(node: yaml.Node, prefix: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """The strings of a question, then those of its list fields (named like "pains.severity")."""
    if not isinstance(node, yaml.MappingNode):
        return
    question = _mapping(node)
    where = prefix + (_scalar(question.get("id")) or "?")
    for key in QUESTION_STRINGS:
        notes = (f"{where} {key}", BUTTON_NOTE) if key == "short" else (f"{where} {key}",)
        yield from _string(question.get(key), *notes)
    options = question.get("options")
    if isinstance(options, yaml.SequenceNode):
        for option in options.value:
            if isinstance(option, yaml.MappingNode):
                entry = _mapping(option)
                value = _scalar(entry.get("value")) or "?"
                yield from _string(entry.get("label"), f"{where} option {value}", BUTTON_NOTE)
    labels = question.get("labels")
    if isinstance(labels, yaml.MappingNode):
        for key, value in labels.value:
            yield from _string(value, f"{where} scale label for {key.value}")
    fields = question.get("fields")
    if isinstance(fields, yaml.SequenceNode):
        for field in fields.value:
            yield from _question_strings(field, f"{where}.")


def gates_strings(text: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, msgid, translator comments) for the ``label`` of every gate item (manual checks), at any depth."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)

    def walk(node: yaml.Node | None, where: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                yield from walk(child, where)
        elif isinstance(node, yaml.MappingNode):
            entry = _mapping(node)
            item_id = _scalar(entry.get("id"))
            here = f"{where}.{item_id}" if item_id else where
            yield from _string(entry.get("label"), f"gate item {here}")
            for key, child in entry.items():
                if key != "label":  # top-level keys are phase names: "creation.scalable_channels"
                    yield from walk(child, here if item_id or where else key)

    yield from walk(root, "")


def _mapping(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(key.value): value for key, value in node.value}


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _string(node: yaml.Node | None, *comments: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """A translatable string scalar (already folded by the composer) with its line."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value.strip():
        yield node.start_mark.line + 1, node.value, comments


# --- catalogs on disk -----------------------------------------------------------------------------------
def _new_catalog(locale: str | None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        header_comment=HEADER_COMMENT,
        project=DOMAIN,
        version=_project_version(),
        copyright_holder="cusdev contributors",
        msgid_bugs_address="",
        last_translator="cusdev team",
        language_team=f"{Locale.parse(locale).english_name} <cusdev team>" if locale else "LANGUAGE <cusdev team>",
        fuzzy=False,
    )


def _project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def languages() -> list[str]:
    """Target languages: every core/locale/<lang>/ directory plus the supported languages of core.i18n."""
    found = {path.name for path in LOCALE_DIR.iterdir() if (path / "LC_MESSAGES").is_dir()}
    try:
        sys.path.insert(0, str(ROOT))
        from core.i18n import LANGUAGES

        found.update(LANGUAGES)
    except ImportError:
        pass
    finally:
        sys.path.remove(str(ROOT))
    return sorted(found - {SOURCE_LANGUAGE})


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def render(catalog: Catalog, template: bool = False) -> bytes:
    """The catalog as stable .po/.pot text: sorted, unwrapped, file-level locations only.

    No "#| msgid" lines for fuzzy entries: read_po cannot read them back (they would turn into comments).
    """
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=0,
        sort_output=True,
        include_lineno=False,
        ignore_obsolete=template,
    )
    return buffer.getvalue()


def _same_but_dates(new: bytes, path: Path) -> bool:
    return path.exists() and _DATE_HEADER.sub(b"", new) == _DATE_HEADER.sub(b"", path.read_bytes())


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def merge(template: Catalog, lang: str) -> Catalog:
    """The language's catalog updated to the template (Catalog.update), obsolete entries revived if back."""
    path = po_path(lang)
    if not path.exists():
        catalog = _new_catalog(locale=lang)
    else:
        catalog = read_catalog(path, locale=lang)
        for message in [*catalog, *catalog.obsolete.values()]:
            # read_po keeps "#| msgid" lines (written by other tools) as user comments: drop them
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        for message in list(catalog.obsolete.values()):
            if message.id not in catalog:  # the string came back: let update() reuse its translation
                catalog[message.id] = message
        catalog.obsolete.clear()
    catalog.update(template, update_header_comment=True)
    catalog.project, catalog.version = template.project, template.version
    catalog.fuzzy = False
    return catalog


def untranslated(catalog: Catalog) -> list[Message]:
    """Entries a user of this language would still see in English (empty or fuzzy)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or len(strings) < (catalog.num_plurals if message.pluralizable else 1) or not all(strings):
            missing.append(message)
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a file is stale or untranslated")
    args = parser.parse_args(argv)
    now = datetime.now(UTC)

    template = extract_catalog()
    template.creation_date = now
    if _same_but_dates(render(template, template=True), POT_PATH):
        template.creation_date = read_catalog(POT_PATH).creation_date  # unchanged: keep the old date and file
    outputs: list[tuple[Path, bytes]] = [(POT_PATH, render(template, template=True))]
    report = [f"{len(template)} msgids in {POT_PATH.relative_to(ROOT)}"]
    problems = 0
    for lang in languages():
        path = po_path(lang)
        old = read_catalog(path, lang) if path.exists() else None
        catalog = merge(template, lang)
        catalog.revision_date = now
        if old is not None and _same_but_dates(render(catalog), path):
            catalog.revision_date = old.revision_date
        outputs.append((path, render(catalog)))
        before = {m.id for m in old if m.id} if old is not None else set()
        current = {m.id for m in catalog if m.id}
        missing = untranslated(catalog)
        problems += len(missing)
        report.append(
            f"{path.relative_to(ROOT)}: {len(current - before)} new, {len(before - current)} obsolete, "
            f"{len(missing)} untranslated or fuzzy"
        )
        for message in missing:
            where = ", ".join(sorted({file for file, _line in message.locations}))
            report.append(f"  {'fuzzy' if message.fuzzy else 'untranslated'}: {message.id!r}  ({where})")

    for path, data in outputs:  # write everything before printing, so a closed pipe cannot stop half-way
        if _same_but_dates(data, path):
            continue
        if args.check:
            report.append(f"stale: {path.relative_to(ROOT)}; run python tools/extract_messages.py")
            problems += 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            report.append(f"wrote {path.relative_to(ROOT)}")
    print("\n".join(report))
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
