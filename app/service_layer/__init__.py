"""Use cases: each checks the caller's rights, runs one unit of work and returns results or domain errors."""
