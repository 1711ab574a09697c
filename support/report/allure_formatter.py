"""allure-behave's formatter, taught Gherkin's ``Rule:``: scenarios inside a rule are reported too.

allure-behave 2.16 wraps ``feature.scenarios`` only, so a scenario under a
``Rule:`` was run but never written to the results (and behave 1.3.3's own
summary counts no time for it). ``report_rules`` mends the formatter's class;
environment.py calls it when behave loads the hooks (the formatter itself is
loaded before the repository is on ``sys.path``, so behave.ini cannot name a
class of ours).
"""

from __future__ import annotations

from typing import Any

from allure_behave.formatter import AllureFormatter


def top_level_scenarios(feature: Any) -> list[Any]:
    """The feature's scenarios and outlines, those inside its rules included, in file order."""
    items = []
    for item in feature.run_items:
        items.extend(item.scenarios if type(item).__name__ == "Rule" else [item])
    return items


def report_rules() -> None:
    """Makes the Allure formatter wrap every scenario of a feature, those inside rules included."""

    def feature(self: AllureFormatter, feature: Any) -> None:
        self._wrap_scenario(top_level_scenarios(feature))

    AllureFormatter.feature = feature  # type: ignore[method-assign]
