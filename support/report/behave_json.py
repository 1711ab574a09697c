"""Reading behave's ``-f json`` output (listings and reports), mended where behave 1.3.3 gets it wrong."""

from __future__ import annotations


def scenarios_with_their_status(elements: list[dict]) -> list[dict]:
    """A feature's scenarios, each with its own status.

    behave 1.3.3's JSON formatter writes the status of a scenario that ends just before a ``Rule:`` onto the
    background the rule starts with (and leaves the scenario's own as None); it is given back here.
    """
    scenarios: list[dict] = []
    for element in elements:
        if element.get("type") == "scenario":
            scenarios.append(dict(element))
        elif element.get("status") and scenarios and scenarios[-1].get("status") is None:
            scenarios[-1]["status"] = element["status"]
    return scenarios
