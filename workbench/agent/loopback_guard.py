"""The HTTP transport's door: only this user's processes on this machine. As the Runtime API refuses
processes of other users (engine/loopback_peer.py asks the kernel who holds the other end of a loopback
connection), the MCP endpoint answers 403 to a connection from another uid, before the request is read."""

from __future__ import annotations

import logging
import os

from ..engine.loopback_peer import peer_uid

_log = logging.getLogger("workbench.agent")


class SameUserOnly:
    """ASGI middleware: HTTP requests from another user's process get 403 and never reach the server."""

    def __init__(self, app, uid: int | None = None) -> None:
        self.app = app
        self.uid = os.getuid() if uid is None else uid

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not self._admits(scope):
            body = b"Forbidden: this MCP server answers its own user's processes only\n"
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

    def _admits(self, scope) -> bool:
        client, server = scope.get("client"), scope.get("server")
        if not client or not server:
            return False
        uid = peer_uid((server[0], server[1]), (client[0], client[1]))
        if uid != self.uid:
            _log.warning("MCP over HTTP: refused a connection from %s:%s (uid %s): not this user's process",
                         client[0], client[1], uid)
            return False
        return True
