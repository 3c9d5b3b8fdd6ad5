"""Schedule and ScheduleV2 events while serving: off until enabled per function, then each fires at its
rate or cron times (EventBridge invokes asynchronously: the call goes through the Event queue, retries
included); any schedule can also be fired once by hand."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Awaitable, Callable

from ..core.provenance.run_origin import schedule_origin
from ..core.workspace.function_events import ScheduleEvent
from ..core.lambda_rules.schedule_expressions import ScheduleError, parse_schedule, schedule_payload
from .event_queue import EventQueue
from .function_caller import FunctionCaller


class ScheduleRunner:
    """Timers for the enabled functions' schedules; `on_problem` hears of an expression EventBridge refuses."""

    def __init__(self, caller: FunctionCaller, events: EventQueue, on_problem: Callable[[str], None],
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 sleep: Callable[[float], Awaitable] = asyncio.sleep) -> None:
        self.caller = caller
        self.events = events
        self.on_problem = on_problem
        # The clock and the wait, replaceable so a test can run an hour of schedules in a moment.
        self.now = now
        self.sleep = sleep
        self.enabled: set[str] = set()
        self._timers: dict[tuple[str, str], asyncio.Task] = {}

    def schedules(self) -> tuple[ScheduleEvent, ...]:
        return self.caller.events().schedules

    def set_enabled(self, function: str, enabled: bool) -> None:
        """Start (or stop) the timers of every schedule of `function`."""
        if enabled:
            self.enabled.add(function)
        else:
            self.enabled.discard(function)
        self.refresh()

    def refresh(self) -> None:
        wanted = {(s.function, s.event_name): s for s in self.schedules() if s.function in self.enabled}
        for key in [key for key in self._timers if key not in wanted]:
            self._timers.pop(key).cancel()
        for key, schedule in wanted.items():
            if key not in self._timers:
                try:
                    parsed = parse_schedule(schedule.expression)
                except ScheduleError as error:
                    self.on_problem(f"{schedule.function}.{schedule.event_name}: {error}")
                    continue
                self._timers[key] = asyncio.get_running_loop().create_task(self._tick(schedule, parsed))

    def fire(self, function: str, event_name: str | None = None) -> str | None:
        """Fire a function's schedule (the first, or the one named) once now; the request id, or None."""
        for schedule in self.schedules():
            if schedule.function == function and event_name in (None, schedule.event_name):
                return self._submit(schedule, self.now())
        return None

    def _submit(self, schedule: ScheduleEvent, at: datetime) -> str | None:
        config = self.caller.function(schedule.function)
        if config is None:
            self.on_problem(f"{schedule.function}: not in the workspace (or cannot run); schedule not fired")
            return None
        payload = schedule_payload(f"{schedule.function}-{schedule.event_name}", schedule.input,
                                   config.region, config.account_id, at)
        return self.events.submit(config, payload, entry="schedule", origin=schedule_origin(schedule.event_name))

    async def _tick(self, schedule: ScheduleEvent, parsed) -> None:
        moment = self.now()
        while True:
            following = parsed.next_after(moment)
            if following is None:
                return
            await self.sleep(max(0.0, (following - self.now()).total_seconds()))
            self._submit(schedule, following)
            moment = following

    def stop(self) -> None:
        for task in self._timers.values():
            task.cancel()
        self._timers.clear()
