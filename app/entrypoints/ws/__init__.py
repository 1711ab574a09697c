"""The assistant's WebSocket: questions in, events out, through one bounded outbox per connection."""
