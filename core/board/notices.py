"""Telling teammates what concerns them: a member in their private chat, the team's digest chat.

A notice goes out in the team's language (the teammate's own chat language is not known here), and only on
the platform the change was made on: the tenant of another platform is not known to the change.
"""

from __future__ import annotations

from core.board.command_base import Caller, Notice
from core.board.digest_target import digest_chat_of
from core.board.team import MemberInfo, TeamProfile
from core.messages import Reply, TextBuilder, ToChat, ToUser


def _reply(text: str) -> Reply:
    return Reply(TextBuilder().add(text).build())


def to_member(caller: Caller, member: MemberInfo, text: str) -> list[Notice]:
    """A notice for a teammate's private chat; none for the caller themselves or a member on another platform."""
    if member.id == caller.member_id or member.platform != caller.platform or not member.user:
        return []
    return [Notice(ToUser(caller.platform, caller.tenant, member.user), _reply(text))]


def to_digest_chat(caller: Caller, team: TeamProfile, text: str) -> list[Notice]:
    """A notice for the team's digest chat ("platform:chat"), when it has one on the caller's platform."""
    found = digest_chat_of(team)
    if found is None or found[0] != caller.platform:
        return []
    return [Notice(ToChat(caller.platform, caller.tenant, found[1]), _reply(text))]
