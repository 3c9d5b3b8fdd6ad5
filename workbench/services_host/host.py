"""The services host's process: binds 127.0.0.1 (refusing other local users' connections), restores the saved
state or creates the workspace's resources and seed, writes .workbench/services/host.json, saves the state
while it runs and once more when it stops (SIGTERM, SIGINT, or POST /_workbench/stop)."""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from ..core.workspace.aws_settings import load_aws_settings
from ..core.services.host_record import (SNAPSHOT_FILE, HostRecord, remove_host_record, services_folder,
                                         write_host_record)
from ..core.services.local_access import LOCAL_ACCOUNT_ID
from ..core.services.resources import ServiceResource
from ..core.services.settings import DEFAULT_REGION, load_services_settings
from ..core.services.workspace_resources import workspace_resources
from ..engine.loopback_peer import peer_uid
from .snapshot import SavedState, reset_backends
from .gateway import Gateway
from .provision import Clients, delete, provision
from .trigger_engine import TriggerEngine
import re

# Exit codes the starter (engine.services_host) tells apart.
EXIT_ALREADY_RUNNING, EXIT_PORT_TAKEN, EXIT_BAD_INPUT = 3, 4, 2
SAVE_EVERY_S = 0.5


def _server_class():
    # Here: werkzeug (moto's server) loads with moto in bind(), not when the host parses its arguments
    from werkzeug.serving import ThreadedWSGIServer

    class LoopbackServer(ThreadedWSGIServer):
        """Refuses a connection from a process of another local user, as the Runtime API does: loopback is
        reachable by every user of the machine, and the workspace's data is its owner's."""

        daemon_threads = True

        def verify_request(self, request, client_address) -> bool:
            uid = peer_uid(request.getsockname()[:2], client_address[:2])
            if uid != os.getuid():
                logging.getLogger(__name__).warning("refused a connection from uid %s", uid)
                return False
            return True

    return LoopbackServer


