"""The analytics store as the harness sees it (ANALYTICS_URL, ClickHouse's HTTP interface): a company's rows
counted as they lie, and the company's events delivered to it a second time (as a retried batch would)."""

from __future__ import annotations

import requests

from support.report.evidence import attach_json


class AnalyticsStoreReader:
    def __init__(self, url: str | None) -> None:
        self._url = url.rstrip("/") + "/" if url else None

    @property
    def available(self) -> bool:
        return self._url is not None

    def _query(self, sql: str, company: str) -> str:
        if self._url is None:
            raise AssertionError("this check reads the analytics store: ANALYTICS_URL (or -D analytics_url=...)")
        answer = requests.post(self._url, params={"param_company": company}, data=sql.encode(), timeout=10)
        answer.raise_for_status()
        return answer.text

    def rows_lying(self, company: str) -> tuple[int, int]:
        """The company's rows as stored (duplicates included) and its distinct events."""
        text = self._query(
            "SELECT count(), uniqExact(event_id) FROM events WHERE company = {company:UUID} FORMAT TSV", company
        )
        stored, distinct = (int(n) for n in text.split())
        return stored, distinct

    def trail_copied(self, company: str) -> list[tuple[int, str]]:
        """Each of the company's audit trail's entries the store holds (an event kept once, read with FINAL), by
        its seq and action, in order."""
        text = self._query(
            "SELECT seq, action FROM events FINAL WHERE company = {company:UUID} AND seq > 0 ORDER BY seq, action "
            "FORMAT TSV",
            company,
        )
        return [(int(seq), action) for seq, action in (line.split("\t") for line in text.splitlines())]

    def tool_calls(self, company: str) -> list[tuple[str, str]]:
        """Each of the company's tool calls the store holds: its tool, and how it ended unless ok ('' when ok)."""
        text = self._query(
            "SELECT tool, failure FROM events FINAL WHERE company = {company:UUID} AND action = 'assistant_tool_called'"
            " ORDER BY tool, failure FORMAT TSV",
            company,
        )
        return [(tool, failure) for tool, failure in (line.split("\t") for line in text.splitlines())]

    def deliver_again(self, company: str) -> int:
        """Every event of the company inserted once more, as it is: what a batch delivered twice leaves. The
        store's merges are held first, so the duplicates stay until the readers have read (the worst case)."""
        self._query("SYSTEM STOP MERGES events", company)
        before, _ = self.rows_lying(company)
        self._query("INSERT INTO events SELECT * FROM events FINAL WHERE company = {company:UUID}", company)
        after, distinct = self.rows_lying(company)
        attach_json(
            "analytics store: the company's events delivered again",
            {"rows before": before, "rows after": after, "distinct events": distinct},
        )
        return after - before

    def let_merges_run(self) -> None:
        if self._url is not None:
            requests.post(self._url, data=b"SYSTEM START MERGES events", timeout=10).raise_for_status()
