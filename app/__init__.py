"""The business platform the specification runs against: a FastAPI service over PostgreSQL and Redis."""