class ServicesHost:
    def __init__(self, workspace: Path, region: str, port: int, ses_sandbox: bool,
                 invoke_endpoint: str | None = None, async_delay_scale: float = 1.0) -> None:
        self.workspace, self.region, self.port, self.ses_sandbox = workspace, region, port, ses_sandbox
        self.invoke_endpoint, self.async_delay_scale = invoke_endpoint, async_delay_scale
        self.triggers = None
        self.folder = services_folder(workspace)
        self.snapshot = self.folder / SNAPSHOT_FILE
        self.resources: list[ServiceResource] = []
        self.warnings: list[str] = []
        self.started_at = time.time()
        self._stop = threading.Event()
        self._saved_changes = -1
        self._save_lock = threading.Lock()

        self.saved = SavedState()
        self.provisioned = threading.Event()
        """Set once the resources exist: the functions' calls wait for it (the workbench's own do not)."""

    def bind(self) -> None:
        """Import moto and listen; OSError when the port is taken."""
        # Here: moto is heavy to import; bind() is where the host first needs it
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

        def backend_app(service: str):
            # An operation moto lacks raises NotImplementedError; propagated (not Flask's bare HTML 500 page),
            # the gateway answers it in AWS's error shape and names it.
            app = create_backend_app(service)
            app.config["PROPAGATE_EXCEPTIONS"] = True
            return app

        self.gateway = Gateway(DomainDispatcherApplication(backend_app), self)
        self.server = _server_class()("127.0.0.1", self.port, self.gateway, handler=MotoRequestHandler)
        self.port = self.server.server_address[1]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, name="services-http", daemon=True).start()

        self.clients = Clients(self.endpoint, self.region)
        reading = workspace_resources(self.workspace, self.region)
        self.resources, self.warnings = reading.resources, list(reading.warnings)
        extra = self.saved.load(self.snapshot)
        if extra is None:
            # Ready at once: the resources are created meanwhile, and the functions' calls wait for them.
            threading.Thread(target=self._first_provision, name="services-provision", daemon=True).start()
        else:
            self.gateway.outbox[:] = extra.get("outbox", [])
            self._saved_changes = self.gateway.changes
            self.provisioned.set()
        threading.Thread(target=self._saver, name="services-saver", daemon=True).start()

        self.triggers = TriggerEngine(self, self.invoke_endpoint, self.async_delay_scale)
        # The pollers describe the queues and tables the workspace declares: they start once those exist.
        threading.Thread(target=self._start_triggers, name="services-triggers", daemon=True).start()

    def _start_triggers(self) -> None:
        self.provisioned.wait()
        if not self._stop.is_set():
            self.triggers.start()

    def _first_provision(self) -> None:
        try:
            self._provision()
        except Exception:  # noqa: BLE001 - serve what there is; the log says what failed
            logging.getLogger(__name__).exception("creating the workspace's resources failed")
        finally:
            self.provisioned.set()
        for warning in self.warnings:
            print(f"WARNING: {warning}", file=sys.stderr, flush=True)

    def _provision(self, only: ServiceResource | None = None) -> None:
        self.warnings += provision(self.clients, self.workspace, self.resources, only)
        self.save()

    def save(self) -> None:
        with self._save_lock:
            changes = self.gateway.changes
            self.saved.save(self.snapshot, {"outbox": list(self.gateway.outbox)})
            self._saved_changes = changes

    def _saver(self) -> None:
        while not self._stop.wait(SAVE_EVERY_S):
            # Not while the first resources are created (that ends with a save of its own).
            if self.provisioned.is_set() and self.gateway.changes != self._saved_changes:
                try:
                    self.save()
                except Exception:  # noqa: BLE001 - keep serving; the next change tries again
                    logging.getLogger(__name__).exception("saving the state failed")

    def wait(self) -> None:
        self._stop.wait()

    def stop(self) -> None:
        self._stop.set()
        if self.triggers is not None:
            self.triggers.stop()

    def shutdown(self) -> None:
        if self.triggers is not None:
            self.triggers.stop()
            self.triggers.join()
        try:
            self.save()
        finally:
            self.server.shutdown()
            self.server.server_close()

    # --- Used by the gateway

    def after_call(self, call, status: int, headers: dict, body: bytes, response_headers, response: bytes) -> None:
        """Every SDK call that reached moto: the push triggers (S3, SNS, EventBridge) look for their events."""
        if self.triggers is not None:
            self.triggers.causes.after_call(call, status, headers, body)
            self.triggers.push.after_call(call, status, headers, body, response_headers, response)

    def verify_sender(self, sender: str, region: str) -> None:
        # Here: moto is first loaded by the host's bind(), not when this module is imported
        from moto.ses.models import ses_backends

        from .outbox import _from_mime  # noqa: F401 - keeps the module loaded for the send that follows

        match = re.search(r"<([^>]+)>", sender)
        address = (match.group(1) if match else sender).strip()
        self.saved.restore("ses")
        backend = ses_backends[LOCAL_ACCOUNT_ID][region or self.region]
        if not backend._is_verified_address(address):
            backend.verify_email_identity(address)

    def find(self, name: str) -> ServiceResource:
        for resource in self.resources:
            if name in (resource.logical_id, resource.name, resource.arn):
                return resource
        known = ", ".join(resource.logical_id for resource in self.resources) or "none"
        raise KeyError(f"no resource {name!r} in the workspace (its resources: {known})")

    def reset(self, name: str | None) -> dict:
        """Back to the seed state: everything, one resource, or (name "outbox") the Outbox only."""
        if name == "outbox":
            self.gateway.outbox.clear()
        elif name:
            resource = self.find(name)
            self.saved.restore_all()  # the other resources keep their state
            try:
                delete(self.clients, resource)
            except Exception:  # noqa: BLE001 - already gone: create it all the same
                pass
            self._provision(resource)
        else:
            self.saved.forget()
            reset_backends()
            self.gateway.outbox.clear()
            self.warnings = []
            self._provision()
        if name != "outbox" and self.triggers is not None:
            self.triggers.after_reset()  # once the resources are there again: the pollers open the new streams
        self.save()
        return {"reset": name or "all", "warnings": self.warnings}

    def queue_bodies(self, queue: str) -> list[str]:
        """The bodies of every message in a queue (by name, URL or ARN), in flight or not, read from moto's
        backend: a ReceiveMessage would hide them and count as a delivery."""
        # Here: moto is first loaded by the host's bind(), not when this module is imported
        from moto.sqs.models import sqs_backends

        self.saved.restore("sqs")
        name = queue.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        found = sqs_backends[LOCAL_ACCOUNT_ID][self.region].queues.get(name)
        if found is None:
            raise KeyError(f"no queue {queue!r}")
        return [message.body for message in list(found._messages)]

    def describe(self) -> dict:
        return {"pid": os.getpid(), "workspace": str(self.workspace), "region": self.region,
                "endpoint": self.endpoint, "startedAt": self.started_at, "sesSandbox": self.ses_sandbox,
                "account": LOCAL_ACCOUNT_ID}

    def control(self, method: str, action: str, query: dict, request: dict):
        if action == "ping":
            return self.describe()
        if action == "calls":
            calls = self.gateway.calls_of(query.get("key"), float(query.get("since", 0)),
                                          float(query.get("until", time.time() + 1)))
            return [call.to_wire() for call in calls]
        if action == "outbox":
            return sorted(self.gateway.outbox, key=lambda mail: mail["time"], reverse=True)
        if action in ("resources", "reset", "messages"):
            self.provisioned.wait(60)  # what the workspace declares, once it exists
        if action == "resources":
            return {"resources": [{"logicalId": r.logical_id, "type": r.type, "name": r.name, "arn": r.arn,
                                   "ref": r.ref(), "origin": r.origin} for r in self.resources],
                    "warnings": self.warnings}
        if action == "messages":
            return self.queue_bodies(query.get("queue", ""))
        if method == "POST" and action == "reset":
            return self.reset(request.get("resource"))
        if method == "POST" and action == "save":
            self.save()
            return {"saved": str(self.snapshot)}
        if action == "triggers" or action.startswith("triggers/"):
            if self.triggers is None:
                raise KeyError("the triggers are not started yet")
            return self.triggers.control(method, action, query, request)
        if method == "POST" and action == "stop":
            self.stop()
            return {"stopping": True}
        raise KeyError(f"no control action {method} {action}")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m workbench.services_host")
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--region")
    parser.add_argument("--invoke-endpoint", help="the Lambda Invoke API that triggered calls go to (else one "
                                                  "registers with POST /_workbench/triggers/invoker)")
    parser.add_argument("--async-delay-scale", type=float, default=1.0,
                        help="shrink Lambda's asynchronous retry delays (tests)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="services host: %(message)s", stream=sys.stderr)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    args = _arguments(argv)
    workspace = Path(args.workspace).absolute()
    if not workspace.is_dir():
        print(f"services host: {workspace} is not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        settings = load_services_settings(workspace)
    except ValueError as error:
        print(f"services host: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    folder = services_folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    lock = open(folder / "host.lock", "w")
    try:
        # One host per workspace: a second start (two windows at once) finds the lock held and joins.
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print("services host: already running for this workspace", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    region = args.region or load_aws_settings(workspace).region or DEFAULT_REGION
    host = ServicesHost(workspace, region, args.port, settings.ses_sandbox, args.invoke_endpoint,
                        args.async_delay_scale)
    try:
        host.bind()
    except (OSError, SystemExit) as error:  # werkzeug exits when the port is in use
        reason = getattr(error, "strerror", None) or "in use by another program"
        print(f"services host: port {args.port} cannot be used ({reason}); "
              "choose another with --port, or 0 for a free one", file=sys.stderr)
        return EXIT_PORT_TAKEN
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: host.stop())
    host.start()
    write_host_record(workspace, HostRecord(os.getpid(), host.port, os.getuid(), host.started_at, region,
                                            str(workspace)))
    print(f"ready {host.endpoint}", flush=True)
    if host.provisioned.is_set():
        for warning in host.warnings:
            print(f"WARNING: {warning}", file=sys.stderr, flush=True)
    try:
        host.wait()
    finally:
        remove_host_record(workspace, os.getpid())
        host.shutdown()
    return 0
