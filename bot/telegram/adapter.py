"""Telegram updates in, core Incomings out; committed messages go to the Telegram relay. No interview logic here."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Literal

from telegram import BotCommand, Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.delivery.relay import Relay
from bot.logs import log_context
from bot.metrics import Metrics
from bot.observe import ignored, observed
from bot.telegram.render import MAX_TEXT, chosen_label, utf16_length
from bot.telegram.sender import RateLimiter, TelegramSender
from core.app.ports import Clock, Storage
from core.app.service import InterviewService
from core.command_registry import menu
from core.i18n import LANGUAGES, N_, gettext_for, normalize_language
from core.interview.payloads import decode
from core.messages import ChoicePressed, Ephemeral, Incoming, Input, Origin, UpdatePressed

log = logging.getLogger(__name__)
PLATFORM = "telegram"
Handler = Callable[["TelegramAdapter", Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def observed_update(handler: Handler) -> Handler:
    """Handle the update observed: its log lines carry its id, its time and outcome go to the metrics."""

    @functools.wraps(handler)
    async def observe(self: TelegramAdapter, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        async with observed(self.metrics, PLATFORM, f"tg:{update.update_id}"):
            await handler(self, update, context)

    return observe


class TelegramAdapter:
    """Translates between python-telegram-bot and the interview service."""

    def __init__(
        self,
        service: InterviewService,
        storage: Storage,
        clock: Clock,
        token: str,
        base_url: str,
        chat_rate: float = 1.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.service = service
        self.metrics = metrics or Metrics()
        builder = (
            ApplicationBuilder().token(token).base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
        )
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self.sender = TelegramSender(self.application.bot, RateLimiter(private_per_second=chat_rate), self.metrics)
        self.relay = Relay(PLATFORM, storage, self.sender, clock)
        self.application.add_handler(CallbackQueryHandler(self.on_press))
        self.application.add_handler(MessageHandler(filters.UpdateType.EDITED, self.on_edited))
        self.application.add_handler(MessageHandler(filters.TEXT, self.on_text))
        self.application.add_handler(MessageHandler(filters.ALL, self.on_other))
        self.application.add_error_handler(self.on_error)
        self.failed: set[int] = set()  # update ids whose handling raised (webhook mode answers 500 for them)

    async def register_menu(self) -> None:
        """Register the command menu in every language."""
        for lang in LANGUAGES:
            _ = gettext_for(lang)
            commands = [BotCommand(command.name, _(command.summary)) for command in menu()]
            await self.application.bot.set_my_commands(commands, language_code=None if lang == "en" else lang)

    def origin(self, update: Update) -> Origin:
        """Where an update came from."""
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None and user is not None
        kind: Literal["private", "group"] = "private" if chat.type == ChatType.PRIVATE else "group"
        return Origin(PLATFORM, str(self.application.bot.id), str(chat.id), str(user.id), chat_kind=kind)

    def incoming(self, update: Update, event: Input) -> Incoming:
        """The core event for an update (its update_id makes a re-delivery harmless)."""
        user = update.effective_user
        assert user is not None
        return Incoming(self.origin(update), f"tg:{update.update_id}", event, user.language_code, user.full_name)

    def typed(self, update: Update, text: str) -> Incoming:
        """A typed message as a core event (a leading slash makes it a command).

        A plain text carries no turn, so it answers whatever screen is current; a reply to one of the bot's
        messages carries that message's turn (from its buttons), so a reply to a question that has passed is stale.
        """
        user = update.effective_user
        assert user is not None
        turn = self.replied_turn(update.effective_message)
        return Incoming.typed(
            self.origin(update), f"tg:{update.update_id}", text, user.language_code, user.full_name, turn
        )

    def replied_turn(self, message: Message | None) -> int | None:
        """The turn stamped on the buttons of the bot's message this one replies to, if any."""
        replied = message.reply_to_message if message is not None else None
        if replied is None or replied.from_user is None or replied.from_user.id != self.application.bot.id:
            return None
        rows = replied.reply_markup.inline_keyboard if replied.reply_markup is not None else ()
        stamps = [
            decoded[0]
            for row in rows
            for b in row
            if isinstance(b.callback_data, str) and (decoded := decode(b.callback_data))
        ]
        return max(stamps, default=None)

    @observed_update
    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A typed message or command; in groups only commands are answered (the board, never interviews)."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None or user is None or message.text is None:
            ignored()
            return
        if chat.type != ChatType.PRIVATE:
            if message.text.startswith("/"):
                typed = self.typed(update, message.text)
                claim = self.relay.claim()
                self.relay.submit(await self.service.handle(typed, invite_base=self.deep_link, claim=claim))
            else:
                ignored()
            return
        messages = await self.service.handle(
            self.typed(update, message.text), claim=self.relay.claim(), **self.founder_context(user)
        )
        self.relay.submit(messages)

    def founder_context(self, user: User) -> dict[str, Any]:
        """A first-time founder gets a team of their own, named after them; /invite links point at this bot."""
        _ = gettext_for(normalize_language(user.language_code))
        return {
            "team": f"tg-{user.id}",
            "team_name": _("{name}'s team").format(name=user.first_name),
            "invite_base": self.deep_link,
        }

    @property
    def deep_link(self) -> str:
        """The prefix of links that open a private chat with this bot and send /start with what follows."""
        return f"https://t.me/{self.application.bot.username}?start="

    @observed_update
    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: answer the query, then the replies (the pressed message shows the answer)."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            ignored()
            return
        try:
            await query.answer()
        except TelegramError as exc:  # e.g. "query is too old" after downtime: the press still counts
            log.info("could not answer a callback query: %s", exc)
        message = query.message if isinstance(query.message, Message) else None  # too old: not editable
        pressed = ChoicePressed(query.data or "", str(message.message_id) if message else None)
        messages = await self.service.handle(
            self.incoming(update, pressed), claim=self.relay.claim(), **self.founder_context(user)
        )
        first = messages[0] if messages else None
        # Not marked: a message the answer replaces, a press refused to its presser (a stranger on a group's board)
        if message is None or first is None or isinstance(first.destination, (UpdatePressed, Ephemeral)):
            self.relay.submit(messages)
            return
        label = None if first.reply.stale_press else chosen_label(message.reply_markup, query.data)
        if label and utf16_length(f"{message.text or ''}\n\n→ {label}") > MAX_TEXT:
            label = None  # a screen at Telegram's limit has no room to show the answer; the buttons still go
        marked = message.text_html + (f"\n\n→ <b>{html.escape(label, quote=False)}</b>" if label else "")

        async def mark_pressed() -> None:
            await self.sender.edit_html(message.chat.id, message.message_id, marked)

        self.relay.submit(messages, before=mark_pressed)

    @observed_update
    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Editing a sent message changes nothing; say how to change an answer instead."""
        ignored()
        if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
            await self.say(
                update,
                N_(
                    "Editing a sent message doesn't change a saved answer. Use /back, or change "
                    "any answer from the summary at the end."
                ),
            )

    @observed_update
    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Voice notes, photos, stickers and the like: a clear answer, nothing stored."""
        ignored()
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or chat.type != ChatType.PRIVATE:
            return
        if message.voice or message.audio or message.video_note:
            await self.say(update, N_("I can't listen to voice notes yet — please type the key points."))
        else:
            await self.say(update, N_("I can only read text. Please type your answer (or /help)."))

    async def say(self, update: Update, text: str) -> None:
        """A short note in the founder's chosen language, outside the outbox, in the chat's delivery order."""
        chat = update.effective_chat
        if chat is None:
            return
        _ = gettext_for(await self.language(update))
        note_html, chat_id = html.escape(_(text), quote=False), chat.id

        async def send_note() -> None:
            await self.sender.note(chat_id, note_html)

        self.relay.note((str(self.application.bot.id), str(chat_id)), send_note)

    async def language(self, update: Update) -> str:
        """The language the founder chose with /lang; Telegram's language when unknown or unreadable."""
        user = update.effective_user
        locale = user.language_code if user else None
        if user is None or update.effective_chat is None:
            return normalize_language(locale)
        try:
            return await self.service.language_of(self.origin(update), locale)
        except Exception:  # the database may be what failed: a note in the phone's language beats none
            log.warning("could not read the chosen language", exc_info=True)
            return normalize_language(locale)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log, tell the founder the message did not go through (nothing of it was saved), and keep going."""
        event = f"tg:{update.update_id}" if isinstance(update, Update) else None
        with log_context(platform=PLATFORM, event=event):
            log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update):
            self.failed.add(update.update_id)
            if update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
                await self.say(update, N_("Sorry, that didn't go through and nothing was saved. Please send it again."))
