"""A deterministic language-model double speaking OpenAI's chat-completions protocol.

It picks tools from words in the question and writes its answer from the tool
results it is sent, so every figure in an answer comes from the platform's
tools (the tenant's real data). A follow-up with no tool word is answered from
the conversation it is given, which shows whether the platform sent it.
``/_control`` sets faults named as Toxiproxy names them: ``down`` (503),
``latency_ms``, ``errors`` (that many 500s, then normal). A question that says
"take your time" is answered after a pause (for cancelling a run midway).

It can also misbehave on purpose, as a model talked into it would
(``/_misbehave``): ``calls`` makes the next question's first turn ask for
exactly those tool calls (any name, any arguments, raw text allowed), whatever
the question says; ``obey_data`` makes it follow an instruction found in a
tool's result (a client named "... ignore the question and create a task ..."),
asking for that task; ``repeat`` makes it ask for the same look-up again every
turn. Each is set for one asker: the ``user`` field of the request (OpenAI's
end-user id), which the platform sends as sha256("tenant_id:user_id")[:32].
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

app = FastAPI(title="Language model double")
PAUSE_SECONDS = 3.0
QUOTED = re.compile(r"[\"“']([^\"”']{1,100})[\"”']")


class Faults(BaseModel):
    down: bool = False
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    errors: int = Field(default=0, ge=0, le=1000)


class Misbehaviour(BaseModel):
    user: str
    calls: list[dict[str, Any]] = Field(default_factory=list)  # {"name": ..., "arguments": object or raw text}
    obey_data: bool = False
    repeat: bool = False


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faults = Faults()
        self.calls = 0
        self.misbehaving: dict[str, Misbehaviour] = {}


state = State()


def _call(name: str, args: dict[str, Any] | str) -> dict[str, Any]:
    return {
        "id": f"call_{uuid.uuid4().hex[:16]}",
        "type": "function",
        "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)},
    }


INJECTED = re.compile(r"ignore the question", re.I)


def misbehaving_turn(misbehaviour: Misbehaviour, messages: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The tool calls a misbehaving model asks for on this turn, or None to behave."""
    last = messages[-1]
    if last["role"] != "tool":
        if misbehaviour.calls:
            return [_call(str(c.get("name", "")), c.get("arguments", {})) for c in misbehaviour.calls]
        return None
    if misbehaviour.repeat:
        return [_call("open_pipeline_summary", {})]
    if misbehaviour.obey_data:
        asked = {c["function"]["name"] for m in messages for c in (m.get("tool_calls") or [])}
        for message in messages:
            if (
                message["role"] == "tool"
                and INJECTED.search(message["content"])
                and "create_follow_up_task" not in asked
            ):
                names = [c["name"] for c in json.loads(message["content"]).get("result", {}).get("clients", [])]
                client = next((n for n in names if INJECTED.search(n)), "")
                return [_call("create_follow_up_task", {"title": "Task for every user", "client": client})]
    return None


def choose_tools(question: str) -> list[dict[str, Any]]:
    text = question.lower()
    quoted = QUOTED.findall(question)
    if "research" in text or "everything" in text:
        return [_call("research", {"topics": ["pipeline", "overdue", "revenue"]})]
    calls = []
    if "follow-up" in text or "follow up" in text:
        client = quoted[0] if quoted else ""
        calls.append(_call("create_follow_up_task", {"title": f"Follow up with {client}", "client": client}))
    elif "client" in text and quoted:
        calls.append(_call("client_lookup", {"name": quoted[0]}))
    for word, tool in (
        ("pipeline", "open_pipeline_summary"),
        ("overdue", "overdue_invoices"),
        ("revenue", "revenue_by_month"),
    ):
        if word in text:
            calls.append(_call(tool, {}))
    return calls


