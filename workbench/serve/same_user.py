"""Serve answers the workbench's own user only: an aiohttp middleware applying loopback_peer's rule.

Any local user can connect to a loopback port, and serve runs code with the user's files, variables and
credentials. So every request's caller is identified (the kernel's socket table says which uid holds the
client end, workbench.engine.loopback_peer.other_user_refusal) and refused with 403 unless it is ours,
before its body is read; `serve --allow-other-users` turns the check off, said loudly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from ..core.function.served_call import ServedCall
from ..engine.loopback_peer import other_user_refusal

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

OPEN_WARNING = ("WARNING: --allow-other-users: every user of this machine (and, off loopback, every machine that "
                "can reach it) can run your functions with your files, variables and AWS credentials, and read "
                "their configuration.")


def caller_refusal(request: web.Request) -> str | None:
    """Why this request's caller is not let in, or None when it runs as our user."""
    transport = request.transport
    if transport is None:
        return "the connection is gone"
    return other_user_refusal(transport.get_extra_info("sockname"), transport.get_extra_info("peername"))


def refused_answer(entry: str, reason: str) -> web.Response:
    if entry == "invoke":
        # The Lambda API's shape for a caller it will not serve (AccessDeniedException, 403).
        return web.Response(status=403, content_type="application/json",
                            headers={"x-amzn-ErrorType": "AccessDeniedException"},
                            body=json.dumps({"Type": "User", "Message": f"Refused: {reason}. This endpoint answers "
                                             "its own user only (serve --allow-other-users opens it)."}).encode())
    return web.Response(status=403, content_type="application/json", body=b'{"message":"Forbidden"}')


def same_user_only(entry: str, on_call: Callable[[ServedCall], None]):
    """The middleware for one of serve's applications (`entry` "invoke" or "http", as ServedCall names it)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = caller_refusal(request)
        if reason is None:
            return await handler(request)
        arrived = time.time()
        on_call(ServedCall(arrived, entry, request.method, request.path, None, 403, 0.0, None,
                           f"refused: {reason}"))
        return refused_answer(entry, reason)

    return guard
