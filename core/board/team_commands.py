"""The team and onboarding commands: start (and joining by invite), invite, digest_here and the /team view."""

from __future__ import annotations

from core.board import views
from core.board.command_base import CommandResult, RouterBase
from core.board.handlers import refusal
from core.board.team import can_change
from core.interview.payloads import Action, StartScript, encode
from core.messages import Choice, Reply, TextBuilder


class TeamCommands(RouterBase):
    """Mixed into the board router: a team's membership, invites and settings."""

    async def cmd_start(self, arg: str) -> CommandResult:
        _ = self._
        if arg.startswith("join_"):
            team = await self.repo.teams.team_by_invite(arg[len("join_") :])
            if team is None:
                return self.say(_("That invite link is not valid. Ask your team for a fresh one (/invite)."))
            member_id, _role = await self.repo.teams.add_member(
                team.id, self.caller.platform, self.caller.user, self.caller.name
            )
            if self.caller.interview_open:
                text = _("You are now in {team}. Finish or /cancel your open interview, then switch: /team use {slug}")
                return self.say(text.format(team=team.name, slug=team.slug))
            self.result.switch_to = (team.id, member_id)
            welcome = _("Welcome to {team}! You are in as a founder.").format(team=team.name)
            return self.say_with_starts(
                welcome
                + "\n"
                + _("Log an interview with /interview (or /quick), see where the team stands with /status.")
            )
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
