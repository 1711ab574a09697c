"""Every refusal of the assistant that a scenario saw is in its company's audit trail.

A refused tool call reaches the client as a ``tool_completed`` frame naming
what was refused; the platform must also have written it to the company's
trail, with the call's id. Checked once per scenario, at its last step, over
every frame it received: the trails are read once, by each company's owner.
"""

from __future__ import annotations

import json
from typing import Any

from support.clients.exchanges import Recorder
from support.clients.paths import Compliance
from support.scenario.personas import OWNER_PERSONA


def refused_calls(recorder: Recorder) -> set[str]:
    """The ids of the tool calls the frames of the scenario reported refused."""
    refused = set()
    for frame in recorder.frames:
        try:
            message = json.loads(frame.text)
        except ValueError:
            continue  # the frame rules report it
        data = message.get("data") if isinstance(message, dict) else None
        if message.get("type") == "tool_completed" and isinstance(data, dict) and data.get("refused"):
            refused.add(str(message.get("tool_call_id")))
    return refused


def missing(world: Any, recorder: Recorder) -> list[str]:
    """A violation for each refused call missing from every company's trail; none when a company of the
    scenario can no longer be read (removed by it: its trail went with it)."""
    refused = refused_calls(recorder)
    if not refused:
        return []
    audited: set[str] = set()
    for company in [None, *world.others]:  # None: the scenario's own company
        try:
            entries = world.actor(OWNER_PERSONA, company).lists(Compliance.AUDIT)
        except AssertionError:  # the company is gone (removed by the scenario), and its trail with it
            return []
        audited |= {str(e["data"].get("tool_call_id")) for e in entries if e["action"] == "assistant_tool_refused"}
    return [
        f"the assistant refused tool call {call} on a connection, but no company's audit trail records it"
        for call in sorted(refused - audited)
    ]
