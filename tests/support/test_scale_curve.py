"""The scale curve spreads every crowd size over all the companies, and its chart shows each measured point."""

from bench.scale_curve import chart, spread


def test_a_small_crowd_is_spread_over_every_company_as_the_largest_is():
    made = [f"c{company}-p{person}" for company in range(4) for person in range(3)]  # company by company

    assert spread(made, 4, 6) == ["c0-p0", "c1-p0", "c2-p0", "c3-p0", "c0-p1", "c1-p1"]
    assert sorted(spread(made, 4, 12)) == sorted(made)


def test_the_chart_labels_each_size_and_each_measured_value_and_skips_what_was_not_measured():
    points = [
        {"people": 250, "p95_s": 2.5, "yardstick_p95_s": 0.2, "cpu_ms": 14.1, "machine_cpu_ms": 25.0, "busy_share": 0},
        {
            "people": 500,
            "p95_s": None,
            "yardstick_p95_s": 0.3,
            "cpu_ms": 13.2,
            "machine_cpu_ms": 24.0,
            "busy_share": 0.1,
        },
    ]

    drawn = chart(points)

    assert drawn.startswith("<svg") and drawn.count("<svg") == 4  # three charts in one image
    for label in (">250<", ">500<", ">2.5<", ">0.3<", ">14.1<", ">10<"):
        assert label in drawn, label
    assert drawn.count("<circle") == 2 + 1 + 2 + 2 + 2  # p95: the platform's 500 was not measured
