"""Shared by the environment tests: invoke through an Engine and wait for the one finished signal."""

from dataclasses import dataclass, field


@dataclass
class Ran:
    result: object = None
    lines: list = field(default_factory=list)
    cold: bool | None = None
    environment: object = None

    @property
    def text(self) -> str:
        return self.result.payload.decode("utf-8", errors="replace")


def invoke_and_wait(engine, qtbot, config, event=None, wait_ms=60_000) -> Ran:
    invocation = engine.invoke(config, {} if event is None else event)
    ran = Ran()
    invocation.log_lines.connect(ran.lines.extend)
    invocation.started.connect(lambda cold: setattr(ran, "cold", cold))
    with qtbot.waitSignal(invocation.finished, timeout=wait_ms) as blocker:
        pass
    ran.result = blocker.args[0]
    ran.environment = invocation.environment
    return ran
