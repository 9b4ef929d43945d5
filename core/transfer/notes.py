"""The Markdown export: readable interview notes, every answer under its question, in the script's order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from core.app.export_data import ExportData
from core.board.hypothesis_views import STRENGTH_NAMES
from core.domain import InterviewSummary
from core.i18n import N_, gettext_for
from core.interview.jobs import JOB_TYPES
from core.interview.summary import answer_lines
from core.interview.walk import holds
from core.scripts.model import LongTextQuestion, Script
from core.transfer.export import STATUS_NAMES, commitment_text, interview_to_dict, pain_text

STANCES = {"supports": N_("Supports"), "refutes": N_("Refutes")}


def to_markdown(data: ExportData, lang: str = "en", scripts: Mapping[str, Script] | None = None) -> str:
    """Readable interview notes: who, then each question asked and what was answered (stories as quotes)."""
    _ = gettext_for(lang)
    lines = [f"# {_('Customer interviews')}", ""]
    if not data.interviews:
        lines.append(_("No interviews yet. Run `cusdev chat` to log the first one."))
    for interview in data.interviews:
        script = (scripts or {}).get(interview.script)
        lines += _heading(interview, script, lang)
        lines += _answers(interview, script, lang) if script else _record(interview, lang)
        known = {question.id for question in script.questions} if script else set()
        extra = {key: value for key, value in interview.answers.items() if key not in known}
        for key, value in extra.items():  # answers the script does not know (it changed, or it is not loaded)
            lines += [f"**{_md(key)}**", "", _md(_raw(value)), ""]
    return "\n".join(lines).rstrip() + "\n"


def _heading(interview: InterviewSummary, script: Script | None, lang: str) -> list[str]:
    _ = gettext_for(lang)
    record = interview.record
    title = " · ".join(x for x in (record.alias, record.segment, record.role) if x) or _("(no name)")
    when = (record.interview_date.isoformat() if record.interview_date else None) or interview.started_at.date()
    meta = [
        f"{_('Team')}: {_md(interview.team)}",
        f"{_('Founder')}: {_md(interview.founder)}",
        f"{_('Script')}: {_md(_(script.title) if script else interview.script)}",
        str(when),
        _(STATUS_NAMES.get(interview.status, interview.status)),
    ]
    return [f"## {_md(title)}", "", f"*{' · '.join(meta)}*", ""]


def _answers(interview: InterviewSummary, script: Script, lang: str) -> list[str]:
    """Each question that applies and was answered, in asking order: its prompt, then the answer."""
    _ = gettext_for(lang)
    answers = interview.answers
    lines: list[str] = []
    for question in script.questions:
        if question.id not in answers or not holds(question.when, answers):
            continue
        lines += [f"**{_md(_(question.prompt))}**", ""]
        if question.records == "jobs" and interview.record.jobs:  # as one sentence each, with its kind
            found = [
                f"• {job.text}" + (f" ({_(JOB_TYPES[job.type]).lower()})" if job.type in JOB_TYPES else "")
                for job in interview.record.jobs
            ]
        else:
            found = answer_lines(question, answers, (), lang)
        if isinstance(question, LongTextQuestion) and isinstance(answers[question.id], str):
            lines += [f"> {_md(line)}" if line.strip() else ">" for line in answers[question.id].splitlines()]
        elif len(found) == 1 and not found[0].startswith("• "):
            lines.append(_md(found[0]))
        else:
            lines += [f"- {_md(line.removeprefix('• '))}" for line in found]
        lines.append("")
    return lines + _evidence(interview, lang)


def _evidence(interview: InterviewSummary, lang: str) -> list[str]:
    """How the saved interview bears on each hypothesis, with the strength judged when it was saved."""
    _ = gettext_for(lang)
    evidence = interview.record.evidence
    entries = [
        f"- {_md(e.hypothesis or e.new_statement or '?')}: {_(STANCES[e.stance])} "
        f"({_(STRENGTH_NAMES.get(e.strength, e.strength))})"
        for e in evidence
    ]
    return [f"**{_('Evidence')}**", *entries, ""] if entries else []


def _record(interview: InterviewSummary, lang: str) -> list[str]:
    """An interview whose script is not loaded (or a survey row): what its saved record holds."""
    _ = gettext_for(lang)
    row = interview_to_dict(interview)
    sections = [
        (_("Jobs"), [job["text"] for job in row["jobs"]]),
        (_("Pains"), [pain_text(p) for p in row["pains"]]),
        (_("Gains"), [gain["text"] for gain in row["gains"]]),
        (_("Commitments"), [commitment_text(c) for c in row["commitments"]]),
    ]
    lines: list[str] = []
    for heading, entries in sections:
        if entries:
            lines += [f"**{heading}**", *(f"- {_md(entry)}" for entry in entries), ""]
    if row["price"]:
        price = row["price"]
        parts = [
            f"{key.replace('_', ' ')}: {price[key]}"
            for key in ("spends_now", "too_cheap", "bargain", "getting_expensive", "too_expensive")
            if price[key] is not None
        ]
        lines += [f"**{_('Price')}** ({price['currency'] or '?'}): " + "; ".join(parts), ""]
    if row["quote"]:
        lines += [f"> {_md(row['quote'])}", ""]
    return lines + _evidence(interview, lang)


def _raw(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _md(text: str) -> str:
    """Escape Markdown so user text cannot become markup."""
    out = text.replace("\\", "\\\\")
    for char in "*_`#[]<>|":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", " ")
