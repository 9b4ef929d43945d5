"""Export formats: JSON (lossless, a backup) and CSV (one row per interview); Markdown notes are in notes.py."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, replace
from decimal import Decimal
from typing import Any

from core.app.export_data import ExportData
from core.domain import InterviewSummary
from core.i18n import N_
from core.interview.record import extract_record
from core.scripts.model import Script
from core.transfer.backup import hypothesis_to_dict, team_to_dict

CSV_COLUMNS = (
    "id",
    "team",
    "founder",
    "script",
    "status",
    "started_at",
    "completed_at",
    "interview_date",
    "alias",
    "segment",
    "role",
    "met_via",
    "jobs",
    "pains",
    "gains",
    "spends_now",
    "too_cheap",
    "bargain",
    "getting_expensive",
    "too_expensive",
    "currency",
    "commitments",
    "evidence",
    "sean_ellis",
    "quote",
    "answers",
)


STATUS_NAMES = {
    "in_progress": N_("in progress"),
    "paused": N_("paused"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
}


def json_number(value: Decimal | None) -> int | float | None:
    """An exact Decimal as a JSON number: whole amounts as int."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def with_partial_records(data: ExportData, scripts: Mapping[str, Script]) -> ExportData:
    """Interviews not saved yet (in progress, paused, cancelled) get a record built from their answers so far."""
    interviews = [
        replace(interview, record=extract_record(scripts[interview.script], interview.answers, {}, lang=interview.lang))
        if interview.status != "completed" and interview.script in scripts
        else interview
        for interview in data.interviews
    ]
    return replace(data, interviews=interviews)


def interview_to_dict(interview: InterviewSummary) -> dict[str, Any]:
    """One interview in the export's JSON shape."""
    record = interview.record
    price = record.price
    return {
        "id": interview.id,
        "team": interview.team,
        "founder": interview.founder,
        "interviewee": {"alias": record.alias, "segment": record.segment, "role": record.role},
        "met_via": record.met_via,
        "interview_date": record.interview_date.isoformat() if record.interview_date else None,
        "script": interview.script,
        "status": interview.status,
        "started_at": interview.started_at.isoformat(),
        "completed_at": interview.completed_at.isoformat() if interview.completed_at else None,
        "answers": interview.answers,
        "jobs": [asdict(job) for job in record.jobs],
        "pains": [asdict(pain) for pain in record.pains],
        "gains": [asdict(gain) for gain in record.gains],
        "price": None
        if price.is_empty()
        else {
            "spends_now": json_number(price.spends_now),
            "too_cheap": json_number(price.too_cheap),
            "bargain": json_number(price.bargain),
            "getting_expensive": json_number(price.getting_expensive),
            "too_expensive": json_number(price.too_expensive),
            "currency": price.currency,
        },
        "commitments": [
            {"kind": c.kind, "note": c.note, "amount": json_number(c.amount), "currency": c.currency}
            for c in record.commitments
        ],
        "evidence": [
            {"hypothesis": e.hypothesis, "stance": e.stance, "strength": e.strength, "quote": e.quote}
            for e in record.evidence
        ],
        "sean_ellis": record.sean_ellis,
        "quote": record.quote,
        "lang": interview.lang,
        **({"flags": interview.flags} if interview.flags else {}),
        **({"account": {"platform": interview.account[0], "user": interview.account[1]}} if interview.account else {}),
    }


def to_json(data: ExportData) -> str:
    """The lossless export (a backup `cusdev import` restores): teams, interviews and hypotheses."""
    document = {
        "teams": [team_to_dict(team) for team in data.teams],
        "interviews": [interview_to_dict(interview) for interview in data.interviews],
        "hypotheses": [hypothesis_to_dict(h) for h in data.hypotheses],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(data: ExportData) -> str:
    """One row per interview, lists joined with " | ", every answer as JSON in the last column."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for interview in data.interviews:
        row = interview_to_dict(interview)
        price = row["price"] or {}
        writer.writerow(
            {
                **{
                    key: row[key]
                    for key in (
                        "id",
                        "team",
                        "founder",
                        "script",
                        "status",
                        "started_at",
                        "completed_at",
                        "interview_date",
                        "met_via",
                        "sean_ellis",
                        "quote",
                    )
                },
                **row["interviewee"],
                "jobs": " | ".join(job["text"] for job in row["jobs"]),
                "pains": " | ".join(pain_text(p) for p in row["pains"]),
                "gains": " | ".join(gain["text"] for gain in row["gains"]),
                **{
                    key: price.get(key)
                    for key in ("spends_now", "too_cheap", "bargain", "getting_expensive", "too_expensive", "currency")
                },
                "commitments": " | ".join(commitment_text(c) for c in row["commitments"]),
                "evidence": " | ".join(f"{e['hypothesis']} {e['stance']} ({e['strength']})" for e in row["evidence"]),
                "answers": json.dumps(row["answers"], ensure_ascii=False),
            }
        )
    return buffer.getvalue()


def pain_text(pain: dict[str, Any]) -> str:
    """A pain with its severity and frequency, as one line."""
    details = [f"{pain['severity']}/5" if pain["severity"] else "", pain["frequency"] or ""]
    extra = ", ".join(d for d in details if d)
    return f"{pain['text']} ({extra})" if extra else str(pain["text"])


def commitment_text(commitment: dict[str, Any]) -> str:
    """A commitment with its amount and note, as one line."""
    amount = f" {commitment['amount']} {commitment['currency'] or ''}".rstrip() if commitment["amount"] else ""
    note = f": {commitment['note']}" if commitment["note"] else ""
    return f"{commitment['kind']}{amount}{note}"
