"""cosmic-ray's command line with the slips operators added (``support.runners.slips``):
``python -m support.runners.cosmic_ray_with_slips init|exec|operators ...``."""

from __future__ import annotations

import sys

from support.runners.slips import install

if __name__ == "__main__":
    install()
    from cosmic_ray.cli import main

    sys.exit(main())
