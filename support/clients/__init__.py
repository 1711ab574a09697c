"""Readers and clients of the running system: HTTP API, assistant WebSocket, database, cache, payment processor, health, OpenAPI."""
