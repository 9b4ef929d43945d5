"""The team and onboarding commands: start (and joining by invite), invite, digest_here, team and its use/set/role."""

from __future__ import annotations

from core.board import views
from core.board.command_base import CommandResult, RouterBase, whole_number
from core.board.team import ROLES, can_change

SETTINGS = {
    "name": "name",
    "timezone": "timezone",
    "tz": "timezone",
    "language": "language",
    "lang": "language",
    "target": "weekly_target",
    "goal": "goal_total",
    "segment": "target_segment",
}


class TeamCommands(RouterBase):
    """Mixed into the board router: a team's membership, invites and settings."""

    async def cmd_start(self, arg: str) -> CommandResult:
        _ = self._
        if arg.startswith("join_"):
            team = await self.repo.team_by_invite(arg[len("join_") :])
            if team is None:
                return self.say(_("That invite link is not valid. Ask your team for a fresh one (/invite)."))
            member_id, _role = await self.repo.add_member(
                team.id, self.caller.platform, self.caller.user, self.caller.name
            )
            if self.caller.interview_open:
                text = _("You are now in {team}. Finish or /cancel your open interview, then switch: /team use {slug}")
                return self.say(text.format(team=team.name, slug=team.slug))
            self.result.switch_to = (team.id, member_id)
            welcome = _("Welcome to {team}! You are in as a founder.").format(team=team.name)
            return self.say(
                welcome
                + "\n"
                + _("Log an interview with /interview (or /quick), see where the team stands with /status.")
            )
        team = await self.repo.team(self.caller.team_id)
        return self.say(
            _(
                "Hi {name}! I help your team do Customer Development: log every customer interview in two minutes, "
                "keep the hypothesis board, and see where you stand.\n\n"
                "Your team: {team}. Invite co-founders with /invite.\n"
                "Start with /interview (or /quick right after a call). /help lists everything."
            ).format(name=self.caller.name, team=team.name)
        )

    async def cmd_invite(self, arg: str) -> CommandResult:
        _ = self._
        if refused := self.refuse_change():
            return refused
        team = await self.repo.team(self.caller.team_id)
        code = await self.repo.invite_code(team.id)
        if self.caller.invite_base:
            link = f"{self.caller.invite_base}join_{code}"
            return self.say(
                _(
                    "Send this link to your co-founders; they join {team} as founders: {link}\n"
                    "A mentor? After they join: /team role NAME mentor."
                ).format(team=team.name, link=link)
            )
        return self.say(
            _("In the terminal, co-founders join {team} with: cusdev chat --team {slug}").format(
                team=team.name, slug=team.slug
            )
        )

    async def cmd_digest_here(self, arg: str) -> CommandResult:
        _ = self._
        if not self.caller.is_group:
            return self.say(_("Send /digest_here in the group where your team should get its weekly digest."))
        if not can_change(self.caller.role):
            return self.say(_("Mentors can read the board but not change it; ask a founder of the team."))
        team = await self.repo.team(self.caller.team_id)
        await self.repo.update_team(team.id, digest_chat=f"{self.caller.platform}:{self.caller.chat}")
        return self.say(
            _(
                "This group is now {team}'s digest channel. Here I answer /status and /hypotheses; "
                "interviews stay in private chats."
            ).format(team=team.name)
        )

    async def cmd_team(self, arg: str) -> CommandResult:
        _ = self._
        verb, _sep, rest = arg.partition(" ")
        if not verb:
            self.result.replies.append(views.team_reply(await self.board(), self.caller.lang))
            return self.result
        if verb == "use":
            return await self.use_team(rest.strip())
        if refused := self.refuse_change():
            return refused
        if verb == "set":
            return await self.team_set(rest)
        if verb == "role":
            return await self.team_role(rest)
        return self.say(
            _(
                "Use /team, /team use <team>, /team set <target|goal|segment|timezone|language|name> "
                "<value>, or /team role <name> <owner|founder|mentor>."
            )
        )

    async def use_team(self, slug: str) -> CommandResult:
        _ = self._
        teams = await self.repo.teams_of(self.caller.platform, self.caller.user)
        for team, member_id, _role in teams:
            if team.slug == slug:
                if self.caller.interview_open:
                    return self.say(_("Finish or /cancel the interview you have open first, then switch teams."))
                self.result.switch_to = (team.id, member_id)
                return self.say(_("Now working in {team}.").format(team=team.name))
        return self.say(
            _("You are not in a team called {slug}. Your teams: {teams}.").format(
                slug=slug, teams=", ".join(t.slug for t, _m, _r in teams) or "—"
            )
        )

    async def team_set(self, rest: str) -> CommandResult:
        _ = self._
        key, _sep, value = rest.strip().partition(" ")
        setting, value = SETTINGS.get(key.casefold()), value.strip()
        if setting is None or not value:
            return self.say(_("Settable: {keys}.").format(keys=", ".join(sorted(SETTINGS))))
        if setting in ("weekly_target", "goal_total"):
            number = whole_number(value)
            if number is None or not 0 < number <= 10000:
                return self.say(_("Please give a whole number, like 15."))
            await self.repo.update_team(self.caller.team_id, **{setting: number})
        elif setting == "timezone":
            from zoneinfo import available_timezones

            if value not in available_timezones():
                return self.say(_("Unknown timezone {tz}; use a name like Europe/Lisbon.").format(tz=value))
            await self.repo.update_team(self.caller.team_id, timezone=value)
        elif setting == "language" and value not in ("en", "ru"):
            return self.say(_("Languages: en, ru."))
        else:
            await self.repo.update_team(self.caller.team_id, **{setting: value[:200]})
        return self.say(_("Saved: {key} = {value}").format(key=key, value=value))

    async def team_role(self, rest: str) -> CommandResult:
        _ = self._
        if self.caller.role != "owner":
            return self.say(_("Only the team's owner changes roles."))
        name, _sep, role = rest.strip().rpartition(" ")
        members = [m for m in await self.repo.members(self.caller.team_id) if m.name.casefold() == name.casefold()]
        if role not in ROLES or len(members) != 1:
            return self.say(_("Use /team role <member name> <owner|founder|mentor>."))
        await self.repo.set_role(self.caller.team_id, members[0].id, role)  # type: ignore[arg-type]
        return self.say(_("{name} is now {role}.").format(name=members[0].name, role=_(ROLES[role])))
