"""Asynchronous (Event) invocations: accepted at once, run in order of arrival, a failed call tried twice
more after Lambda's delays (one minute, then two; `delay_scale` shrinks them, e.g. for tests)."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Callable

from ..core.function.function_config import FunctionConfig
from ..core.lambda_rules.invoke_api_rules import retry_delays
from ..core.function.served_call import ServedCall
from .function_caller import FunctionCaller


class EventQueue:
    """Runs accepted Event calls as tasks; `on_call` hears of each attempt."""

    def __init__(self, caller: FunctionCaller, on_call: Callable[[ServedCall], None],
                 delay_scale: float = 1.0, max_queued_bytes: int = 256 * 1024 * 1024) -> None:
        self.caller = caller
        self.on_call = on_call
        self.delays = retry_delays(delay_scale)
        self.max_queued_bytes = max_queued_bytes
        """Events held (waiting, running or between retries) stop being accepted past this many bytes."""
        self.queued_bytes = 0
        self._tasks: set[asyncio.Task] = set()

    def has_room(self, size: int) -> bool:
        """Whether an event of `size` bytes may be accepted now (memory stays bounded under a flood)."""
        return self.queued_bytes + size <= self.max_queued_bytes

    @property
    def pending(self) -> int:
        """Accepted calls not finished yet (running, or waiting to retry)."""
        return len(self._tasks)

    def submit(self, config: FunctionConfig, event: bytes, entry: str = "event",
               client_context: dict | None = None, origin: str | None = None) -> str:
        """Accept a call; returns the id the Invoke API answers with (x-amzn-RequestId)."""
        request_id = str(uuid.uuid4())
        task = asyncio.get_running_loop().create_task(self._run(config, event, entry, client_context, origin))
        self._tasks.add(task)
        self.queued_bytes += len(event)
        task.add_done_callback(lambda done, size=len(event): self._done(done, size))
        return request_id

    def _done(self, task: asyncio.Task, size: int) -> None:
        self._tasks.discard(task)
        self.queued_bytes -= size

    async def _run(self, config: FunctionConfig, event: bytes, entry: str, client_context: dict | None,
                   origin: str | None) -> None:
        for attempt, delay in enumerate((0.0, *self.delays), start=1):
            if delay:
                await asyncio.sleep(delay)
            started = time.time()
            outcome = await self.caller.call(config, event, client_context, origin=origin)
            if isinstance(outcome, list):
                self.on_call(ServedCall(started, entry, "", config.name, config.name, 400,
                                        (time.time() - started) * 1000, None, "; ".join(map(str, outcome))))
                return
            failed = outcome.result.error_type is not None
            self.on_call(ServedCall(started, entry, "", config.name, config.name, 500 if failed else 200,
                                    (time.time() - started) * 1000, outcome.result.request_id,
                                    f"{outcome.result.error_type}" if failed else None, attempt))
            if not failed:
                return

    async def stop(self) -> int:
        """Cancel what is still queued; returns how many accepted calls never finished."""
        left = len(self._tasks)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        return left
