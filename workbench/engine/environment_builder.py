"""Builds what the planner (engine/environment_planner.py) found missing from a function's environment,
before its Sandbox starts, as an EnvironmentBuild (engine/environment_build.py) of child processes.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ..core.function.function_config import FunctionConfig
from ..core.child.built_environment import BuildFailure
from .environment_planner import EnvironmentPlanner, uv_executable

if TYPE_CHECKING:
    from .environment_build import EnvironmentBuild

__all__ = ["BuildFailure", "EnvironmentBuilder", "uv_executable"]


class EnvironmentBuilder(QObject, EnvironmentPlanner):
    """Knows each function's environment: ready() when it is built (cheap, every call), build() when not."""

    def __init__(self, host_env: dict[str, str], parent: QObject | None = None) -> None:
        # PySide's QObject.__init__ hands the keyword arguments it does not know to the next class in line.
        super().__init__(parent, host_env=host_env)

    def build(self, config: FunctionConfig) -> EnvironmentBuild:
        # Imported here: most calls build nothing, and QProcess's types cost every command ~3 ms to set up.
        from .environment_build import EnvironmentBuild

        build = EnvironmentBuild(self, config, self._plan(config))
        build.start()
        return build

    def rebuild(self, config: FunctionConfig) -> EnvironmentBuild:
        """Discard the function's dependency entry (and its layers' entries) and build them again."""
        plan = self._plan(config)
        entries = [plan.dependencies] + [entry for _layer, entry in plan.layer_parts]
        if plan.java is not None and plan.java.maven_entry is not None:
            # Maven asked again (its local repository may hold the jars now).
            entries.append(plan.java.maven_entry)
            plan.java.maven_marker.unlink(missing_ok=True)
        for entry in filter(None, entries):
            shutil.rmtree(entry, ignore_errors=True)
        return self.build(config)
