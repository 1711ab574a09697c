"""The embedded stack: PostgreSQL and Redis from wheels, the platform instances and doubles as processes, always stopped."""
