"""Invite links: `join_<code>` brings in a co-founder, `mentor_<team>-<digest>` a mentor (read-only).

The mentor code is derived from the team's invite code (a one-way digest), so no second code is stored: a
mentor link never reveals the founder link, and rotating the invite code (/invite new) retires both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from core.board.team import Role, TeamProfile, TeamRepository

FOUNDER_LINK = "join_"
MENTOR_LINK = "mentor_"
_DIGEST_CHARS = 16


def mentor_code(team_id: int, invite_code: str) -> str:
    """The mentor link's code of a team with this invite code."""
    digest = hashlib.sha256(f"cusdev mentor invite:{invite_code}".encode()).digest()
    return f"{team_id}-{base64.urlsafe_b64encode(digest).decode()[:_DIGEST_CHARS]}"


def is_invite(start_arg: str) -> bool:
    """True when a /start argument is an invite link's payload."""
    return start_arg.startswith((FOUNDER_LINK, MENTOR_LINK))


async def team_by_link(teams: TeamRepository, start_arg: str) -> tuple[TeamProfile, Role] | None:
    """The team an invite link's payload opens and the role it gives, or None for a link that is not valid."""
    if start_arg.startswith(FOUNDER_LINK):
        team = await teams.team_by_invite(start_arg[len(FOUNDER_LINK) :])
        return None if team is None else (team, "founder")
    code = start_arg[len(MENTOR_LINK) :]
    number, dash, digest = code.partition("-")
    if not (dash and number.isascii() and number.isdigit() and len(number) <= 18 and len(digest) == _DIGEST_CHARS):
        return None
    try:
        team = await teams.team(int(number))
    except LookupError:
        return None
    expected = mentor_code(team.id, await teams.invite_code(team.id))
    return (team, "mentor") if hmac.compare_digest(expected, code) else None
