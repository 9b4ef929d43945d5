"""Delivery: a relay per platform takes committed messages from the outbox and sends them through a Sender."""
