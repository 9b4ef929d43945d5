"""The Slack adapter: slack-bolt in, Block Kit out, through the same service and outbox as Telegram."""
