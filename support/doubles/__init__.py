"""Doubles of outside services, started as real servers: payment processor, language model, mail."""

HEALTH = "/health"  # every double answers 200 here once it is ready
