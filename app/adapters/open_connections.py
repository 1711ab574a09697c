"""The assistant connections each person holds open on this instance, at most so many at a time.

Each open connection costs the instance memory (about 45 KB) and a file descriptor for as long as it stays open:
unbounded, one signed-in person (or one stolen token) could open thousands (6,000 took 18 s in one probe, run once, and 270 MB
of the instance's memory) until the instance could take no other connection, and no database connection either.
"""

from __future__ import annotations

import uuid
from collections import Counter


class OpenConnections:
    def __init__(self, per_person: int) -> None:
        self.per_person = per_person
        self._held: Counter[tuple[uuid.UUID, uuid.UUID]] = Counter()

    def take(self, company_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """Counts one more connection of the person; False (and nothing counted) when they hold their most."""
        if self._held[(company_id, user_id)] >= self.per_person:
            return False
        self._held[(company_id, user_id)] += 1
        return True

    def give_back(self, company_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """One connection of the person closed."""
        self._held[(company_id, user_id)] -= 1
        if self._held[(company_id, user_id)] <= 0:
            del self._held[(company_id, user_id)]
