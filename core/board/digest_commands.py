"""`digest` and its subcommands: where the team's digest goes, when, and sending it now or as a private preview."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from babel.dates import format_datetime, get_day_names

from core.board.command_base import CommandResult, RouterBase
from core.board.digest_schedule import DigestSchedule, next_run, parse_schedule, schedule_of
from core.board.digest_target import DigestRequest, target_of
from core.board.handlers import MENTORS_CANNOT_CHANGE
from core.board.team import TeamProfile, can_change
from core.command_registry import GROUP_MENU
from core.messages import Destination, Ephemeral, ToChat, ToUser

SUBCOMMANDS = ("here", "schedule", "now", "preview", "off", "on")


class DigestCommands(RouterBase):
    """Mixed into the board router: the team's weekly (or daily) digest."""

    async def cmd_digest_here(self, arg: str) -> CommandResult:
        return await self.cmd_digest("here")

    async def cmd_digest(self, arg: str) -> CommandResult:
        _ = self._
        sub, _sep, rest = arg.strip().partition(" ")
        sub = sub.casefold().lstrip("/")
        if sub not in ("", *SUBCOMMANDS):
            return self.refuse(_("I don't know “{word}”.").format(word=sub[:40]) + "\n" + self.digest_usage())
        team = await self.repo.teams.team(self.caller.team_id)
        if sub == "":
            return self.say(self.digest_describe(team) + "\n\n" + self.digest_usage())
        if sub == "preview":
            return self.digest_preview(team)
        if not can_change(self.caller.role):
            return self.refuse(_(MENTORS_CANNOT_CHANGE))
        if sub == "here":
            return await self.digest_here(team)
        if sub == "now":
            return self.digest_now_to_target(team)
        if sub in ("off", "on"):
            await self.repo.teams.update_team(team.id, digest_enabled=sub == "on", digest_set_at=self.now)
            return self.say(self.digest_describe(await self.repo.teams.team(team.id)))
        return await self.digest_schedule(team, rest)

    def digest_usage(self) -> str:
        """The subcommands, one line each."""
        _ = self._
        return "\n".join(
            (
                _("/digest here — send the digest to this group (or channel)"),
                _("/digest schedule monday 09:00 Europe/Moscow — when (weekday or daily, time, timezone)"),
                _("/digest now — send it to the team now"),
                _("/digest preview — see it yourself, privately"),
                _("/digest off — stop it (/digest on starts it again)"),
            )
        )

    def digest_when(self, schedule: DigestSchedule) -> str:
        """ "Mondays at 09:00 (Europe/Moscow)" in the reader's language."""
        _ = self._
        at = f"{schedule.hour:02d}:{schedule.minute:02d}"
        if schedule.cadence == "daily":
            return _("every day at {time} ({zone})").format(time=at, zone=schedule.timezone)
        day = get_day_names("wide", locale=self.caller.lang)[schedule.weekday]
        return _("every {weekday} at {time} ({zone})").format(weekday=day, time=at, zone=schedule.timezone)

    def digest_describe(self, team: TeamProfile) -> str:
        """Where and when the digest goes, and the next one."""
        _, schedule = self._, schedule_of(team)
        target = target_of(team)
        if schedule.cadence == "off":
            return _("The digest is off. /digest on starts it again.")
        lines = [_("Digest: {when}.").format(when=self.digest_when(schedule))]
        upcoming = next_run(schedule, self.now)
        if upcoming is not None:
            moment = format_datetime(upcoming, "EEE d MMM, HH:mm", tzinfo=schedule.zone, locale=self.caller.lang)
            lines.append(_("Next one: {moment}.").format(moment=moment))
        if target is None:
            lines.append(_("It has nowhere to go yet: send /digest here in your team's group or channel."))
        elif self.caller.is_group and target.chat == self.caller.chat:
            lines.append(_("It goes to this chat."))
        else:
            lines.append(_("It goes to the team's group (set with /digest here)."))
        return "\n".join(lines)

    async def digest_here(self, team: TeamProfile) -> CommandResult:
        _ = self._
        if not self.caller.is_group:
            return self.say(_("Send /digest here in the group (or Slack channel) where your team should get it."))
        caller = self.caller
        await self.repo.teams.update_team(
            team.id, digest_chat=f"{caller.platform}:{caller.chat}", digest_tenant=caller.tenant, digest_set_at=self.now
        )
        text = _(
            "This chat is now {team}'s digest channel. Here I answer {commands}; interviews stay in private chats."
        ).format(team=team.name, commands=GROUP_MENU)
        return self.say(text + "\n" + self.digest_describe(await self.repo.teams.team(team.id)))

    async def digest_schedule(self, team: TeamProfile, text: str) -> CommandResult:
        _ = self._
        parsed = parse_schedule(text)
        errors = {
            "day": _("Which day? A weekday (monday … sunday) or daily, e.g. /digest schedule monday 09:00."),
            "time": _("Which time? Hours and minutes from 00:00 to 23:59, e.g. /digest schedule friday 17:30."),
            "zone": _(
                "I don't know that timezone. Use a name like Europe/Moscow, Europe/Berlin, America/New_York or UTC."
            ),
        }
        if parsed.error:
            return self.refuse(errors[parsed.error])
        changes: dict[str, object] = {
            "digest_cadence": parsed.cadence,
            "digest_hour": parsed.hour,
            "digest_minute": parsed.minute,
            "digest_set_at": self.now,
        }
        if parsed.weekday is not None:
            changes["digest_weekday"] = parsed.weekday
        if parsed.timezone is not None:
            changes["timezone"] = parsed.timezone
        await self.repo.teams.update_team(team.id, **changes)
        described = self.digest_describe(await self.repo.teams.team(team.id))
        if parsed.timezone is not None and parsed.timezone != team.timezone:
            note = _("The team's timezone is now {zone}: weeks on the board and reminders follow it too.")
            described += "\n" + note.format(zone=parsed.timezone)
        return self.say(described)

    def digest_period(self, team: TeamProfile) -> tuple[datetime, datetime]:
        """The period a digest asked for now reports on: the last day or week until now."""
        days = 1 if team.digest_cadence == "daily" else 7
        return self.now - timedelta(days=days), self.now

    def digest_now_to_target(self, team: TeamProfile) -> CommandResult:
        _, caller = self._, self.caller
        target: Destination | None = target_of(team)
        if target is None and caller.is_group:
            target = ToChat(caller.platform, caller.tenant, caller.chat)
        if target is None:
            return self.refuse(
                _("The digest has nowhere to go yet: send /digest here in your team's group, or /digest preview.")
            )
        start, end = self.digest_period(team)
        key = f"now:{self.now:%Y-%m-%dT%H:%M}:{secrets.token_hex(6)}"  # every ask is its own digest
        request = DigestRequest(
            team.id, target, start, end, team.language, key, "now", self.digest_asker(), caller.lang
        )
        self.result.digests.append(request)
        if isinstance(target, ToChat) and caller.is_group and target.chat == caller.chat:
            return self.result  # the digest itself is the answer here
        return self.say(_("Sending the digest to the team's digest chat now."))

    def digest_asker(self) -> Destination:
        """Where the asker hears if a digest cannot be built: this chat, or only them in a group."""
        caller = self.caller
        if caller.is_group:
            return Ephemeral(caller.platform, caller.tenant, caller.chat, caller.user)
        return ToChat(caller.platform, caller.tenant, caller.chat)

    def digest_preview(self, team: TeamProfile) -> CommandResult:
        _, caller = self._, self.caller
        private: Destination = (
            ToUser(caller.platform, caller.tenant, caller.user)
            if caller.is_group
            else ToChat(caller.platform, caller.tenant, caller.chat)
        )
        start, end = self.digest_period(team)
        request = DigestRequest(team.id, private, start, end, caller.lang, None, "preview", private, caller.lang)
        self.result.digests.append(request)
        return self.refuse(_("I sent you the preview privately.")) if caller.is_group else self.result
