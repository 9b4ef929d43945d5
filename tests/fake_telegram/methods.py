"""The Bot API methods the fake implements, each checked like Telegram checks it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.web_request import FileField

from tests.fake_telegram import rules
from tests.fake_telegram.model import CallbackAnswer, FakeChat, ReceivedFile, SentMessage
from tests.fake_telegram.params import Params, formatted, reply_target, target_chat
from tests.fake_telegram.rules import bad_request, check_reply_markup, utf16_len
from tests.fake_telegram.world import World, scope_key

CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip


def store(
    srv: World,
    chat: FakeChat,
    kind: str,
    p: Params,
    body: tuple[str, str, list[Any]] | None,
    make_file: Callable[[], ReceivedFile] | None = None,
) -> Any:
    """Validates the rest of a send, applies flood control, and records the bot's new message."""
    markup = check_reply_markup(p.raw("reply_markup"))
    reply_to = reply_target(srv, p, chat)
    received = make_file() if make_file else None
    srv.flood.admit(chat.id)
    text, plain, entities = body if body else (None, None, [])
    message = SentMessage(
        chat_id=chat.id,
        message_id=chat.new_message_id(),
        kind=kind,
        text=text,
        plain_text=plain,
        entities=entities,
        parse_mode=p.text("parse_mode"),
        reply_markup=markup,
        file=received,
        reply_to=reply_to,
    )
    srv.sent[chat.id].append(message)
    if received is not None:
        srv.uploads.append(received)
    srv.changed()
    return message.to_api(srv.bot.to_api(), chat.to_api())


async def send_message(srv: World, p: Params) -> Any:
    chat = target_chat(srv, p)
    body = formatted(srv, p, "text", "entities")
    if not body[1].strip():
        raise bad_request("message text is empty")
    if utf16_len(body[1]) > rules.MAX_TEXT:
        raise bad_request("message is too long")
    return store(srv, chat, "text", p, body)


def _caption(srv: World, p: Params) -> tuple[str, str, list[Any]] | None:
    if p.text("caption") is None:
        return None
    body = formatted(srv, p, "caption", "caption_entities")
    if utf16_len(body[1]) > rules.MAX_CAPTION:
        raise bad_request("message caption is too long")
    return body


def _file(srv: World, p: Params, kind: str) -> ReceivedFile:
    value = p.raw(kind)
    if isinstance(value, FileField):
        content = value.file.read()
        return srv.new_file(kind, content, filename=value.filename, mime_type=value.content_type)
    ref = p.text(kind)
    if not ref:
        raise bad_request(f"there is no {kind} in the request")
    if ref in srv.files:
        return srv.files[ref]
    if ref.startswith(("http://", "https://")):
        return srv.new_file(kind, None, url=ref)
    raise bad_request("wrong file identifier/HTTP URL specified")


async def send_file(srv: World, p: Params, kind: str) -> Any:
    chat = target_chat(srv, p)
    return store(srv, chat, kind, p, _caption(srv, p), make_file=lambda: _file(srv, p, kind))


def own_message(srv: World, p: Params) -> tuple[FakeChat, SentMessage]:
    if p.text("inline_message_id"):
        raise bad_request("inline_message_id is not supported by the fake server")
    chat = target_chat(srv, p)
    message_id = p.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = srv.message(chat, message_id)
    if message is None or message.deleted:
        if message_id in chat.user_messages:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return chat, message


def edited(srv: World, chat: FakeChat, message: SentMessage, text: Any = ..., **content: Any) -> Any:
    """Applies an edit unless the visible content (plain text, entities, keyboard) stays the same."""
    if all(getattr(message, name) == value for name, value in content.items()):
        raise bad_request(rules.NOT_MODIFIED)
    message.apply_edit(**content, **({} if text is ... else {"text": text}))
    srv.changed()
    return message.to_api(srv.bot.to_api(), chat.to_api())


async def edit_message_text(srv: World, p: Params) -> Any:
    chat, message = own_message(srv, p)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    text, plain, entities = formatted(srv, p, "text", "entities")
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > rules.MAX_TEXT:
        raise bad_request("MESSAGE_TOO_LONG")
    markup = check_reply_markup(p.raw("reply_markup"), inline_only=True)
    return edited(srv, chat, message, text, plain_text=plain, entities=entities, reply_markup=markup)


