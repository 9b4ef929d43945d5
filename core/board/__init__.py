"""The team's board: hypotheses, phases and gates, the snapshot every view reads, and the board commands."""
