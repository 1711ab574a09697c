"""The platform with one planted defect, for ``make audit-spec``. Never deployed.

    PLANTED_DEFECT=payment-not-audited uvicorn support.defects.planted_platform:app

The stack runs this instead of ``app.main:app`` only when asked for a defect.
Every HTTP answer carries ``x-planted-defect: <name>``. An unknown name, or a
defect whose target has changed, stops the process with exit code 2.
"""

from __future__ import annotations

import os
import sys

from support.defects.catalogue import defect_named
from support.defects.planting import AnnouncesPlantedDefect, PlantingError


def _planted() -> str:
    name = os.environ.get("PLANTED_DEFECT", "")
    try:
        defect_named(name).plant()
    except (KeyError, PlantingError) as exc:
        print(f"planted platform: {exc.args[0]}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"planted platform: DEFECT ACTIVE: {name}", file=sys.stderr, flush=True)
    return name


_defect = _planted()

from app.main import app  # noqa: E402  (imported once the defect is in place)

app.add_middleware(AnnouncesPlantedDefect, defect=_defect)
