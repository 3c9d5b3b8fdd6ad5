"""A function's first environment started before Qt and the rest of the engine are imported.

A one-shot command (`lambda-workbench invoke`) spends more time importing Qt and the engine than the
runtime needs for its init. Started here first, with nothing but the planner and the launch (no Qt), the
runtime's init runs beside those imports; its Runtime API answers from the start, so Init Duration is
still the runtime's own. The Engine adopts the started environment for the call it was made for
(InvokeOptions.head_start), the same environment it would have started itself, a moment later.
"""

from __future__ import annotations

import sys

from ..core.function.function_config import FunctionConfig
from ..core.child.built_environment import FunctionEnvironment
from ..core.child.runtime_launch import LaunchError, launch_command
from ..resources import runtime_path
from .environment_launch import EnvironmentLaunch
from .environment_planner import EnvironmentPlanner


# While the imports run, they hold the GIL; the Runtime API's threads get it back within this interval (the
# default, 5 ms, would let the runtime's requests wait a few intervals each, and Init Duration grow).
_SWITCH_INTERVAL_S = 0.0002


class HeadStart:
    """An environment started ahead for one config: taken once by the Engine, or discarded."""

    def __init__(self, config: FunctionConfig, environment: FunctionEnvironment, launch: EnvironmentLaunch) -> None:
        self.config = config
        self.environment = environment
        self._launch: EnvironmentLaunch | None = launch
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(_SWITCH_INTERVAL_S)

    @property
    def available(self) -> bool:
        return self._launch is not None

    def take(self) -> EnvironmentLaunch:
        launch, self._launch = self._launch, None
        if launch is None:
            raise RuntimeError("this head start was taken already")
        sys.setswitchinterval(self._switch_interval)
        return launch

    def discard(self) -> None:
        """Kill what was started if nobody took it (no-op otherwise)."""
        if self._launch is not None:
            self.take().discard()


def start_ahead(config: FunctionConfig, host_env: dict[str, str], profile: str | None = None,
                region: str | None = None, endpoints: dict[str, str] | None = None, local=None) -> HeadStart | None:
    """Start config's environment now when nothing has to be built first; None when it cannot start
    this way (a build is due, the launch would fail): the Engine then does it, and reports it, as usual.
    profile, region, endpoints: the AWS settings the Engine's builder gets (set_aws)."""
    planner = EnvironmentPlanner(host_env)
    planner.set_aws(profile, region, endpoints, local)
    environment = planner.ready(config)
    if not isinstance(environment, FunctionEnvironment):
        return None
    runtime_dir = str(runtime_path())
    try:
        command = launch_command(config, runtime_dir, host_env.get("PATH"), environment)
    except LaunchError:
        return None
    launch = EnvironmentLaunch(config, command, host_env, runtime_dir)
    try:
        launch.spawn()
    except OSError:
        launch.discard()
        return None
    launch.serve()
    return HeadStart(config, environment, launch)
