"""Planted defects: realistic bugs patched into the platform at start-up, to prove the specification catches them.

Test-only. ``app/`` never imports this package; the stack runs
``support.defects.planted_platform:app`` instead of ``app.main:app`` only when
it is asked for a defect by name (``PLANTED_DEFECT``).
"""
