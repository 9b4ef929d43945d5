"""Opt-in reminders: a founder's settings (/remind, /away), when a nudge is due, and the job that queues nudges."""
