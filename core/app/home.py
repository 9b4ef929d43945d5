"""A person's home view (Slack's App Home): the team's dashboard, published when opened and after a saved interview."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from core.app.ports import Claim, OutboxMessage, Storage, UnitOfWork
from core.app.queue import queue_one
from core.board.hypothesis_views import hypotheses_reply
from core.board.snapshot import Board
from core.board.views import status_reply
from core.i18n import gettext_for, normalize_language
from core.messages import Choice, Choices, Divider, HomeView, Incoming, Reply

HOME_COMMANDS = ("/interview", "/quick")
"""Home buttons carry the command they start (a home view has no conversation turn to stamp a payload with)."""


def home_reply(board: Board, lang: str) -> Reply:
    """Phase and gate progress, this week's interviews against the target, top pains, hypotheses by status,
    and buttons to start an interview."""
    _ = gettext_for(lang)
    buttons = (Choice(_("Log a customer interview"), HOME_COMMANDS[0]), Choice(_("A 60-second log"), HOME_COMMANDS[1]))
    return Reply(
        blocks=(
            *status_reply(board, lang).blocks,
            Choices((buttons,)),
            Divider(),
            *hypotheses_reply(board, lang).blocks,
        )
    )


async def seat_of(
    uow: UnitOfWork, incoming: Incoming, team: str | None, team_name: str | None
) -> tuple[int, str] | None:
    """The team (and language) whose dashboard a person sees; a newcomer takes a seat in the platform's team."""
    origin = incoming.origin
    conversation = await uow.conversations.peek(incoming.conversation_key)
    if conversation is not None:
        return conversation.team_id, conversation.state.lang
    lang = normalize_language(incoming.locale)
    seats = [profile.id for profile, _member, _role in await uow.teams.teams_of(origin.platform, origin.user)]
    latest = await uow.conversations.latest_team_of(origin.platform, origin.user)
    if seats:
        return (latest if latest in seats else seats[0]), lang
    if team is None:
        return None
    joined = await uow.teams.join_team(origin.platform, origin.user, incoming.user_name or origin.user, team, team_name)
    return joined.team_id, lang


def home_of(incoming: Incoming) -> HomeView:
    """The home view of the person who sent this."""
    origin = incoming.origin
    return HomeView(origin.platform, origin.tenant, origin.user)


async def publish_home(
    storage: Storage, destination: HomeView, team_id: int, lang: str, now: datetime, claim: Claim | None
) -> OutboxMessage:
    """Put the person's dashboard in the outbox, for their home view."""
    [message] = await publish_homes(storage, {destination: lang}, team_id, now, claim)
    return message


async def publish_homes(
    storage: Storage, homes: Mapping[HomeView, str], team_id: int, now: datetime, claim: Claim | None
) -> list[OutboxMessage]:
    """Put the team's dashboard in the outbox for each home view, in its language: the board is read once per
    language from committed data outside the write lock, and only the outbox rows are written."""
    replies = {lang: home_reply(await storage.board(team_id, now, lang), lang) for lang in sorted(set(homes.values()))}
    messages: list[OutboxMessage] = []
    async with storage.transaction() as uow:
        for home, lang in homes.items():
            messages.append(await queue_one(uow, home, replies[lang], now, claim))
    return messages
