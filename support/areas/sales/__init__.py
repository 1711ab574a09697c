"""Sales: leads, deals, delivery projects, and the notifications people receive."""
