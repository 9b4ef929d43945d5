"""The digest's picture as data: interviews per week against the target, and the top pains with their severity."""

from __future__ import annotations

from core.digest.model import Digest
from core.i18n import gettext_for, ngettext_for
from core.messages import ChartSpec, Image, shorten

PAIN_LABEL = 60
"""A pain's text on the chart is cut here (bot.charts wraps it over lines)."""
SEVERITY_MAX = 5


def digest_image(digest: Digest, lang: str) -> Image:
    """Both charts in one image, with alt text that says what they show."""
    _ = gettext_for(lang)
    weeks = week_chart(digest, lang)
    charts = [weeks]
    if digest.pains:
        charts.append(pain_chart(digest, lang))
    counts = ", ".join(f"{label}: {int(value)}" for label, value in zip(weeks.labels, weeks.series[0][1], strict=True))
    alt = _("Interviews per week (target {target}): {counts}.").format(
        target=digest.board.team.weekly_target, counts=counts
    )
    if digest.pains:
        top = digest.pains[0]
        alt += " " + ngettext_for(lang)(
            "Top pain: “{pain}” ({n} interviewee).", "Top pain: “{pain}” ({n} interviewees).", top.interviewees
        ).format(pain=shorten(top.text, PAIN_LABEL), n=top.interviewees)
    return Image(charts=tuple(charts), alt=alt)


def week_chart(digest: Digest, lang: str) -> ChartSpec:
    """Interviews per week (the week's Monday as "W48"), the weekly target as a line."""
    _ = gettext_for(lang)
    labels = tuple(f"W{monday.isocalendar().week}" for monday, _count in digest.weeks)
    counts = tuple(float(count) for _monday, count in digest.weeks)
    return ChartSpec(
        title=_("Interviews per week"),
        labels=labels,
        series=((_("Interviews"), counts),),
        target=float(digest.board.team.weekly_target),
        chart="bar",
    )


def pain_chart(digest: Digest, lang: str) -> ChartSpec:
    """Top pains by interviewees, each bar tinted by its mean severity (out of 5); a new pain is marked."""
    _ = gettext_for(lang)
    labels = tuple((_("NEW") + " · " if pain.new else "") + shorten(pain.text, PAIN_LABEL) for pain in digest.pains)
    shades = tuple(
        0.0 if pain.mean_severity is None else min(float(pain.mean_severity) / SEVERITY_MAX, 1.0)
        for pain in digest.pains
    )
    return ChartSpec(
        title=_("Top pains: interviewees (darker: more severe)"),
        labels=labels,
        series=((_("Interviewees"), tuple(float(pain.interviewees) for pain in digest.pains)),),
        chart="hbar",
        shades=shades,
    )
