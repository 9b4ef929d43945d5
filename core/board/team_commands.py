"""The team and onboarding commands: start (and joining by invite), invite, digest_here and the /team view."""

from __future__ import annotations

from core.board import views
from core.board.command_base import CommandResult, RouterBase
from core.board.handlers import refusal
from core.board.notices import to_member
from core.board.team import MemberInfo, TeamProfile, can_change
from core.i18n import gettext_for


class TeamCommands(RouterBase):
    """Mixed into the board router: a team's membership, invites and settings."""

    async def cmd_start(self, arg: str) -> CommandResult:
        _ = self._
        if arg.startswith("join_"):
            team = await self.repo.teams.team_by_invite(arg[len("join_") :])
            if team is None:
                return self.say(_("That invite link is not valid. Ask your team for a fresh one (/invite)."))
            before = await self.repo.teams.members(team.id)
            member_id, _role = await self.repo.teams.add_member(
                team.id, self.caller.platform, self.caller.user, self.caller.name
            )
            if all(member.id != member_id for member in before):
                self.tell_owners(team, before)
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
        team = await self.repo.teams.team(self.caller.team_id)
        return self.say(
            _(
                "Hi {name}! I help your team do Customer Development: log every customer interview in two minutes, "
                "keep the hypothesis board, and see where you stand.\n\n"
                "Your team: {team}. Invite co-founders with /invite.\n"
                "Start with /interview (or /quick right after a call). /help lists everything."
            ).format(name=self.caller.name, team=team.name)
        )

    def tell_owners(self, team: TeamProfile, members: list[MemberInfo]) -> None:
        """Tell the team's owner (in the team's language) that someone joined through the invite link."""
        _ = gettext_for(team.language)
        news = _("{name} joined {team} through your invite link. /team shows everyone.").format(
            name=self.caller.name, team=team.name
        )
        for member in members:
            if member.role == "owner":
                self.result.notices.extend(to_member(self.caller, member, news))

    async def cmd_invite(self, arg: str) -> CommandResult:
        _ = self._
        if refused := refusal(self.caller):
            return self.say(refused)
        team = await self.repo.teams.team(self.caller.team_id)
        code = await self.repo.teams.invite_code(team.id)
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
        team = await self.repo.teams.team(self.caller.team_id)
        await self.repo.teams.update_team(team.id, digest_chat=f"{self.caller.platform}:{self.caller.chat}")
        return self.say(
            _(
                "This group is now {team}'s digest channel. Here I answer /status and /hypotheses; "
                "interviews stay in private chats."
            ).format(team=team.name)
        )

    async def cmd_team(self, arg: str) -> CommandResult:
        self.result.replies.append(views.team_reply(await self.board(), self.caller.lang))
        return self.result
