"""docs/figures.md's Figures table is the one drawn from the runs recorded in bench/figures/."""

from bench import figures


def test_the_readme_figures_are_drawn_from_the_recorded_runs():
    readme = figures.README.read_text()
    assert readme == figures.drawn(readme), (
        "docs/figures.md's figures differ from bench/figures/; run `.venv/bin/python -m bench.figures --write`"
    )


def test_every_recorded_figure_says_what_how_and_when():
    import json

    for path in figures.FIGURES.glob("*.json"):
        row = json.loads(path.read_text())
        assert {"order", "what", "figure", "command", "measured", "machine"} <= row.keys(), path.name
        assert row["command"].startswith("`"), f"{path.name}: the command, as Markdown code"
