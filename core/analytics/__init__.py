"""Pure, exact analytics over a team's interviews: top items, activity and pace, the sales funnel."""
