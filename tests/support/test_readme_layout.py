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
