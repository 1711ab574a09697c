"""The run's summary reaches a chat webhook (a local double speaking Slack's incoming-webhook JSON) only when asked."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from support.report import timings
from support.report.chat_summary import post_if_asked

JUNIT = """<testsuite name="billing.card_payments">
  <testcase classname="billing.card_payments.Card payments" name="An overpayment is refused" status="passed" time="0.5"/>
  <testcase classname="billing.card_payments.Card payments" name="A retry charges once" status="failed" time="1.5"/>
  <testcase classname="billing.card_payments.Card payments" name="A void invoice" status="skipped" time="0"/>
</testsuite>"""


@pytest.fixture
def chat():
    received: list[dict] = []

    class Webhook(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/spec", received
    server.shutdown()


def _run_summary(tmp_path, monkeypatch, url: str | None) -> None:
    (tmp_path / "junit").mkdir()
    (tmp_path / "junit" / "TESTS-billing.xml").write_text(JUNIT)
    if url:
        monkeypatch.setenv("SPEC_WEBHOOK_URL", url)
    else:
        monkeypatch.delenv("SPEC_WEBHOOK_URL", raising=False)
    args = [str(tmp_path / "junit"), "--out", str(tmp_path / "t.txt"), "--results", str(tmp_path / "none")]
    assert timings.main(args) == 0


def test_the_summary_is_posted_as_slack_json_when_a_webhook_is_set(tmp_path, monkeypatch, chat):
    url, received = chat
    _run_summary(tmp_path, monkeypatch, url)
    assert len(received) == 1
    text = received[0]["text"]
    assert text.startswith("Specification failed: 2 scenarios, 1 passed, 1 failed, 0 flaky, 2 s in scenarios.")
    assert "• failed: billing/card_payments: A retry charges once" in text
    assert "overpayment" not in text


def test_nothing_is_posted_without_a_webhook(tmp_path, monkeypatch, chat):
    _, received = chat
    _run_summary(tmp_path, monkeypatch, None)
    assert received == []


def test_an_unreachable_webhook_is_reported_and_changes_nothing(capsys):
    assert post_if_asked({"text": "x"}, "http://127.0.0.1:9/nowhere") is False
    assert "could not be posted" in capsys.readouterr().err
