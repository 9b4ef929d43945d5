"""The reminder commands of a private chat: /remind (on, off, at HH:MM [timezone]) and /away (until a date, off)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from core.board.command_base import CommandResult, RouterBase
from core.board.team import TeamProfile, can_change
from core.i18n import N_
from core.interview.offers import format_day
from core.parsing import fold_typed
from core.reminders.ports import ReminderSettings
from core.reminders.rules import DAY_STARTS, away_day, in_daytime
from core.zones import parse_clock, timezone_named, zone_of

ON = frozenset({"on", "yes", "вкл", "включить", "да"})
OFF = frozenset({"off", "no", "stop", "выкл", "выключить", "нет"})
AT = frozenset({"at", "в"})
UNTIL = frozenset({"until", "till", "to", "до", "по"})
FOR_FOUNDERS = N_("Reminders are for founders who log interviews; mentors read the board.")


def clock(at: time) -> str:
    """A time of day as 18:30."""
    return at.strftime("%H:%M")


class ReminderCommands(RouterBase):
    """Mixed into the board router: a founder's own reminder settings."""

    async def _own(self) -> tuple[ReminderSettings, TeamProfile]:
        """The caller's reminder settings and their team."""
        return await self.repo.reminders.settings(self.caller.member_id), await self.repo.teams.team(
            self.caller.team_id
        )

    def _today(self, settings: ReminderSettings, team: TeamProfile) -> date:
        """Today in the timezone the caller's nudges follow."""
        return self.now.astimezone(zone_of(settings.zone(team.timezone))).date()

    async def cmd_remind(self, arg: str) -> CommandResult:
        _ = self._
        if not can_change(self.caller.role):
            return self.say(_(FOR_FOUNDERS))
        settings, team = await self._own()
        typed, _sep, rest = arg.strip().partition(" ")
        verb = fold_typed(typed)
        if not verb:
            return self.say(self.describe(settings, team))
        if verb in ON:
            return await self.keep(replace(settings, enabled=True), team)
        if verb in OFF:
            await self.repo.reminders.save(self.caller.member_id, replace(settings, enabled=False), self.now)
            return self.say(_("Reminders are off. /remind on brings them back."))
        if verb in AT:
            return await self.set_time(rest, settings, team)
        if parse_clock(verb) is not None:  # "/remind 18:30" means "/remind at 18:30"
            return await self.set_time(arg, settings, team)
        return self.say(_("I did not get that.") + " " + self.usage())

    async def set_time(self, text: str, settings: ReminderSettings, team: TeamProfile) -> CommandResult:
        """`at HH:MM [timezone]`: a daytime hour, and a timezone this system knows."""
        _ = self._
        typed_time, _sep, typed_zone = text.strip().partition(" ")
        at = parse_clock(typed_time)
        if at is None:
            return self.say(
                _("{time} is not a time of day; write it as HH:MM, e.g. /remind at 18:30 Europe/Lisbon.").format(
                    time=typed_time or "?"
                )
            )
        if not in_daytime(at):
            return self.say(
                _("I don't send reminders at night. Pick a time from {start} to {end}, e.g. /remind at 18:30.").format(
                    start=clock(DAY_STARTS), end="20:59"
                )
            )
        zone = settings.timezone
        if typed_zone.strip():
            zone = timezone_named(typed_zone)
            if zone is None:
                return self.say(
                    _("Unknown timezone {tz}; use a name like Europe/Lisbon or America/New_York.").format(
                        tz=typed_zone.strip()
                    )
                )
        return await self.keep(replace(settings, enabled=True, at=at, timezone=zone), team)

    async def keep(self, settings: ReminderSettings, team: TeamProfile) -> CommandResult:
        """Save the settings and say what they now are."""
        await self.repo.reminders.save(self.caller.member_id, settings, self.now)
        return self.say(self.describe(settings, team))

    def describe(self, settings: ReminderSettings, team: TeamProfile) -> str:
        """The settings in words, and how to change them."""
        _ = self._
        when = clock(settings.at)
        if settings.timezone is not None:
            zone = settings.timezone
        elif team.timezone != "UTC":
            zone = _("{tz} (your team's timezone)").format(tz=team.timezone)
        else:
            zone = _("UTC (your team has no timezone; add yours: /remind at {time} Europe/Lisbon)").format(time=when)
        if settings.enabled:
            lines = [
                _(
                    "Reminders are on: at {time} {zone}, on days the team is behind its weekly target "
                    "and you have not logged an interview yet; at most one a day."
                ).format(time=when, zone=zone)
            ]
        else:
            lines = [
                _(
                    "Reminders are off. /remind on nudges you at {time} {zone} on days the team is behind "
                    "its weekly target; at most one a day, never at night."
                ).format(time=when, zone=zone)
            ]
        today = self._today(settings, team)
        if settings.away_until is not None and settings.away_until > today:
            back = format_day(settings.away_until, self.caller.lang)
            lines.append(_("You are away: no reminders until {day} (/away off if you are back).").format(day=back))
        lines.append(self.usage())
        return "\n".join(lines)

    def usage(self) -> str:
        """How to change reminder settings."""
        return self._(
            "Change with /remind on, /remind off, /remind at HH:MM [timezone] (e.g. /remind at 18:30 Europe/Moscow), "
            "/away until DATE, /away off."
        )

    async def cmd_away(self, arg: str) -> CommandResult:
        _ = self._
        if not can_change(self.caller.role):
            return self.say(_(FOR_FOUNDERS))
        settings, team = await self._own()
        today = self._today(settings, team)
        text = fold_typed(arg)
        verb, _sep, rest = text.partition(" ")
        if not text:
            return self.say(self.describe(settings, team))
        if text in OFF or text in ("back", "вернулся", "вернулась"):
            await self.repo.reminders.save(self.caller.member_id, replace(settings, away_until=None), self.now)
            state = _("Reminders are on.") if settings.enabled else _("Reminders are off; /remind on starts them.")
            return self.say(_("Welcome back!") + " " + state)
        day = away_day(rest if verb in UNTIL else text, today)
        if day is None:
            return self.say(_("I could not read that date. Try /away until Friday or /away until 20 December."))
        if day <= today:
            return self.say(_("That day is not after today; name the day you are back, e.g. /away until Monday."))
        await self.repo.reminders.save(self.caller.member_id, replace(settings, away_until=day), self.now)
        reply = _("Got it: no reminders until {day}; they resume that day. /away off if you are back sooner.")
        note = "" if settings.enabled else " " + _("(Reminders are off anyway; /remind on starts them.)")
        return self.say(reply.format(day=format_day(day, self.caller.lang)) + note)
