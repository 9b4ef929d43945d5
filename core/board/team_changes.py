"""Typed changes to the team itself: a setting, a member's role, the team a conversation works in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from core.board.fields import FieldError, typed_count
from core.board.team import Role, role_named, role_names
from core.i18n import LANGUAGES, gettext_for
from core.zones import timezone_named

TeamSetting = Literal["name", "timezone", "language", "target", "goal", "segment"]
MAX_TEAM_TEXT = 200  # the team name column's size; the segment is kept to the same

SETTING_ALIASES: dict[str, TeamSetting] = {"tz": "timezone", "lang": "language"}
SETTING_COLUMNS: dict[TeamSetting, str] = {
    "name": "name",
    "timezone": "timezone",
    "language": "language",
    "target": "weekly_target",
    "goal": "goal_total",
    "segment": "target_segment",
}
"""Each setting's column in the team's profile."""


def settable(lang: str) -> str:
    """The line that lists every team setting (and its aliases)."""
    keys = ", ".join(sorted([*get_args(TeamSetting), *SETTING_ALIASES]))
    return gettext_for(lang)("Settable: {keys}.").format(keys=keys)


@dataclass(frozen=True)
class ChangeTeamSetting:
    """One team setting's new value: an int for target and goal, text for the others.

    An error about the value is keyed by the setting's name ("target", "timezone"...), so a settings form
    with one input per setting shows it next to that input; an unknown setting is keyed "setting".
    """

    setting: TeamSetting
    value: str | int

    @classmethod
    def build(cls, *, setting: str, value: str, lang: str = "en") -> ChangeTeamSetting | list[FieldError]:
        """The change, or what is wrong with the setting or its value."""
        _ = gettext_for(lang)
        key = setting.strip().casefold()
        settings: tuple[TeamSetting, ...] = get_args(TeamSetting)
        known = SETTING_ALIASES.get(key) or next((known for known in settings if known == key), None)
        if known is None:
            return [FieldError("setting", settable(lang))]
        value = value.strip()
        if known in ("target", "goal"):
            number = typed_count(value)
            if number is None or not 0 < number <= 10000:
                return [FieldError(known, _("Please give a whole number, like 15."))]
            return cls(known, number)
        if not value:
            return [FieldError(known, _("Give a value."))]
        if known == "timezone":
            zone = timezone_named(value)
            if zone is None:
                return [FieldError(known, _("Unknown timezone {tz}; use a name like Europe/Lisbon.").format(tz=value))]
            value = zone
        if known == "language" and value not in LANGUAGES:
            return [FieldError(known, _("Languages: en, ru."))]
        if len(value) > MAX_TEAM_TEXT:
            return [FieldError(known, _("At most {count} characters, please.").format(count=MAX_TEAM_TEXT))]
        return cls(known, value)


@dataclass(frozen=True)
class SetRole:
    """A member's new role, the member named as the team shows them; only the owner changes roles."""

    member: str
    role: Role

    @classmethod
    def build(cls, *, member: str, role: str, lang: str = "en") -> SetRole | list[FieldError]:
        """The change, or what is wrong with each field; whether the member exists the handler checks."""
        _ = gettext_for(lang)
        errors = []
        if not member.strip():
            errors.append(FieldError("member", _("Name the member.")))
        known = role_named(role)
        if known is None:
            choices = ", ".join(role_names(lang))
            errors.append(FieldError("role", _("Choose one of: {choices}.").format(choices=choices)))
        if errors or known is None:
            return errors
        return cls(member.strip(), known)


@dataclass(frozen=True)
class UseTeam:
    """Switch the conversation to another team the caller belongs to."""

    slug: str

    @classmethod
    def build(cls, *, slug: str, lang: str = "en") -> UseTeam | list[FieldError]:
        """The change, or that no team was named."""
        if not slug.strip():
            return [FieldError("slug", gettext_for(lang)("Name the team to switch to."))]
        return cls(slug.strip())