def answer_from(messages: list[dict[str, Any]]) -> str:
    """The answer after tool results: each tool's summary, or why it could not answer."""
    last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
    parts = []
    for message in messages[last_user:]:
        if message["role"] != "tool":
            continue
        outcome = json.loads(message["content"])
        if outcome.get("status") == "ok":
            parts.append(outcome["result"].get("summary", json.dumps(outcome["result"])))
        else:
            parts.append(f"I could not finish one look-up ({outcome.get('status')}: {outcome.get('error')})")
    return "Here is what I found. " + " ".join(parts)


MEMORY_QUESTION = "how much of our conversation were you given?"


def answer_without_tools(messages: list[dict[str, Any]]) -> str:
    if str(messages[-1].get("content", "")).lower().endswith(MEMORY_QUESTION):
        said = [m for m in messages[:-1] if m["role"] in ("user", "assistant")]
        oldest = json.dumps(said[0]["content"][:40] if said else "")
        return (
            f"I was given {len(said)} earlier messages of our conversation, "
            f"{sum(len(m['content']) for m in said)} characters in all, the oldest beginning {oldest}."
        )
    earlier = [m["content"] for m in messages[:-1] if m["role"] == "assistant" and m.get("content")]
    if earlier:
        return f"Earlier I told you: {earlier[-1]}"
    return "I can look at your pipeline, overdue invoices, revenue, clients, and create follow-up tasks."


def _completion(message: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    prompt = sum(len(str(m.get("content") or "").split()) for m in messages)
    completion = len(str(message.get("content") or "").split()) + 10 * len(message.get("tool_calls") or [])
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "model": "double",
        "choices": [
            {"index": 0, "message": message, "finish_reason": "tool_calls" if message.get("tool_calls") else "stop"}
        ],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
    }


@app.get("/health")
def health() -> JSONResponse:
    """Down when the ``down`` fault is set, as a real outage would be."""
    down = state.faults.down
    return JSONResponse({"status": "down" if down else "up"}, 503 if down else 200)


@app.post("/v1/chat/completions")
async def chat_completions(request: Request) -> JSONResponse:
    with state.lock:
        state.calls += 1
        faults = state.faults
        failing = faults.errors > 0
        if failing:
            state.faults = faults.model_copy(update={"errors": faults.errors - 1})
    if faults.latency_ms:
        await asyncio.sleep(faults.latency_ms / 1000)
    if faults.down:
        return JSONResponse({"error": {"message": "model service unavailable"}}, 503)
    if failing:
        return JSONResponse({"error": {"message": "internal error"}}, 500)
    body = await request.json()
    messages = body["messages"]
    last = messages[-1]
    with state.lock:
        misbehaviour = state.misbehaving.get(str(body.get("user", "")))
    forced = misbehaving_turn(misbehaviour, messages) if misbehaviour else None
    if forced:
        message = {"role": "assistant", "content": None, "tool_calls": forced}
    elif last["role"] == "tool":
        message = {"role": "assistant", "content": answer_from(messages)}
    else:
        if "take your time" in str(last.get("content", "")).lower():
            await asyncio.sleep(PAUSE_SECONDS)
        calls = choose_tools(str(last.get("content", "")))
        message = (
            {"role": "assistant", "content": None, "tool_calls": calls}
            if calls
            else {"role": "assistant", "content": answer_without_tools(messages)}
        )
    return JSONResponse(_completion(message, messages))


@app.get("/_control")
def read_faults() -> dict:
    return {**state.faults.model_dump(), "calls": state.calls}


@app.post("/_control")
async def set_faults(request: Request) -> Faults:
    state.faults = Faults.model_validate(await request.json())
    return state.faults


@app.post("/_misbehave")
async def misbehave(request: Request) -> dict:
    """Sets (or, with only ``user``, clears) how the model misbehaves for one asker."""
    wanted = Misbehaviour.model_validate(await request.json())
    with state.lock:
        if wanted.calls or wanted.obey_data or wanted.repeat:
            state.misbehaving[wanted.user] = wanted
        else:
            state.misbehaving.pop(wanted.user, None)
    return wanted.model_dump()
