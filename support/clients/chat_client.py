"""The assistant over ``websockets``, as one user sees it, with every frame kept as a transcript.

A reader task files incoming frames: run events by run, drops duplicates by
``event_id`` (counting them), and keeps ``accepted`` and ``error`` replies in
order. ``attach_transcript`` puts the frames seen since the last attach on the
current Allure step.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from typing import Any

import websockets

from support.clients.exchanges import record_frame
from support.report.evidence import attach_json

TERMINAL = ("agent_completed", "agent_failed")


class ChatClient:
    def __init__(self, name: str, url: str, token: str, *, person: str = "", company: str | None = None) -> None:
        """``name``: how the transcript calls the connection; ``person`` and ``company`` (its id): whose it
        is, for the checks that hold everywhere."""
        self.name = name
        self.person = person or name.split(" ")[0]
        self.company = company
        self.url = url
        self._token = token
        self._socket: Any = None
        self._reader: asyncio.Task | None = None
        self.transcript: list[dict[str, Any]] = []
        self._attached = 0
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.duplicates: dict[str, int] = defaultdict(int)
        self._seen: set[str] = set()
        self.replies: asyncio.Queue = asyncio.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self._changed = asyncio.Event()

    async def connect(self) -> ChatClient:
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        self._socket = await websockets.connect(self.url, additional_headers=headers, open_timeout=10)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        try:
            async for raw in self._socket:
                text = raw if isinstance(raw, str) else raw.decode(errors="replace")
                record_frame(self.name, self.person, self.company, text)
                message = json.loads(raw)
                self._record("received", message)
                event_id = message.get("event_id")
                if message.get("type") in ("accepted", "error"):
                    await self.replies.put(message)
                elif message.get("type") == "notification":
                    self.notifications.append(message)
                elif event_id in self._seen:
                    self.duplicates[message["run_id"]] += 1
                else:
                    if event_id:
                        self._seen.add(event_id)
                    self.events[message.get("run_id")].append(message)
                self._changed.set()
        except websockets.ConnectionClosed as closed:
            if closed.rcvd is not None:
                self.close_code, self.close_reason = closed.rcvd.code, closed.rcvd.reason
        finally:
            self._changed.set()

    def _record(self, direction: str, message: dict[str, Any]) -> None:
        self.transcript.append({"at": round(time.time(), 3), "direction": direction, "frame": message})

    @property
    def closed(self) -> bool:
        """The connection has ended (closed by either side, or lost)."""
        return self._reader is not None and self._reader.done()

    async def send(self, message: dict[str, Any]) -> None:
        self._record("sent", message)
        await self._socket.send(json.dumps(message))

    async def send_raw(self, frame: str | bytes, shown: str) -> None:
        """Sends a frame as it is (binary when bytes); the transcript keeps ``shown`` in its place."""
        self._record("sent", {"raw": shown})
        await self._socket.send(frame)

    async def wait_closed(self, timeout: float = 10.0) -> tuple[int | None, str | None]:
        """The close code and reason, once the platform has closed the connection."""
        if self._reader is not None:
            await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code, self.close_reason

    async def reply(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next ``accepted`` or ``error`` reply; none within ``timeout`` fails naming the frames that came."""
        try:
            return await asyncio.wait_for(self.replies.get(), timeout)
        except TimeoutError:
            came = [m["frame"] for m in self.transcript if m["direction"] == "received"][-3:]
            raise AssertionError(
                f"{self.name} was neither accepted nor refused within {timeout} s; the last frames received: "
                f"{came or 'none'}; closed: {self.close_code} {self.close_reason}"
            ) from None

    async def ask(self, text: str, thread_id: str | None = None) -> dict[str, Any]:
        await self.send({"type": "ask", "text": text, **({"thread_id": thread_id} if thread_id else {})})
        return await self.reply()

    async def wait_for(
        self, run_id: str, *, event_type: str | None = None, timeout: float = 15.0
    ) -> list[dict[str, Any]]:
        """The run's events once one of ``event_type`` (default: the terminal event) has arrived."""
        wanted = (event_type,) if event_type else TERMINAL

        async def arrived() -> list[dict[str, Any]]:
            while not any(e["type"] in wanted for e in self.events[run_id]):
                if self._reader is not None and self._reader.done():
                    raise AssertionError(f"{self.name}'s connection closed before {wanted} of run {run_id}")
                self._changed.clear()
                await self._changed.wait()
            return list(self.events[run_id])

        try:
            return await asyncio.wait_for(arrived(), timeout)
        except TimeoutError:
            seen = [e["type"] for e in self.events[run_id]]
            replies = [m["frame"] for m in self.transcript if m["frame"].get("type") in ("accepted", "error")]
            raise AssertionError(
                f"{self.name} waited {timeout} s for {wanted} of run {run_id}; saw {seen}; "
                f"replies: {replies}; frames: {[m['frame'].get('type') for m in self.transcript]}; "
                f"closed: {self.close_code} {self.close_reason}"
            ) from None

    async def wait_for_notification(self, timeout: float = 10.0) -> dict[str, Any]:
        """The first notification pushed to this connection."""

        async def arrived() -> dict[str, Any]:
            while not self.notifications:
                self._changed.clear()
                await self._changed.wait()
            return self.notifications[0]

        try:
            return await asyncio.wait_for(arrived(), timeout)
        except TimeoutError:
            raise AssertionError(f"{self.name} received no notification within {timeout} s") from None

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    def attach_transcript(self, title: str | None = None) -> None:
        new = self.transcript[self._attached :]
        self._attached = len(self.transcript)
        if new:
            attach_json(title or f"WebSocket transcript of {self.name} ({len(new)} frames)", new)


async def handshake(url: str, token: str, extra_headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
    """Opens the assistant's socket with ``extra_headers`` besides the token and closes it again: the handshake's
    status, body and headers (101 and no body when it opened; the refusal as the platform answered it else)."""
    try:
        socket = await websockets.connect(
            url, additional_headers={"Authorization": f"Bearer {token}", **extra_headers}, open_timeout=10
        )
    except websockets.InvalidStatus as refused:
        answer = refused.response
        return answer.status_code, bytes(answer.body or b""), dict(answer.headers.raw_items())
    await socket.close()
    opened = socket.response
    return 101, b"", dict(opened.headers.raw_items()) if opened is not None else {}
