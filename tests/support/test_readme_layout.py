"""The documents drawn from the repository stay true: the layout is the tree's, the feature list counts
every feature's scenarios, and the README stays a guide (short, the two commands first)."""

from support.report.layout import LAYOUT_DOC, REPO_ROOT, readme_section, section


def test_the_layout_document_matches_the_tree():
    written = readme_section(LAYOUT_DOC.read_text()).rstrip()
    assert written == section().rstrip(), (
        "docs/layout.md differs from the tree; run `.venv/bin/python -m support.report.layout --write`"
    )


def test_the_readme_is_a_guide_with_the_two_commands_first():
    readme = (REPO_ROOT / "README.md").read_text().splitlines()
    assert len(readme) <= 250, f"README.md has {len(readme)} lines: reference belongs in docs/"
    first_block = "\n".join(readme[:6])
    assert "make spec" in first_block and "make test" in first_block, "the two commands come first"
    assert max(len(line) for line in readme) <= 160, "a README line too long to read"


def test_support_has_at_most_twelve_entries_at_its_top():
    entries = [p.name for p in (REPO_ROOT / "support").iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 12, sorted(entries)


def test_the_readme_counts_every_features_scenarios_right(tmp_path):
    """docs/specified.md names every feature with the number of scenarios it really has."""
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
    written = dict(
        re.findall(r"^\| `(features/[^`]+)` \| (\d+) \|", (REPO_ROOT / "docs" / "specified.md").read_text(), re.M)
    )
    assert {path: str(n) for path, n in counted.items()} == written
