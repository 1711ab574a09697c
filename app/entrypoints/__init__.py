"""How the world reaches the platform: HTTP routes and the assistant's WebSocket."""
