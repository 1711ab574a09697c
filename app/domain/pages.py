"""Pages of a listing: records in the order they were made, resumed after the last one seen.

A position is (created_at, id): unique, and stable while records are added, so
reading page after page gives every record once, none twice, whatever is written meanwhile.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

DEFAULT_PAGE = 100
LARGEST_PAGE = 500


@dataclass(frozen=True, slots=True)
class Position:
    created_at: datetime
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Page:
    limit: int = DEFAULT_PAGE
    after: Position | None = None
