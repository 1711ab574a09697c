"""The README's Layout section is the tree's: a moved or added package fails here until it is redrawn."""

from support.report.layout import REPO_ROOT, readme_section, section


def test_the_readme_layout_matches_the_tree():
    written = readme_section((REPO_ROOT / "README.md").read_text()).rstrip()
    assert written == section().rstrip(), (
        "README.md's Layout section differs from the tree; run `.venv/bin/python -m support.report.layout --write`"
    )


def test_support_has_at_most_twelve_entries_at_its_top():
    entries = [p.name for p in (REPO_ROOT / "support").iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 12, sorted(entries)


def test_the_readme_counts_every_features_scenarios_right(tmp_path):
    """The "What is specified" table names every feature with the number of scenarios it really has."""
    import json
    import re
    import subprocess
    import sys

    listing = tmp_path / "dry.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "behave",
            "--dry-run",
            "--no-summary",
            "--no-junit",
            "--tags=not @none",
            "-f",
            "json",
            "-o",
            str(listing),
        ],
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    counted = {
        feature["location"].split(":")[0]: sum(1 for e in feature.get("elements", []) if e.get("type") == "scenario")
        for feature in json.loads(listing.read_text())
    }
    written = dict(re.findall(r"^\| `(features/[^`]+)` \| (\d+) \|", (REPO_ROOT / "README.md").read_text(), re.M))
    assert {path: str(n) for path, n in counted.items()} == written
