"""The job-to-be-done sentence: "When <situation>, I want to <motivation>, so that <outcome>", in the interview's
language, without doubling a connector the founder typed ("when…", "I want to…", «когда…», «я хочу…»)."""

from __future__ import annotations

import re

from core.i18n import N_, gettext_for

JOB_TYPES = {"functional": N_("Functional"), "social": N_("Social"), "emotional": N_("Emotional")}
"""The three kinds of job (Osterwalder's Value Proposition Design), as the job's `type` field stores them."""

_CONNECTORS = {
    "when": ("whenever", "when", "всякий раз, когда", "каждый раз, когда", "когда"),
    "want": (
        "i want to", "i'd like to", "i would like to", "i want", "we want to", "they want to", "he wants to",
        "she wants to", "wants to", "want to", "to", "я хочу", "мы хотим", "они хотят", "хочу", "хочет", "хотят",
    ),
    "so_that": ("so that", "so", "для того чтобы", "для того, чтобы", "так чтобы", "так, чтобы", "чтобы"),
}  # fmt: skip
_PARTS = {
    "when": N_("When {situation}"),
    "want": N_("I want to {motivation}"),
    "so_that": N_("so that {outcome}"),
}
_SPACE = re.compile(r"\s+")


def without_connector(part: str, text: str) -> str:
    """The founder's words for one part of the sentence, without the connector the sentence adds itself."""
    words = _SPACE.sub(" ", text).strip().rstrip(",;")
    folded = words.casefold()
    for connector in _CONNECTORS[part]:
        if folded.startswith(connector) and (len(words) == len(connector) or not words[len(connector)].isalnum()):
            return words[len(connector) :].lstrip(" ,:—-").strip()
    return words


def job_sentence(when: str | None, want: str | None, so_that: str | None, lang: str) -> str:
    """The job as one sentence in `lang`, built from the parts that were answered."""
    _ = gettext_for(lang)
    keys = {"when": "situation", "want": "motivation", "so_that": "outcome"}
    parts = []
    for part, text in (("when", when), ("want", want), ("so_that", so_that)):
        words = without_connector(part, text) if text else ""
        if words:
            parts.append(_(_PARTS[part]).format(**{keys[part]: words}))
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:]
