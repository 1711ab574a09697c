"""The embedded analytics store: chDB (ClickHouse in a process) behind the part of ClickHouse's HTTP interface
the platform uses, so both platform instances share one store and a real ClickHouse server can replace it.

    ANALYTICS_DATA_DIR=/tmp/store uvicorn support.stack.analytics_server:app --port 8123

What it answers, as ClickHouse does: ``GET /ping`` -> ``Ok.``; ``POST /`` with the
query in the body (an ``INSERT ... FORMAT JSONEachRow`` carries its rows after
the first line) and its parameters as ``param_<name>`` in the address; an
error answers 500 with ClickHouse's message. ``POST /_control`` with
``{"latency_ms": N}`` makes every query wait N ms first (``{}``: none), as a
store under load would. One process owns the store's
folder, and its queries run one at a time (a chDB session is not shared
between threads).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from pathlib import Path

from chdb import session as chdb_session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

_store: chdb_session.Session | None = None
_lock = threading.Lock()
_latency = {"seconds": 0.0}


def _session() -> chdb_session.Session:
    global _store
    if _store is None:
        folder = os.environ.get("ANALYTICS_DATA_DIR") or tempfile.mkdtemp(prefix="analytics-store-")
        Path(folder).mkdir(parents=True, exist_ok=True)
        _store = chdb_session.Session(folder)
    return _store


def _run(sql: str, params: dict[str, str]) -> bytes:
    with _lock:
        result = _session().query(sql, "JSONEachRow", params=params or None)
    return bytes(result.bytes())


async def ping(request: Request) -> Response:
    return PlainTextResponse("Ok.\n")


async def control(request: Request) -> Response:
    fault = await request.json()
    _latency["seconds"] = max(0, int(fault.get("latency_ms", 0))) / 1000
    return JSONResponse({"latency_ms": int(_latency["seconds"] * 1000)})


async def query(request: Request) -> Response:
    if _latency["seconds"]:
        await asyncio.sleep(_latency["seconds"])
    body = (await request.body()).decode("utf-8")
    sql = request.query_params.get("query", "") + body
    params = {k.removeprefix("param_"): v for k, v in request.query_params.items() if k.startswith("param_")}
    # chDB takes the output format as an argument; a query naming its own keeps it
    statement, _, fmt = sql.rstrip().rpartition(" FORMAT ")
    if fmt.strip() == "JSONEachRow":
        sql = statement
    try:
        output = await run_in_threadpool(_run, sql, params)
    except Exception as exc:  # ClickHouse's answer to a query it refuses: 500 and its message
        return PlainTextResponse(f"Code: 0. DB::Exception: {exc}", status_code=500)
    return Response(output, media_type="application/x-ndjson")


app = Starlette(
    routes=[Route("/ping", ping), Route("/", query, methods=["POST"]), Route("/_control", control, methods=["POST"])]
)
