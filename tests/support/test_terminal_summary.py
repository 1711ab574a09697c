"""The closing summary names each failure's step and the lines of its message worth reading: a CI log may show
only the summary, and a matcher given no reason starts its message with a blank line."""

from pathlib import Path

from support.report.terminal import Finished, summary


def _failed(message: str) -> Finished:
    return Finished(
        name="An outage opens the circuit",
        status="failed",
        location="features/resilience/processor_outage.feature:14",
        feature="A failing payment processor",
        step="the operators read in the logs that the circuit to the payment processor opened",
        message=message,
        seconds=6.0,
        evidence=Path("reports/allure-results/x-result.json"),
    )


def test_a_failure_in_the_summary_shows_its_step_and_what_was_expected_past_a_blank_first_line():
    said = summary(
        {"x": _failed("AssertionError: \nExpected: log lines saying it opened\n     but: was <[]>")}, "make rerun"
    )

    assert "  failed in features/resilience/processor_outage.feature:" in said
    assert "          step: the operators read in the logs that the circuit to the payment processor opened" in said
    assert "          Expected: log lines saying it opened" in said
    assert "          but: was <[]>" in said
    assert "AssertionError:" not in said


def test_a_long_line_of_a_failure_is_wrapped_under_its_indent_and_what_it_says_last_is_shown():
    rule = (
        "  - Olivia, over a session signed out, was answered 200, not 401, to their GET /api/v1/reports/activity sent"
        " again as it was (a session that has ended does nothing: its person is asked to sign in again)"
    )
    said = summary({"x": _failed(f"AssertionError: a rule that holds in every scenario was broken:\n{rule}")}, "")
    shown = said.splitlines()

    assert "            - Olivia, over a session signed out, was answered 200, not 401, to their GET" in said
    assert any(line.startswith("              ") and "sign in again)" in line for line in shown), said
    assert all(len(line) <= 10 + 110 for line in shown)


def test_a_message_longer_than_the_summary_shows_says_more_was_said():
    said = summary({"x": _failed("\n".join(f"line {n}" for n in range(1, 10)))}, "")

    assert "          line 6 …" in said and "line 7" not in said
