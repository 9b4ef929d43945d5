"""The team and onboarding commands: start (and joining by invite), invite and the /team view."""

from __future__ import annotations

from core.board import views
from core.board.command_base import CommandResult, RouterBase
from core.board.handlers import refusal
from core.board.invites import FOUNDER_LINK, MENTOR_LINK, is_invite, mentor_code, team_by_link
from core.board.notices import to_member
from core.board.team import MemberInfo, TeamProfile
from core.i18n import gettext_for
from core.interview.payloads import Action, StartScript, encode
from core.messages import Choice, Reply, TextBuilder


class TeamCommands(RouterBase):
    """Mixed into the board router: a team's membership, invites and settings."""

    async def cmd_start(self, arg: str) -> CommandResult:
        _ = self._
        if is_invite(arg):
            return await self.join(arg)
        team = await self.repo.teams.team(self.caller.team_id)
        return self.say_with_starts(
            _(
                "Hi {name}! I help your team do Customer Development: log every customer interview in two minutes, "
                "keep the hypothesis board, and see where you stand.\n\n"
                "Your team: {team}. Invite co-founders with /invite.\n"
                "Start with /interview (or /quick right after a call). /help lists everything."
            ).format(name=self.caller.name, team=team.name)
        )

    def say_with_starts(self, text: str) -> CommandResult:
        """A greeting with the two ways in as buttons: the interview picker and the quick log."""
        turn, _ = self.caller.turn, self._
        starts = (
            Choice(_("Log an interview"), encode(turn, Action.PICK)),
            Choice(_("Quick log"), encode(turn, StartScript("quick"))),
        )
        self.result.replies.append(Reply(TextBuilder().add(text).build(), (starts,)))
        return self.result

    async def join(self, link: str) -> CommandResult:
        """Join the team an invite link opens, as a founder or (by a mentor link) a mentor; the owner is told."""
        _ = self._
        found = await team_by_link(self.repo.teams, link)
        if found is None:
            return self.say(_("That invite link is not valid. Ask your team for a fresh one (/invite)."))
        team, role = found
        before = await self.repo.teams.members(team.id)
        member_id, current = await self.repo.teams.add_member(
            team.id, self.caller.platform, self.caller.user, self.caller.name
        )
        if all(member.id != member_id for member in before):
            if role == "mentor" and current == "founder":  # someone already in keeps their role
                await self.repo.teams.set_role(team.id, member_id, "mentor")
                current = "mentor"
            self.tell_owners(team, before, current)
        if self.caller.interview_open:
            text = _("You are now in {team}. Finish or /cancel your open interview, then switch: /team use {slug}")
            return self.say(text.format(team=team.name, slug=team.slug))
        self.result.switch_to = (team.id, member_id)
        if current == "mentor":
            return self.say(
                _(
                    "Welcome to {team}! You are in as a mentor: you see the board (/status, /hypotheses, /phase) "
                    "but do not change it or log interviews."
                ).format(team=team.name)
            )
        welcome = _("Welcome to {team}! You are in as a founder.").format(team=team.name)
        return self.say_with_starts(
            welcome + "\n" + _("Log an interview with /interview (or /quick), see where the team stands with /status.")
        )

    def tell_owners(self, team: TeamProfile, members: list[MemberInfo], role: str) -> None:
        """Tell the team's owner (in the team's language) that someone joined through an invite link."""
        _ = gettext_for(team.language)
        if role == "mentor":
            text = _("{name} joined {team} as a mentor through your invite link. /team shows everyone.")
        else:
            text = _("{name} joined {team} through your invite link. /team shows everyone.")
        news = text.format(name=self.caller.name, team=team.name)
        for member in members:
            if member.role == "owner":
                self.result.notices.extend(to_member(self.caller, member, news))

    async def cmd_invite(self, arg: str) -> CommandResult:
        _ = self._
        if refused := refusal(self.caller):
            return self.say(refused)
        team = await self.repo.teams.team(self.caller.team_id)
        if not self.caller.invite_base:
            return self.say(
                _("In the terminal, co-founders join {team} with: cusdev chat --team {slug}").format(
                    team=team.name, slug=team.slug
                )
            )
        wanted = arg.casefold()
        if wanted not in ("", "mentor", "new"):
            return self.say(
                _(
                    "Use /invite for a co-founder's link, /invite mentor for a mentor's, "
                    "/invite new to retire the old links."
                )
            )
        code = await (self.repo.teams.rotate_invite if wanted == "new" else self.repo.teams.invite_code)(team.id)
        if wanted == "mentor":
            link = f"{self.caller.invite_base}{MENTOR_LINK}{mentor_code(team.id, code)}"
            return self.say(
                _("Send this link to a mentor; they join {team} as a mentor (read-only): {link}").format(
                    team=team.name, link=link
                )
            )
        link = f"{self.caller.invite_base}{FOUNDER_LINK}{code}"
        text = _("Send this link to your co-founders; they join {team} as founders: {link}").format(
            team=team.name, link=link
        )
        if wanted == "new":
            text = _("A new link for {team}; the old links (for mentors too) no longer work: {link}").format(
                team=team.name, link=link
            )
        return self.say(
            text
            + "\n"
            + _("A mentor? /invite mentor gives a link that makes them one. A link gone astray? /invite new.")
        )

    async def cmd_team(self, arg: str) -> CommandResult:
        self.result.replies.append(views.team_reply(await self.board(), self.caller.lang))
        return self.result
