"""Headless Chromium driven over the DevTools protocol (its WebSocket), for the report checks: open a page,
record every request it makes, run a script in it, take a screenshot. No driver to install: Chromium and the
``websockets`` package the specification already uses."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import websockets

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--remote-debugging-port=0",
]


class Page:
    """One page of a headless Chromium; every request it makes is kept in ``requests``."""

    def __init__(self, chromium: str) -> None:
        self.chromium = chromium
        self.requests: list[str] = []
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._loaded = asyncio.Event()

    async def __aenter__(self) -> Page:
        # Chromium's helpers may still be writing to the profile as it closes: a leftover file is no failure
        self._profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            [self.chromium, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stderr=subprocess.PIPE,
            text=True,
        )
        browser_url = await asyncio.to_thread(self._devtools_url)
        self._socket = await websockets.connect(browser_url, max_size=None)
        self._reader = asyncio.create_task(self._read())
        target = await self._call("Target.createTarget", {"url": "about:blank"})
        attached = await self._call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        self._session = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            await self._call(f"{domain}.enable", session=True)
        return self

    async def __aexit__(self, *_: object) -> None:
        try:  # closed by its own hand, Chromium ends its helper processes before it exits
            await asyncio.wait_for(self._call("Browser.close"), 5)
        except (TimeoutError, websockets.ConnectionClosed):
            pass
        self._reader.cancel()
        await self._socket.close()
        try:
            await asyncio.to_thread(self._process.wait, 10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(10)
        self._profile.cleanup()

    def _devtools_url(self) -> str:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                return found.group(1)
        raise RuntimeError("Chromium did not open its DevTools port")

    async def _read(self) -> None:
        async for raw in self._socket:
            message = json.loads(raw)
            if "id" in message and message["id"] in self._waiting:
                self._waiting.pop(message["id"]).set_result(message)
            elif message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            elif message.get("method") == "Page.loadEventFired":
                self._loaded.set()

    async def _call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> Any:
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._waiting[number] = asyncio.get_running_loop().create_future()
        await self._socket.send(json.dumps(message))
        answer = await asyncio.wait_for(self._waiting[number], 60)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def open(self, path: Path, settle_s: float = 3.0) -> None:
        """Opens ``path`` and waits for its load, then ``settle_s`` more (scripts that fetch late)."""
        self._loaded.clear()
        await self._call("Page.navigate", {"url": path.as_uri()}, session=True)
        await asyncio.wait_for(self._loaded.wait(), 60)
        await asyncio.sleep(settle_s)

    async def evaluate(self, expression: str) -> Any:
        found = await self._call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        return found.get("result", {}).get("value")

    async def screenshot(self, to: Path) -> None:
        shot = await self._call("Page.captureScreenshot", {"format": "png"}, session=True)
        to.write_bytes(base64.b64decode(shot["data"]))

    def to_other_hosts(self) -> list[str]:
        """Every request the page made that would leave this machine."""
        return [url for url in self.requests if not url.startswith(("file:", "data:", "about:", "blob:", "chrome"))]
