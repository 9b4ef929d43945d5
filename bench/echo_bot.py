"""A plain python-telegram-bot echo bot: the baseline bench/telegram_e2e.py compares cusdev with."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text straight back."""
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    """Poll the server at TELEGRAM_API_BASE_URL with TELEGRAM_BOT_TOKEN until killed."""
    base_url = os.environ["TELEGRAM_API_BASE_URL"]
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(base_url)
        .base_file_url(base_url.replace("/bot", "/file/bot"))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
