"""Every command a person can give, in one registry: the engine, the router, the console, Telegram's menu
and (later) the Slack manifest and `/cusdev help` all read it instead of keeping lists of their own.

A command is handled by the board router (it reads or changes the team's board) or by the interview
engine (it steers the conversation); `/start` is the router's greeting, and the engine's way in when it runs
alone. Summaries are message ids, translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.i18n import N_, gettext_for
from core.interview.payloads import Action

Handler = Literal["interview", "board"]
Section = Literal["interview", "board", "team"]


@dataclass(frozen=True)
class CommandSpec:
    """One command: its name, a one-line summary, who handles it and where it is offered."""

    name: str
    summary: str
    handler: Handler
    section: Section
    usage: str = ""
    in_menu: bool = False
    in_groups: bool = False
    action: Action | None = None
    reads: bool = False
    usage_on: tuple[tuple[str, str], ...] = ()
    """(platform, usage) where a platform's usage differs from `usage`."""

    def usage_for(self, platform: str | None) -> str:
        """The usage as written on this platform."""
        return dict(self.usage_on).get(platform or "", self.usage)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", N_("Your team and how to begin"), "board", "team", in_menu=True),
    # A Slack workspace is the team: its /cusdev invite explains that, with no link to make or rotate.
    CommandSpec(
        "invite", N_("Invite a co-founder"), "board", "team", "[mentor|new]", in_menu=True, usage_on=(("slack", ""),)
    ),
    CommandSpec("interview", N_("Log a customer interview"), "interview", "interview", "[script]", in_menu=True),
    CommandSpec("quick", N_("A 60-second log"), "interview", "interview", in_menu=True),
    CommandSpec("back", N_("The previous question"), "interview", "interview", action=Action.BACK),
    CommandSpec("skip", N_("Skip an optional question"), "interview", "interview", action=Action.SKIP),
    CommandSpec("done", N_("Finish a list"), "interview", "interview", action=Action.DONE),
    CommandSpec("keep", N_("Keep the answer as it is"), "interview", "interview", action=Action.KEEP),
    CommandSpec("pause", N_("Pause the interview"), "interview", "interview", in_menu=True, action=Action.PAUSE),
    CommandSpec("resume", N_("Resume the interview"), "interview", "interview", in_menu=True),
    CommandSpec("cancel", N_("Drop the interview"), "interview", "interview", in_menu=True),
    CommandSpec("status", N_("Where do we stand?"), "board", "board", in_menu=True, in_groups=True, reads=True),
    CommandSpec("hypotheses", N_("The hypothesis board"), "board", "board", in_menu=True, in_groups=True, reads=True),
    CommandSpec("hypothesis", N_("One hypothesis, or add one and set its status"), "board", "board", "H1", reads=True),
    CommandSpec("phase", N_("The phase and its exit gate"), "board", "board", in_menu=True, reads=True),
    CommandSpec("pivot", N_("Replace a hypothesis, keeping its history"), "board", "board", "H1 …"),
    CommandSpec(
        "interviews",
        N_("The latest interviews, or by a founder, since a day, of a segment"),
        "board",
        "board",
        "[by …] [since …] [segment …]",
        in_menu=True,
        reads=True,
    ),
    CommandSpec(
        "search", N_("Find interviews by their words"), "board", "board", "<words>", in_groups=True, reads=True
    ),
    CommandSpec("funnel", N_("The sales funnel"), "board", "board", reads=True),
    CommandSpec("merge", N_("Count two pains (or jobs, gains) as one"), "board", "board", "a => b"),
    CommandSpec("team", N_("Team settings and members"), "board", "team", reads=True),
    CommandSpec(
        "digest",
        N_("The team's weekly digest: where, when, now, a preview"),
        "board",
        "team",
        "here|schedule|now|preview|off|on",
        in_groups=True,
    ),
    CommandSpec("digest_here", N_("Make this group the team's digest channel"), "board", "team", in_groups=True),
    CommandSpec("remind", N_("Reminders when the team is behind"), "board", "team", "on|off|at HH:MM [timezone]"),
    CommandSpec("away", N_("No reminders until a date"), "board", "team", "until DATE|off"),
    CommandSpec("help", N_("What I can do"), "interview", "team", in_menu=True),
    CommandSpec("lang", N_("Language"), "interview", "team", "en|ru", in_menu=True),
)
BY_NAME = {command.name: command for command in COMMANDS}

BOARD_COMMANDS = frozenset(c.name for c in COMMANDS if c.handler == "board")
ENGINE_COMMANDS = frozenset(c.name for c in COMMANDS if c.handler == "interview") | {"start"}
GROUP_COMMANDS = frozenset(c.name for c in COMMANDS if c.in_groups)
"""What a group chat may ask: the board at a glance, never interview answers."""
GROUP_MENU = ", ".join(f"/{c.name}" for c in COMMANDS if c.in_groups and c.name != "digest_here")
"""The commands a group may use, as replies list them (/digest_here is the older name of /digest here)."""
READ_COMMANDS = frozenset(c.name for c in COMMANDS if c.reads)
"""Commands that only read the board in their plain form (their write forms go through the typed changes)."""
ACTION_COMMANDS = {c.action: c.name for c in COMMANDS if c.action is not None}
"""The command that does what a navigation button does (for renderings without buttons)."""


def menu() -> tuple[CommandSpec, ...]:
    """The commands a platform's menu offers, in order."""
    return tuple(command for command in COMMANDS if command.in_menu)


def help_lines(section: Section, lang: str, platform: str | None = None) -> list[str]:
    """ "/name usage — summary" for every command of a section, in the reader's language, as on the platform."""
    _ = gettext_for(lang)
    lines = []
    for command in COMMANDS:
        if command.section == section:
            usage = f" {command.usage_for(platform)}" if command.usage_for(platform) else ""
            lines.append(f"/{command.name}{usage} — {_(command.summary)}")
    return lines
