"""Small SVG charts of a load run, attached to the report as images: no plotting library needed."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, MARGIN = 640, 260, 40
COLOURS = ("#1f77b4", "#ff7f0e")


def histogram(
    title: str, series: dict[str, Sequence[float]], bins: int = 30, *, what: str = "seconds from question to answer"
) -> str:
    """Bars of how many answers took how long, one colour a series, on one scale of seconds."""
    values = [v for vs in series.values() for v in vs]
    top = max(values, default=1.0) or 1.0
    counts = {
        name: [
            sum(1 for v in vs if i * top / bins <= v < (i + 1) * top / bins or (i == bins - 1 and v == top))
            for i in range(bins)
        ]
        for name, vs in series.items()
    }
    tallest = max((c for cs in counts.values() for c in cs), default=1) or 1
    width = (WIDTH - 2 * MARGIN) / bins / max(1, len(series))
    bars = []
    for s, (name, cs) in enumerate(counts.items()):
        for i, count in enumerate(cs):
            h = (HEIGHT - 2 * MARGIN) * count / tallest
            x = MARGIN + i * (WIDTH - 2 * MARGIN) / bins + s * width
            bars.append(
                f"<rect x='{x:.1f}' y='{HEIGHT - MARGIN - h:.1f}' width='{width:.1f}' height='{h:.1f}' "
                f"fill='{COLOURS[s % 2]}'><title>{escape(name)}: {count}</title></rect>"
            )
    return _frame(title, bars, f"{what} (0 to {top:.2f})", list(series))


def over_time(
    title: str, series: dict[str, Sequence[float]], step_s: float = 0.25, *, since: str = "the first question"
) -> str:
    """Answers completed per second over the run, one line a series (each value: seconds since the start)."""
    end = max((v for vs in series.values() for v in vs), default=1.0) or 1.0
    steps = max(1, int(end / step_s) + 1)
    rates = {
        name: [sum(1 for v in vs if i * step_s <= v < (i + 1) * step_s) / step_s for i in range(steps)]
        for name, vs in series.items()
    }
    top = max((r for rs in rates.values() for r in rs), default=1.0) or 1.0
    lines = []
    for s, rs in enumerate(rates.values()):
        points = " ".join(
            f"{MARGIN + i * (WIDTH - 2 * MARGIN) / steps:.1f},{HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * r / top:.1f}"
            for i, r in enumerate(rs)
        )
        lines.append(f"<polyline points='{points}' fill='none' stroke='{COLOURS[s % 2]}' stroke-width='2'/>")
    return _frame(title, lines, f"seconds since {since} (0 to {end:.1f}); up to {top:.0f} a second", list(series))


def curve(title: str, xs: Sequence[float], series: dict[str, Sequence[float | None]], axis: str) -> str:
    """One line a series over the same x values (a point each, labelled with its value; None: not measured),
    on one scale from 0 to the largest value; ``xs`` are evenly spaced in their order (a doubling crowd reads as
    steps of one) and named under the axis."""
    top = max((v for vs in series.values() for v in vs if v is not None), default=1.0) or 1.0
    step = (WIDTH - 2 * MARGIN - 60) / max(1, len(xs) - 1)
    where = {value: MARGIN + step * n for n, value in enumerate(xs)}

    def x(value: float) -> float:
        return where[value]

    def y(value: float) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN - 20) * value / top

    marks = [
        f"<text x='{x(v):.1f}' y='{HEIGHT - MARGIN + 14}' font-size='11' text-anchor='middle'>{v:,.0f}</text>"
        for v in xs
    ]
    for s, values in enumerate(series.values()):
        measured = [(x(a), y(b), b) for a, b in zip(xs, values, strict=True) if b is not None]
        colour = COLOURS[s % 2]
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in measured)
        marks.append(f"<polyline points='{points}' fill='none' stroke='{colour}' stroke-width='2'/>")
        marks += [
            f"<circle cx='{px:.1f}' cy='{py:.1f}' r='3' fill='{colour}'/>"
            f"<text x='{px + 5:.1f}' y='{py - 5:.1f}' font-size='11' fill='{colour}'>{value:g}</text>"
            for px, py, value in measured
        ]
    return _frame(title, marks, axis, list(series))


def _frame(title: str, marks: list[str], axis: str, names: list[str]) -> str:
    legend = "".join(
        f"<text x='{WIDTH - 200}' y='{20 + 16 * i}' fill='{COLOURS[i % 2]}' font-size='12'>{escape(n)}</text>"
        for i, n in enumerate(names)
    )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' font-family='sans-serif'>"
        f"<rect width='100%' height='100%' fill='white'/>"
        f"<text x='{MARGIN}' y='20' font-size='14'>{escape(title)}</text>{legend}{''.join(marks)}"
        f"<line x1='{MARGIN}' y1='{HEIGHT - MARGIN}' x2='{WIDTH - MARGIN}' y2='{HEIGHT - MARGIN}' stroke='black'/>"
        f"<text x='{MARGIN}' y='{HEIGHT - 12}' font-size='11'>{escape(axis)}</text></svg>"
    )
