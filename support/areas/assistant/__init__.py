"""Assistant: people asking, following and cancelling; the event contract; a thousand at once."""
