"""One concrete next step for the team, computed from the gaps: the first gate item not passed, else the pace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core.board.snapshot import Board, gates_of

StepKind = Literal["first_interview", "interviews", "gate_item", "pace", "advance", "no_gate"]
_COUNTED = re.compile(r"(\d+)/(\d+)$")
"""An `interviews` gate item's progress as core.board.gate._at_least writes it: "count/minimum"."""


@dataclass(frozen=True)
class NextStep:
    """What to do next: `count` more interviews (with `segment`, `with_pains`), a gate item by its `label` and
    `progress`, keeping up the pace, or moving on to the next phase."""

    kind: StepKind
    count: int = 0
    segment: str | None = None
    with_pains: bool = False
    label: str = ""
    progress: str = ""


def next_step(board: Board, interviews: int, target: int) -> NextStep:
    """The step that closes the first gap: no interviews yet, the first gate item not passed (interviews counted
    out), the period's interviews behind the target, or a gate that passes."""
    if board.pace.total == 0:
        return NextStep("first_interview", count=board.team.weekly_target)
    checks = {check.id: check for check in gates_of(board.team).items(board.team.phase)}
    for item in board.gate.items:
        if item.passed:
            continue
        check = checks.get(item.id)
        counted = _COUNTED.match(item.progress)
        if check is not None and check.check == "interviews" and counted:
            more = int(counted.group(2)) - int(counted.group(1))
            in_segment = check.in_target_segment and board.team.target_segment
            return NextStep(
                "interviews",
                count=more,
                segment=board.team.target_segment if in_segment else None,
                with_pains=check.with_pains,
            )
        return NextStep("gate_item", label=item.label, progress=item.progress)
    if not board.gate.items:
        return NextStep("no_gate")
    if interviews < target:
        return NextStep("pace", count=target - interviews)
    return NextStep("advance")
