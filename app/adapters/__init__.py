"""The edges: SQLAlchemy tables and repositories, Alembic migrations, Redis streams and caches, the payment, model and mail clients."""
