"""Message catalogs: every string a user reads is looked up here (gettext .po via Babel)."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "cusdev"
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def normalize_language(locale: str | None) -> str:
    """Map a platform locale such as 'ru-RU' or 'en_GB' to a supported language."""
    if not locale:
        return DEFAULT_LANGUAGE
    code = locale.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog for a language (English is the source language)."""
    lang = normalize_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    po_file = resources.files("core").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str) -> Callable[[str], str]:
    """The gettext function for a language."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """The ngettext function for a language."""
    return translations(lang).ngettext
