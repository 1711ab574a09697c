"""Doubles of outside services, started as real servers: payment processor, language model, mail."""
