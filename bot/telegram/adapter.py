"""Telegram updates in, core Incomings out; core Replies back as messages. No interview logic here."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import BotCommand, Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.telegram.dispatcher import Dispatcher, PressedEdit, RateLimiter
from bot.telegram.render import chosen_label, render
from core.app.ports import OutboxMessage, Storage
from core.app.service import InterviewService
from core.i18n import LANGUAGES, N_, gettext_for, normalize_language
from core.messages import Incoming

log = logging.getLogger(__name__)
PLATFORM = "telegram"
SWEEP_LIMIT = 100_000
MENU = (
    ("start", N_("Your team and how to begin")),
    ("invite", N_("Invite a co-founder")),
    ("interview", N_("Log a customer interview")),
    ("quick", N_("A 60-second log")),
    ("status", N_("Where do we stand?")),
    ("hypotheses", N_("The hypothesis board")),
    ("phase", N_("The phase and its exit gate")),
    ("interviews", N_("The latest interviews")),
    ("pause", N_("Pause the interview")),
    ("resume", N_("Resume the interview")),
    ("cancel", N_("Drop the interview")),
    ("help", N_("What I can do")),
    ("lang", N_("Language")),
)


class TelegramAdapter:
    """Translates between python-telegram-bot and the interview service."""

    def __init__(
        self, service: InterviewService, storage: Storage, token: str, base_url: str, chat_rate: float = 1.0
    ) -> None:
        self.service, self.storage = service, storage
        builder = (
            ApplicationBuilder().token(token).base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
        )
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self.dispatcher = Dispatcher(self.application.bot, service.delivered, RateLimiter(private_per_second=chat_rate))
        self.application.add_handler(CallbackQueryHandler(self.on_press))
        self.application.add_handler(MessageHandler(filters.UpdateType.EDITED, self.on_edited))
        self.application.add_handler(MessageHandler(filters.TEXT, self.on_text))
        self.application.add_handler(MessageHandler(filters.ALL, self.on_other))
        self.application.add_error_handler(self.on_error)
        self.failed: set[int] = set()  # update ids whose handling raised (webhook mode answers 500 for them)

    async def startup(self) -> None:
        """Register the command menu in every language; queue what a crash left unsent, before any new update."""
        for lang in LANGUAGES:
            _ = gettext_for(lang)
            commands = [BotCommand(name, _(description)) for name, description in MENU]
            await self.application.bot.set_my_commands(commands, language_code=None if lang == "en" else lang)
        await self.sweep()

    async def sweep(self) -> None:
        """Hand replies committed but never sent (a crash, an outage) to the dispatcher, oldest first.

        Read once, before polling starts: rows committed afterwards belong to live deliveries. Sending happens
        in the background, so an outage does not keep the bot from starting, and per-chat order puts these
        replies before any new one.
        """
        by_chat: dict[str, list[OutboxMessage]] = {}
        for message in await self.storage.unsent(PLATFORM, limit=SWEEP_LIMIT):
            by_chat.setdefault(message.address[2], []).append(message)
        for messages in by_chat.values():  # one task per chat: a slow chat does not hold up the others
            self.dispatcher.submit(messages)

    def incoming(self, update: Update, text: str | None = None, choice: str | None = None) -> Incoming:
        """The core event for an update (its update_id makes a re-delivery harmless)."""
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None and user is not None
        return Incoming(
            PLATFORM,
            str(self.application.bot.id),
            str(chat.id),
            str(user.id),
            f"tg:{update.update_id}",
            text=text,
            choice=choice,
            locale=user.language_code,
            user_name=user.full_name,
            is_group=chat.type != ChatType.PRIVATE,
        )

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A typed message or command; in groups only commands are answered (the board, never interviews)."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None or user is None or message.text is None:
            return
        if chat.type != ChatType.PRIVATE:
            if message.text.startswith("/"):
                self.dispatcher.submit(await self.service.handle(self.incoming(update, text=message.text)))
            return
        messages = await self.service.handle(self.incoming(update, text=message.text), **self.founder_context(user))
        self.dispatcher.submit(messages)

    def founder_context(self, user: User) -> dict[str, str]:
        """A first-time founder gets a team of their own, named after them; /invite links point at this bot."""
        _ = gettext_for(normalize_language(user.language_code))
        return {
            "team": f"tg-{user.id}",
            "team_name": _("{name}'s team").format(name=user.first_name),
            "invite_base": f"https://t.me/{self.application.bot.username}?start=",
        }

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: answer the query, mark the old message, then send the replies."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        try:
            await query.answer()
        except TelegramError as exc:  # e.g. "query is too old" after downtime: the press still counts
            log.info("could not answer a callback query: %s", exc)
        messages = await self.service.handle(self.incoming(update, choice=query.data), **self.founder_context(user))
        message = query.message
        if not isinstance(message, Message):  # too old to edit: just send the replies
            self.dispatcher.submit(messages)
            return
        first = messages[0].reply if messages else None
        if first is not None and first.replaces_prompt:
            head, *rest = messages
            part = render(head.reply)[-1]
            edit = PressedEdit(message.chat.id, message.message_id, part.text, part.keyboard, head.id)
            self.dispatcher.submit(rest, edit)
            return
        label = None if first is None or first.stale_press else chosen_label(message.reply_markup, query.data)
        marked = message.text_html + (f"\n\n→ <b>{html.escape(label, quote=False)}</b>" if label else "")
        self.dispatcher.submit(messages, PressedEdit(message.chat.id, message.message_id, marked))

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Editing a sent message changes nothing; say how to change an answer instead."""
        if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
            await self.say(
                update,
                N_(
                    "Editing a sent message doesn't change a saved answer. Use /back, or change "
                    "any answer from the summary at the end."
                ),
            )

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Voice notes, photos, stickers and the like: a clear answer, nothing stored."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or chat.type != ChatType.PRIVATE:
            return
        if message.voice or message.audio or message.video_note:
            await self.say(update, N_("I can't listen to voice notes yet — please type the key points."))
        else:
            await self.say(update, N_("I can only read text. Please type your answer (or /help)."))

    async def say(self, update: Update, text: str) -> None:
        """A short note in the user's language, outside the interview (rate-limited like everything else)."""
        user, chat = update.effective_user, update.effective_chat
        if chat is None:
            return
        _ = gettext_for(normalize_language(user.language_code if user else None))
        self.dispatcher.track(asyncio.create_task(self.dispatcher.say(chat.id, html.escape(_(text), quote=False))))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log, tell the founder the message did not go through (nothing of it was saved), and keep going."""
        log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update):
            self.failed.add(update.update_id)
            if update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
                await self.say(update, N_("Sorry, that didn't go through and nothing was saved. Please send it again."))
