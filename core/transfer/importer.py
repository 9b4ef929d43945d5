"""Reading the export's JSON back: every interview and hypothesis validated whole, bad ones reported by line."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from core.app.export_data import HypothesisInfo, TeamInfo
from core.board.hypotheses import STATUSES, block_of
from core.domain import (
    Commitment,
    EvidenceLink,
    Gain,
    InterviewRecord,
    InterviewSummary,
    Job,
    Pain,
    PriceAnswers,
    one_link_each,
)
from core.i18n import LANGUAGES, gettext_for
from core.interview.jobs import JOB_TYPES
from core.transfer import import_team as extras
from core.transfer.import_check import Check
from core.transfer.import_csv import ImportBatch, ImportProblem, parse_price_csv
from core.transfer.import_team import iso_day, moment

INTERVIEW_STATUSES = ("in_progress", "paused", "completed", "cancelled")
COMMITMENT_KINDS = ("time", "reputation", "money")
STANCES = ("supports", "refutes")
STRENGTHS = ("weak", "medium", "strong")
PRICE_FIELDS = ("spends_now", "too_cheap", "bargain", "getting_expensive", "too_expensive")
__all__ = ["ImportBatch", "ImportProblem", "parse_export_json", "parse_price_csv"]

_KEYS = {"teams": "slug", "hypotheses": "code", "interviews": "id"}
_SPACE = re.compile(r"[ \t\n\r]*")


def _severity(value: Any) -> int | None:
    return value if type(value) is int and 1 <= value <= 5 else None


def _block(value: Any) -> str | None:
    return block_of(value) if isinstance(value, str) else None


def _record(raw: dict[str, Any], c: Check) -> InterviewRecord:
    who, price = c.section(raw, "interviewee"), c.section(raw, "price")
    return InterviewRecord(
        alias=c.text(who, "alias", "interviewee."),
        segment=c.text(who, "segment", "interviewee."),
        role=c.text(who, "role", "interviewee."),
        met_via=c.text(raw, "met_via"),
        interview_date=c.convert(raw, "interview_date", iso_day, c._("not an ISO date")),
        jobs=tuple(
            Job(
                c.text(j, "text", p) or "",
                c.text(j, "when", p),
                c.text(j, "want", p),
                c.text(j, "so_that", p),
                c.choice(j, "type", tuple(JOB_TYPES), p, required=False),
            )
            for p, j in c.items(raw, "jobs")
        ),
        pains=tuple(
            Pain(
                c.text(pain, "text", p, True) or "",
                c.convert(pain, "severity", _severity, c._("not a whole number from 1 to 5"), p),
                c.text(pain, "frequency", p, limit=20),
            )
            for p, pain in c.items(raw, "pains")
        ),
        gains=tuple(Gain(c.text(gain, "text", p, required=True) or "") for p, gain in c.items(raw, "gains")),
        price=PriceAnswers(
            currency=c.currency(price, "price."), **{k: c.amount(price, k, "price.") for k in PRICE_FIELDS}
        ),
        commitments=tuple(
            Commitment(
                c.choice(item, "kind", COMMITMENT_KINDS, p),
                c.text(item, "note", p),
                c.amount(item, "amount", p),
                c.currency(item, p),
            )
            for p, item in c.items(raw, "commitments")
        ),
        evidence=one_link_each(
            tuple(
                EvidenceLink(
                    c.choice(item, "stance", STANCES, p),
                    c.choice(item, "strength", STRENGTHS, p),
                    hypothesis=c.code(item, "hypothesis", p, required=not item.get("new_statement")),
                    new_statement=c.text(item, "new_statement", p),
                    quote=c.text(item, "quote", p),
                )
                for p, item in c.items(raw, "evidence")
            )
        ),
        quote=c.text(raw, "quote"),
        sean_ellis=c.text(raw, "sean_ellis", limit=20),
    )


def _interview(raw: dict[str, Any], team: str | None, c: Check) -> InterviewSummary | None:
    when_text = c._("not an ISO date and time")
    summary = InterviewSummary(
        id=c.text(raw, "id", required=True, limit=40) or "",
        team=team or c.text(raw, "team", required=True, limit=80) or "",
        founder=c.text(raw, "founder", required=True, limit=200) or "",
        script=c.text(raw, "script", required=True, limit=40) or "",
        status=c.choice(raw, "status", INTERVIEW_STATUSES),
        started_at=cast(datetime, c.convert(raw, "started_at", moment, when_text, required=True)),
        completed_at=c.convert(raw, "completed_at", moment, when_text),
        answers=c.section(raw, "answers"),
        record=_record(raw, c),
        lang=c.choice(raw, "lang", LANGUAGES, required=False) or "en",
        flags=_flags(raw, c),
        account=_account(raw, c),
    )
    for key in summary.answers:
        if len(key) > 40:
            c.fail(f"answers.{key[:40]}…", c._("longer than {limit} characters").format(limit=40))
    return None if c.errors else summary


def _flags(raw: dict[str, Any], c: Check) -> dict[str, list[str]]:
    flags = c.section(raw, "flags")
    for key, value in flags.items():
        if not isinstance(value, list) or not all(isinstance(flag, str) and len(flag) <= 40 for flag in value):
            c.fail(f"flags.{key[:40]}", c._("not a list of names"))
    return flags


def _account(raw: dict[str, Any], c: Check) -> tuple[str, str] | None:
    account = c.section(raw, "account")
    if not account:
        return None
    platform, user = c.text(account, "platform", "account.", True, 20), c.text(account, "user", "account.", True, 120)
    return (platform, user) if platform and user else None


def _hypothesis(raw: dict[str, Any], team: str | None, c: Check) -> HypothesisInfo | None:
    info = HypothesisInfo(
        team=team or c.text(raw, "team", required=True, limit=80) or "",
        code=c.code(raw, "code") or "",
        statement=c.text(raw, "statement", required=True) or "",
        status=c.choice(raw, "status", tuple(STATUSES)) or "",
        block=c.convert(raw, "block", _block, c._("not a Business Model Canvas block")),
        criterion=c.text(raw, "criterion"),
        predecessor=c.code(raw, "predecessor", required=False),
        successor=c.code(raw, "successor", required=False),
        created_at=c.convert(raw, "created_at", moment, c._("not an ISO date and time")),
        history=extras.history(raw, c),
    )
    return None if c.errors else info


def _team(raw: dict[str, Any], c: Check) -> TeamInfo | None:
    slug = c.text(raw, "slug", required=True, limit=80) or ""
    name = c.text(raw, "name", limit=200) or slug
    members = [] if raw.get("members") is None else raw["members"]
    if not isinstance(members, list) or not all(isinstance(m, str) and 0 < len(m.strip()) <= 200 for m in members):
        c.fail("members", c._("not a list of names"))
    info = TeamInfo(
        0,
        slug,
        name,
        tuple(members),
        profile=extras.settings(raw, slug, name, c),
        people=extras.people(raw, c),
        phase_changes=extras.phase_changes(raw, c),
        funnel_logs=extras.funnel_logs(raw, c),
        merges=extras.pairs(raw, "merges", ("key", "into"), c),
        ticks=extras.pairs(raw, "gate_ticks", ("phase", "item"), c),
    )
    return None if c.errors else info


def _where(section: str, index: int, raw: Any) -> str:
    key = raw.get(_KEYS[section]) if isinstance(raw, dict) else None
    if not isinstance(key, str) or not key.strip():
        return f"{section}[{index}]"
    return f"{section}[{index}] ({'id ' if section == 'interviews' else ''}{key if len(key) <= 12 else key[:8] + '…'})"


def _element_offsets(text: str) -> dict[str, list[int]]:
    """Where each element of the top-level object's lists starts; the text must be a valid JSON object."""
    decoder = json.JSONDecoder()
    found: dict[str, list[int]] = {}
    i = _skip(text, 0) + 1  # past the opening brace
    while (i := _skip(text, i)) < len(text) and text[i] != "}":
        key, i = decoder.raw_decode(text, i)
        i = _skip(text, _skip(text, i) + 1)  # past the colon
        if text[i] == "[":
            starts: list[int] = []
            i = _skip(text, i + 1)
            while text[i] != "]":
                starts.append(i)
                i = _skip(text, decoder.raw_decode(text, i)[1])
                i = _skip(text, i + 1) if text[i] == "," else i
            found[key], i = starts, i + 1
        else:
            i = decoder.raw_decode(text, i)[1]
        i = _skip(text, i)
        i = i + 1 if text[i] == "," else i
    return found


