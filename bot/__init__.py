"""cusdev adapters: console, CLI, and later the chat platforms."""
