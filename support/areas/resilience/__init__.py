"""Resilience: faults injected with the servers' own means, work under way while they strike, the steady state, leaks."""
