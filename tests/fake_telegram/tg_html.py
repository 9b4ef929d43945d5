"""Telegram's HTML parse mode, re-implemented from the behaviour of TDLib's ``parse_html``.

``parse_html(text)`` returns the plain text and the message entities Telegram would store, or
raises ``ApiError`` with Telegram's own wording ("can't parse entities: ..."), byte offsets counted
in UTF-8 like Telegram does. Allowed: b strong i em u ins s strike del tg-spoiler
``span class="tg-spoiler"`` ``a href`` code (``class="language-x"``) pre blockquote [expandable],
and the entities &lt; &gt; &amp; &quot; &#NN; &#xNN;.

One deliberate difference: Telegram keeps an ``&`` that does not start an entity as a literal
character. With ``strict_ampersand`` (the server's default) the fake rejects it, because a bot
that leaves ``&`` unescaped also turns a user's "&lt;" into "<" — an escaping bug worth catching.
"""

from __future__ import annotations

from typing import Any

from tests.fake_telegram.rules import ApiError, bad_request, utf16_len

ALLOWED_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span", "code", "pre", "blockquote"}
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\0"


def _fail(message: str) -> ApiError:
    return bad_request(f"can't parse entities: {message}")


class _Parser:
    def __init__(self, text: str, strict_ampersand: bool) -> None:
        self.s, self.strict = text, strict_ampersand
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[tuple[str, str, int, int]] = []  # tag, argument, utf16 offset, index in out
        self.entities: list[dict[str, Any]] = []

    def ch(self, i: int) -> str:
        return self.s[i] if i < len(self.s) else ""

    def space(self, i: int) -> bool:
        return self.ch(i) == "" or self.ch(i) in _SPACES

    def byte_offset(self, i: int) -> int:
        return len(self.s[:i].encode("utf-8", "surrogatepass"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16 += utf16_len(text)

    def entity(self, i: int) -> tuple[str | None, int]:
        """Decodes the character reference at ``s[i] == '&'``: (character or None, index after it)."""
        end = i + 1
        if self.ch(end) == "#":
            end, base, digits = end + 1, 10, "0123456789"
            if self.ch(end) == "x":
                end, base, digits = end + 1, 16, "0123456789abcdefABCDEF"
            start = end
            while self.ch(end) and self.ch(end) in digits:
                end += 1
            code = int(self.s[start:end], base) if end > start else 0
            if code == 0 or code >= 0x10FFFF or end - i >= 10:
                return None, i
            if 0xD800 <= code <= 0xDFFF:
                raise bad_request(
                    "text contains invalid Unicode characters after decoding HTML entities, "
                    "check for unmatched surrogate code units"
                )
            char = chr(code)
        else:
            while self.ch(end).isascii() and self.ch(end).isalpha():
                end += 1
            found = _NAMED.get(self.s[i + 1 : end])
            if found is None:
                return None, i
            char = found
        return char, end + 1 if self.ch(end) == ";" else end

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        while i < len(self.s):
            c = self.s[i]
            if c == "&":
                char, after = self.entity(i)
                if char is not None:
                    self.emit(char)
                    i = after
                    continue
                if self.strict:
                    raise _fail(
                        f'Unescaped "&" at byte offset {self.byte_offset(i)} (fake server strict check: '
                        "escape it as &amp;)"
                    )
            if c != "<":
                self.emit(c)
                i += 1
                continue
            i = self.end_tag(i) if self.ch(i + 1) == "/" else self.start_tag(i)
        if self.stack:
            raise _fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self, begin: int) -> int:
        i = begin + 1
        while not self.space(i) and self.ch(i) != ">":
            i += 1
        if self.ch(i) == "":
            raise _fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag, at = self.s[begin + 1 : i].lower(), self.byte_offset(begin)
        if tag not in ALLOWED_TAGS:
            raise _fail(f'Unsupported start tag "{tag}" at byte offset {at}')
        argument = ""
        while self.ch(i) != ">":
            while self.ch(i) and self.ch(i) in _SPACES:
                i += 1
            if self.ch(i) == ">":
                break
            name_start = i
            while not self.space(i) and self.ch(i) not in "=>/\"'":
                i += 1
            name = self.s[name_start:i]
            if not name:
                raise _fail(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
            while self.ch(i) and self.ch(i) in _SPACES:
                i += 1
            if self.ch(i) != "=":
                if self.ch(i) == "":
                    raise _fail(f'Unclosed start tag "{tag}" at byte offset {at}')
                if tag == "blockquote" and name == "expandable":
                    argument = "1"
                continue
            i += 1
            while self.ch(i) and self.ch(i) in _SPACES:
                i += 1
            if self.ch(i) == "":
                raise _fail(f'Unclosed start tag "{tag}" at byte offset {at}')
            value, i = self.attribute_value(i)
            if self.ch(i) == "":
                raise _fail(f"Unclosed start tag at byte offset {at}")
            argument = _argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise _fail(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        self.stack.append((tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        quote = self.ch(i)
        if quote not in ("'", '"'):
            start = i
            while self.ch(i).isascii() and (self.ch(i).isalnum() or self.ch(i) in (".", "-")):
                i += 1
            if not self.space(i) and self.ch(i) != ">":
                raise _fail(f"Unexpected end of name token at byte offset {self.byte_offset(start)}")
            return self.s[start:i].lower(), i
        i += 1
        value: list[str] = []
        while self.ch(i) not in (quote, ""):
            if self.ch(i) == "&":
                char, after = self.entity(i)
                if char is not None:
                    value.append(char)
                    i = after
                    continue
            value.append(self.ch(i))
            i += 1
        return "".join(value), i + 1 if self.ch(i) == quote else i

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise _fail(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 1
        while not self.space(i) and self.ch(i) != ">":
            i += 1
        end_name = self.s[begin + 2 : i].lower()
        while self.ch(i) and self.ch(i) in _SPACES:
            i += 1
        if self.ch(i) != ">":
            raise _fail(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        tag, argument, offset, out_index = self.stack.pop()
        if end_name and end_name != tag:
            at = self.byte_offset(begin)
            raise _fail(f'Unmatched end tag at byte offset {at}, expected "</{tag}>", found "</{end_name}>"')
        if self.utf16 > offset:
            self.add_entity(tag, argument, offset, self.utf16 - offset, "".join(self.out[out_index:]))
        return i + 1

    def add_entity(self, tag: str, argument: str, offset: int, length: int, inner: str) -> None:
        entity: dict[str, Any] = {"offset": offset, "length": length}
        if tag in _SIMPLE:
            entity["type"] = _SIMPLE[tag]
        elif tag == "a":
            url = argument or inner
            if not url.startswith(("http://", "https://", "tg://")):
                return  # Telegram silently drops links it cannot check
            entity.update(type="text_link", url=url)
        elif tag == "blockquote":
            entity["type"] = "expandable_blockquote" if argument else "blockquote"
        elif tag == "pre":
            last = self.entities[-1] if self.entities else None
            same_range = last is not None and (last["offset"], last["length"]) == (offset, length)
            if last is not None and same_range and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"  # <pre><code class="language-x">...</code></pre>
                return
            entity["type"] = "pre"
        else:  # code
            entity["type"] = "code"
            if argument:
                entity["language"] = argument
        self.entities.append(entity)

    @staticmethod
    def finish(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for entity in entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        return entities


def _argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "blockquote" and name == "expandable":
        return "1"
    return current


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Returns (plain text, entities) as Telegram would, or raises ``ApiError`` (400)."""
    plain, entities = _Parser(text, strict_ampersand).run()
    return plain, _Parser.finish(entities)
