"""Nothing of another company, or of another person's own things, in any answer or frame.

Checked as a scenario goes, over everything it receives: an id (a UUID) seen in answers to two companies'
people belongs to one and leaked to the other; an event of a run seen on two people's connections likewise
(the end a stranger is answered with carries the id they sent, but no seq); a notification or a
conversation shown to one person (in their list of their own, or read alone) shown to anyone else, colleague
or not; and no answer to one company's people names another company of the scenario (its slug, which its
people's e-mail addresses carry too). The operator's answers, and those to nobody signed in, belong to no
company and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from support.clients.exchanges import Frame, HttpExchange, objects_shown
from support.clients.paths import API_PREFIX

RECORD_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# What is one person's alone, wherever it is shown: their notifications, their conversations with the assistant
PERSONAL = re.compile(rf"^{re.escape(API_PREFIX)}/(notifications|assistant/threads)(/[^/]+)?$")
RUN_EVENT = re.compile(r'"run_id": ?"([0-9a-f]{32})".*?"seq": ?\d')  # an event of a run (an end with no seq is not)


@dataclass
class IsolationWatch:
    """Who has been shown what so far in one scenario."""

    first_seen: dict[str, tuple[str, str]] = field(default_factory=dict)  # record -> (company, where)
    run_owner: dict[str, str] = field(default_factory=dict)  # run -> the person whose connection saw it first
    personal: dict[str, tuple[str, str]] = field(default_factory=dict)  # one's own thing -> (person, where)
    reported: set[str] = field(default_factory=set)

    def leaks(self, http: list[HttpExchange], frames: list[Frame], slugs: dict[str, str]) -> list[str]:
        """What the new exchanges show that belongs elsewhere. ``slugs``: the scenario's companies, id -> slug."""
        problems = []
        texts = [(x.company, x.text, f"{x.method} {x.path} to {x.caller}") for x in http]
        texts += [(f.company, f.text, f"a frame to {f.connection}") for f in frames]
        for company, text, place in texts:
            if company is None:
                continue
            for record in RECORD_ID.findall(text):
                owner, first = self.first_seen.setdefault(record, (company, place))
                if owner != company and record not in self.reported:
                    self.reported.add(record)
                    problems.append(f"record {record}, first shown in {first}, was shown to another company in {place}")
            problems += [
                f"{place} names another company of the scenario ({slug})"
                for other, slug in slugs.items()
                if other != company and slug in text
            ]
        problems += self._personal_shown_to_another(http, slugs)
        for frame in frames:
            person = f"{frame.person} of {frame.company}"
            for run in RUN_EVENT.findall(frame.text):
                if self.run_owner.setdefault(run, person) != person and run not in self.reported:
                    self.reported.add(run)
                    problems.append(f"run {run} of {self.run_owner[run]} reached {frame.connection}")
        return problems

    def _personal_shown_to_another(self, http: list[HttpExchange], slugs: dict[str, str]) -> list[str]:
        """A notification or a conversation first shown to one person, shown to another."""
        problems = []
        for x in http:
            if x.company is None or x.method != "GET" or not PERSONAL.match(x.path.split("?")[0]):
                continue
            person, place = f"{x.caller} of {slugs.get(x.company, x.company)}", f"{x.method} {x.path} to {x.caller}"
            for thing in (str(shown["id"]) for shown in objects_shown(x) if shown.get("id")):
                owner, first = self.personal.setdefault(thing, (person, place))
                if owner != person and thing not in self.reported:
                    self.reported.add(thing)
                    problems.append(
                        f"{thing}, {owner}'s own (first shown in {first}), was shown to {person} in {place}"
                    )
        return problems


def watch_of(state: dict[str, object]) -> IsolationWatch:
    watch = state.setdefault("isolation", IsolationWatch())
    assert isinstance(watch, IsolationWatch)
    return watch
