"""Readers and clients of the running system: HTTP API and its addresses, assistant WebSocket, database, cache, payment processor, metrics, OpenAPI."""
