"""Request and response bodies, one module per area. Money travels as decimal strings, never floats."""