def _skip(text: str, i: int) -> int:
    match = _SPACE.match(text, i)
    return match.end() if match else i


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_export_json(text: str, source: str, team: str | None = None, lang: str = "en") -> ImportBatch:
    """Teams, hypotheses and interviews from the export's JSON; an invalid entry is skipped whole with a problem."""
    _ = gettext_for(lang)
    text = text.removeprefix("\ufeff")
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        message = _("not valid JSON: {error} (column {column})").format(error=exc.msg, column=exc.colno)
        return ImportBatch(problems=[ImportProblem(source, exc.lineno, "", message)])
    except (ValueError, RecursionError) as exc:
        message = _("not valid JSON: {error}").format(error=str(exc))
        return ImportBatch(problems=[ImportProblem(source, 1, "", message)])
    sections = ("teams", "hypotheses", "interviews")
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("interviews"), list)
        or any(document.get(key) is not None and not isinstance(document[key], list) for key in sections)
    ):
        message = _('expected an object with an "interviews" list (and optionally "teams" and "hypotheses" lists)')
        return ImportBatch(problems=[ImportProblem(source, 1, "", message)])
    newlines = [match.start() for match in re.finditer("\n", text)]
    offsets = _element_offsets(text)
    batch = ImportBatch()
    seen: dict[str, set[str]] = {section: set() for section in sections}
    for section in sections:
        for index, (raw, offset) in enumerate(zip(document.get(section) or [], offsets.get(section, []), strict=True)):
            check = Check(_)
            if (entry := _entry(section, raw, team, check, seen[section])) is None:
                line, where = bisect_left(newlines, offset) + 1, _where(section, index, raw)
                batch.problems.append(ImportProblem(source, line, where, "; ".join(check.errors)))
            else:
                cast(list[Any], getattr(batch, section)).append(entry)
    batch.problems.sort(key=lambda problem: problem.line)
    if team is not None and batch.teams:
        batch.teams[:] = [_one_team(batch.teams, team)]
    return batch