async def edit_message_caption(srv: World, p: Params) -> Any:
    chat, message = own_message(srv, p)
    text, plain, entities = _caption(srv, p) or (None, None, [])
    markup = check_reply_markup(p.raw("reply_markup"), inline_only=True)
    return edited(srv, chat, message, text, plain_text=plain, entities=entities, reply_markup=markup)


async def edit_message_reply_markup(srv: World, p: Params) -> Any:
    chat, message = own_message(srv, p)
    return edited(srv, chat, message, reply_markup=check_reply_markup(p.raw("reply_markup"), inline_only=True))


async def delete_message(srv: World, p: Params) -> Any:
    chat = target_chat(srv, p)
    message = srv.message(chat, p.integer("message_id") or 0)
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    message.deleted = True
    srv.changed()
    return True


async def answer_callback_query(srv: World, p: Params) -> Any:
    query_id = p.text("callback_query_id") or ""
    query = srv.callback_queries.get(query_id)
    if query is None or query["answered"]:
        raise bad_request(rules.QUERY_TOO_OLD)
    text = p.text("text")
    if text and len(text) > rules.MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    query["answered"] = True
    answer = CallbackAnswer(query_id, text, p.flag("show_alert"), p.text("url"), p.integer("cache_time") or 0)
    srv.callback_answers.append(answer)
    srv.changed()
    return True


def _commands_key(p: Params) -> tuple[str, str]:
    language = p.text("language_code") or ""
    if not re.fullmatch(r"([a-z]{2})?", language):
        raise bad_request("invalid language code specified")
    return scope_key(p.json("scope", "can't parse BotCommandScope JSON object")), language


async def set_my_commands(srv: World, p: Params) -> Any:
    commands = rules.check_commands(p.raw("commands") or "[]")
    srv.command_lists[_commands_key(p)] = commands
    srv.changed()
    return True


async def get_my_commands(srv: World, p: Params) -> Any:
    return srv.command_lists.get(_commands_key(p), [])


async def delete_my_commands(srv: World, p: Params) -> Any:
    srv.command_lists.pop(_commands_key(p), None)
    srv.changed()
    return True


async def send_chat_action(srv: World, p: Params) -> Any:
    chat = target_chat(srv, p)
    action = p.text("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    srv.chat_actions.append((chat.id, action))
    srv.changed()
    return True


async def get_file(srv: World, p: Params) -> Any:
    f = srv.files.get(p.text("file_id") or "")
    if f is None or f.content is None:
        raise bad_request("invalid file_id")
    return {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.size, "file_path": f.file_path}


async def get_me(srv: World, p: Params) -> Any:
    extra = {"can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
    return {**srv.bot.to_api(), **extra}


async def get_updates(srv: World, p: Params) -> Any:
    allowed = p.json("allowed_updates", "can't parse allowed_updates JSON object")
    timeout = p.number("timeout", 0.0)
    return await srv.updates.poll(p.integer("offset"), p.integer("limit") or 100, timeout, allowed)


async def set_webhook(srv: World, p: Params) -> Any:
    url, secret = p.text("url") or "", p.text("secret_token") or None
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise bad_request("secret token contains unallowed characters")
    if p.flag("drop_pending_updates"):
        srv.updates.drop_pending()
    allowed = p.json("allowed_updates", "can't parse allowed_updates JSON object")
    if allowed is not None:
        srv.updates.allowed_updates = list(allowed)
    if not url:
        srv.updates.delete_webhook()
        return True
    srv.updates.set_webhook(url, secret, p.integer("max_connections") or 40)
    return True


async def delete_webhook(srv: World, p: Params) -> Any:
    if p.flag("drop_pending_updates"):
        srv.updates.drop_pending()
    srv.updates.delete_webhook()
    return True


async def get_webhook_info(srv: World, p: Params) -> Any:
    return srv.updates.webhook_info()


async def no_op(srv: World, p: Params) -> Any:
    return True


Handler = Callable[[World, Params], Awaitable[Any]]
METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "sendMessage": send_message,
    "sendPhoto": lambda srv, p: send_file(srv, p, "photo"),
    "sendDocument": lambda srv, p: send_file(srv, p, "document"),
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "close": no_op,
    "logOut": no_op,
}
BY_LOWER_NAME = {name.lower(): name for name in METHODS}  # Telegram matches method names case-insensitively
