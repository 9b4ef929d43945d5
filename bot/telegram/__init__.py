"""The Telegram adapter: python-telegram-bot 22 on one side, core's Incoming and Reply on the other."""
