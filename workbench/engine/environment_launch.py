"""One execution environment's start, without Qt: its Runtime API socket, its variables, its group
(cgroup or fallback), and its runtime process.

The Sandbox makes one when it starts an environment. A command that runs one call can make it before
it even imports Qt (engine/head_start.py): the runtime's init then runs beside those imports instead of
after them, and the Sandbox adopts the started process. Either way the runtime starts here, the same way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

from ..core.child.process_variables import build_environment
from ..core.function.function_config import FunctionConfig
from ..core.child.runtime_launch import LaunchCommand
from ..core.telemetry.frames import VARIABLE as TELEMETRY_VARIABLE
from .environment_group import EnvironmentGroup
from .environment_membership import ProcessTreeMembership
from .invoke_request import new_environment_id

# Connections the kernel queues before the server accepts them: a runtime can ask for /next before the
# server's thread is up, and a burst of held-open connections must never overflow the queue (the kernel
# then drops SYNs, and each dropped client waits a second to retry).
LISTEN_BACKLOG = 1024
# On-demand Lambda gives the init phase 10 s, whatever the function timeout.
INIT_LIMIT_S = 10.0
# A Runtime API connection may stay silent this much longer than the longest call or init.
IDLE_GRACE_S = 5.0


def loopback_listener() -> socket.socket:
    """A listening TCP socket on 127.0.0.1 and a free port, like the Runtime API's 127.0.0.1:9001."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(LISTEN_BACKLOG)
    except OSError:
        listener.close()
        raise
    return listener


class EnvironmentLaunch:
    """Everything one environment's runtime starts with; spawn() starts it (once)."""

    def __init__(self, config: FunctionConfig, command: LaunchCommand, host_env: dict[str, str],
                 runtime_dir: str) -> None:
        self.config = config
        self.command = command
        self.listener = loopback_listener()
        host, port = self.listener.getsockname()[:2]
        self.address = f"{host}:{port}"
        self.environment_id = new_environment_id()
        self.variables = build_environment(config, self.address, host_env, self.environment_id, runtime_dir,
                                           runtime_variables=command.variables)
        # Unique to this environment and inherited by everything the runtime starts: without a cgroup,
        # finds the processes to kill with it, even daemons that left its session and its process tree.
        self.marker = "AWS_LAMBDA_LOG_STREAM_NAME=" + self.variables["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.pid = 0
        self.membership = ProcessTreeMembership(lambda: self.pid, self.marker)
        self.group = EnvironmentGroup(config, self.environment_id, self.marker, self.membership)
        self.process: subprocess.Popen | None = None
        self.telemetry_fd = -1
        """The read end of the runtime's telemetry log descriptor (`_LAMBDA_TELEMETRY_LOG_FD`)."""
        self.server = None
        """The RuntimeApiServer, once serve() started it."""
        self.started_at = 0.0
        """time.monotonic() when the runtime was started: its Init Duration counts from here."""

    @property
    def spawned(self) -> bool:
        return self.process is not None

    def spawn(self) -> None:
        """Start the runtime in the group, in a new session, stdin empty, stdout and stderr one pipe (as
        RAPID gives a runtime one writer for both, so lines keep the order they were written in).
        Raises OSError when the program cannot be started at all."""
        launch = self.group.launch(self.command)
        # Lambda gives every runtime a descriptor for framed log records (one record, one log event);
        # the runtime clients use it when the variable names it. Inherited by what the runtime starts.
        telemetry_read, telemetry_write = os.pipe2(os.O_CLOEXEC)
        variables = dict(self.variables, **{TELEMETRY_VARIABLE: str(telemetry_write)})
        self.started_at = time.monotonic()
        try:
            # The task root is the runtime's working directory (/var/task on Lambda): a deployment package's
            # unpacked folder when the code is one.
            task_root = self.variables.get("LAMBDA_TASK_ROOT", self.config.code_dir)
            self.process = subprocess.Popen(
                [launch.program, *launch.arguments], executable=launch.program, cwd=task_root, env=variables,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                close_fds=True, pass_fds=(telemetry_write,))
        except OSError:
            os.close(telemetry_read)
            raise
        finally:
            os.close(telemetry_write)
        self.telemetry_fd = telemetry_read
        os.set_blocking(telemetry_read, False)
        self.pid = self.process.pid
        os.set_blocking(self.process.stdout.fileno(), False)
        self.group.started(self.pid)

    def serve(self):
        """Answer the Runtime API on the listener from now on (its deliveries wait for attach()): only the
        environment's own processes may use it (its cgroup's members; without one, its tree, session or
        marker), and a connection may stay silent as long as a call or an init may run, never longer."""
        if self.server is None:
            # Imported here: a runtime started ahead starts before the HTTP server's modules are loaded.
            from .runtime_api_server import RuntimeApiServer

            self.server = RuntimeApiServer(
                peer_allowed=self.group.owns, likely_peers=self.group.likely_pids,
                idle_timeout_s=max(self.config.timeout_s, INIT_LIMIT_S) + IDLE_GRACE_S, listener=self.listener,
                attach=False)
        return self.server

    def discard(self) -> None:
        """An environment started ahead and never used: its processes killed and reaped, its group and
        socket gone."""
        if self.process is not None and self.process.poll() is None:
            self.group.kill(runtime_alive=True)
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
        if self.process is not None:
            self.process.stdout.close()
        if self.telemetry_fd >= 0:
            os.close(self.telemetry_fd)
            self.telemetry_fd = -1
        self.group.kill(runtime_alive=False)
        self.group.release(wait_s=0.5)
        if self.server is not None:
            self.server.close()
        else:
            self.listener.close()
