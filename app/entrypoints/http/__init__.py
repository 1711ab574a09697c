"""HTTP routes, request and response bodies, and the one mapping of domain errors to status codes."""
