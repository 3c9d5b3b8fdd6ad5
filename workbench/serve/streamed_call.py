"""A served call whose response is followed as it streams: the pieces as they arrive, then the outcome."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from ..core.function.function_config import FunctionConfig
from ..core.streaming.streamed_response import StreamPiece
from .function_caller import CallOutcome, FunctionCaller


async def streamed_call(caller: FunctionCaller, config: FunctionConfig, event: bytes,
                        client_context: dict | None = None,
                        origin: str | None = None) -> AsyncIterator[str | StreamPiece | CallOutcome | list]:
    """Yields the call's request id as it starts, each StreamPiece the moment it arrives, then the call's
    outcome (a CallOutcome, or the list of reasons Lambda refuses the call, with nothing before it). A
    consumer that stops early leaves the call to finish (and be recorded)."""
    pieces: asyncio.Queue = asyncio.Queue()

    def follow(run) -> None:
        pieces.put_nowait(run.invocation.request_id)
        run.response_chunk.connect(pieces.put_nowait)

    call = asyncio.ensure_future(caller.call(config, event, client_context, on_run=follow, origin=origin))
    while True:
        getter = asyncio.ensure_future(pieces.get())
        done, _ = await asyncio.wait({getter, call}, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            yield getter.result()
            continue
        getter.cancel()
        break
    while not pieces.empty():
        yield pieces.get_nowait()
    yield call.result()
