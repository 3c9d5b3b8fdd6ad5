"""The standard library's HTTP server (the Runtime API's), imported without ssl.

http.server imports http.client, and http.client imports ssl at once for its HTTPS client: about 10 ms
of every cold command, for a server that only ever speaks plain HTTP on loopback. So http.server is
imported here with ssl hidden, and the http.client it got is then taken out of sys.modules: whoever
imports http.client next (botocore, urllib) loads a complete one, HTTPS included.
"""

from __future__ import annotations

import sys


def _import_http_server():
    # Imported in here, not at the top: only with ssl hidden (or once it is loaded anyway).
    if "http.server" in sys.modules or "ssl" in sys.modules or "http.client" in sys.modules:
        import http.server  # here: loaded already, nothing to hide
        return http.server
    sys.modules["ssl"] = None  # http.client's optional `import ssl` then fails, and it goes without
    try:
        import http.server  # here: loaded already, nothing to hide
    finally:
        del sys.modules["ssl"]
        # The next `import http.client` loads a complete module, and http.server (which looks its
        # http.client up on the http package at each request) uses that one from then on.
        sys.modules.pop("http.client", None)
    return http.server


_server = _import_http_server()
BaseHTTPRequestHandler = _server.BaseHTTPRequestHandler
ThreadingHTTPServer = _server.ThreadingHTTPServer
