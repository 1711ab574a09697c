"""Whole journeys: a campaign to a paid, supported client; lead to cash in one call."""