def _one_team(teams: list[TeamInfo], slug: str) -> TeamInfo:
    """Every team of a file put into one (`--team`): the same-named team's settings, everyone's people and logs."""
    first = next((t for t in teams if t.slug == slug), teams[0])
    return TeamInfo(
        0,
        slug,
        first.name if first.slug == slug else slug,
        tuple(dict.fromkeys(member for t in teams for member in t.members)),
        profile=None if first.profile is None else replace(first.profile, slug=slug, name=first.name),
        people=tuple(dict.fromkeys(person for t in teams for person in t.people)),
        phase_changes=tuple(change for t in teams for change in t.phase_changes),
        funnel_logs=tuple(log for t in teams for log in t.funnel_logs),
        merges=tuple(merge for t in teams for merge in t.merges),
        ticks=tuple(tick for t in teams for tick in t.ticks),
    )


def _entry(section: str, raw: Any, team: str | None, c: Check, seen: set[str]) -> Any:
    """One validated team, hypothesis or interview, or None with the reasons in c.errors."""
    if not isinstance(raw, dict):
        c.fail("", c._("not an object"))
        return None
    if isinstance(key := raw.get(_KEYS[section]), str):
        key = f"{team or raw.get('team')}/{key.upper()}" if section == "hypotheses" else key
        if key in seen:
            c.fail("", c._("appears earlier in the file; only the first one is imported"))
        seen.add(key)
    if section == "teams":
        return _team(raw, c)
    return _hypothesis(raw, team, c) if section == "hypotheses" else _interview(raw, team, c)
