"""Tenancy: one company's records out of another's reach, roles, and sessions gone bad."""
