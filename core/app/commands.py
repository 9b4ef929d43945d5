"""Board commands from an event: which command it is, and running it for its sender in a private chat or a group."""

from __future__ import annotations

from datetime import datetime

from core.app.ports import Conversation, UnitOfWork
from core.board.command_base import CommandResult
from core.board.commands import BOARD_COMMANDS, GROUP_COMMANDS, Caller, run_command
from core.board.slash import parse_change
from core.command_registry import GROUP_MENU, READ_COMMANDS
from core.i18n import N_, gettext_for, normalize_language
from core.interview.payloads import Page, SearchPage, decode
from core.messages import Choice, CommandInvoked, Incoming, Reply, TextBuilder

IN_A_GROUP = N_(
    "In a group I answer {commands} for the team; interviews run in a private chat with me, so answers never "
    "show up here."
)


def command_of(incoming: Incoming) -> CommandInvoked | None:
    """The command an event gives: a typed one, or a list's page button (`/hypotheses 2`, `/search page 2 …`)."""
    if incoming.command is not None:
        return incoming.command
    decoded = decode(incoming.choice) if incoming.choice is not None else None
    if decoded is not None and isinstance(decoded[1], Page) and decoded[1].command in READ_COMMANDS:
        return CommandInvoked(decoded[1].command, str(decoded[1].number))
    if decoded is not None and isinstance(decoded[1], SearchPage):
        return CommandInvoked("search", f"page {decoded[1].number} {decoded[1].words}")
    return None


def is_read(incoming: Incoming) -> bool:
    """True for a command that only reads the board (its write forms, like `/phase next`, are not)."""
    command = command_of(incoming)
    if command is None or command.name not in READ_COMMANDS:
        return False
    return parse_change(command.name, command.arguments, "en") is None


async def group_command(
    uow: UnitOfWork,
    incoming: Incoming,
    now: datetime,
    deep_link: str | None = None,
    team: str | None = None,
    team_name: str | None = None,
    read_only: bool = False,
) -> CommandResult | None:
    """A command in a group: members of the group's team get the board; strangers a polite no.

    Where the platform names the person's team (`team`: a Slack workspace is one), a person in no team yet
    takes a seat in it first (on the write path: None from a read-only snapshot sends them there).
    """
    origin = incoming.origin
    chosen = await uow.conversations.latest_language_of(origin.platform, origin.user)
    lang = chosen or normalize_language(incoming.locale)
    _ = gettext_for(lang)
    command = command_of(incoming)
    name, arg = (command.name, command.arguments) if command else ("", "")
    if name not in GROUP_COMMANDS:
        text = _(IN_A_GROUP).format(commands=GROUP_MENU)
        link = ((Choice(_("Open a private chat with me"), "", url=f"{deep_link}interview"),),) if deep_link else ()
        return CommandResult([Reply(TextBuilder().add(text).build(), link, personal=True)])
    linked = await uow.teams.team_of_chat(f"{origin.platform}:{origin.chat}")
    memberships = await uow.teams.teams_of(origin.platform, origin.user)
    seats = {profile.id: (member_id, role) for profile, member_id, role in memberships}
    if not seats and team is not None and (linked is None or linked.slug == team):
        if read_only:
            return None
        person = incoming.user_name or origin.user
        joined = await uow.teams.join_team(origin.platform, origin.user, person, team, team_name)
        seats[joined.team_id] = (joined.member_id, await uow.teams.member_role(joined.member_id))
    team_id: int | None
    if linked is not None:
        team_id = linked.id if linked.id in seats else None
    else:
        latest = await uow.conversations.latest_team_of(origin.platform, origin.user)
        team_id = latest if latest in seats else next(iter(seats), None)
    if team_id is None:
        text = _("Sorry, I only answer members of this group's team. Message me privately to start your own.")
        return CommandResult([Reply(TextBuilder().add(text).build(), personal=True)])
    member_id, role = seats[team_id]
    caller = Caller(
        team_id,
        member_id,
        incoming.user_name or origin.user,
        role,
        lang,
        origin.platform,
        origin.user,
        origin.chat,
        True,
        tenant=origin.tenant,
    )
    return await run_command(name, arg, caller, uow, now)


async def board_command(
    uow: UnitOfWork,
    incoming: Incoming,
    conversation: Conversation,
    now: datetime,
    invite_base: str | None = None,
) -> CommandResult | None:
    """A board command sent in a private chat, run as the conversation's member; None when the event is not one."""
    command = command_of(incoming)
    if command is None or command.name not in BOARD_COMMANDS:
        return None
    name, arg = command.name, command.arguments
    members = await uow.teams.members(conversation.team_id)
    me = next((m for m in members if m.id == conversation.member_id), None)
    caller = Caller(
        conversation.team_id,
        conversation.member_id,
        me.name if me else incoming.origin.user,
        me.role if me else "founder",
        conversation.state.lang,
        incoming.platform,
        incoming.origin.user,
        incoming.origin.chat,
        False,
        invite_base,
        interview_open=conversation.state.interview is not None,
        turn=conversation.state.turn,
        tenant=incoming.origin.tenant,
    )
    result = await run_command(name, arg, caller, uow, now)
    if result.switch_to is not None:
        conversation.team_id, conversation.member_id = result.switch_to
    return result
