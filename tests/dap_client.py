"""A small blocking DAP client, as an IDE would be, for the `--debug-port` tests (written here, apart from
the workbench's own client, so the two cannot share a mistake)."""

import json
import socket
import time


class IdeClient:
    def __init__(self, port, wait_s=20.0):
        until = time.monotonic() + wait_s
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=wait_s)
                break
            except OSError:
                if time.monotonic() > until:
                    raise
                time.sleep(0.05)
        self.file = self.sock.makefile("rb")
        self.seq = 0
        self.seen = []

    def send(self, command, **arguments):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments})
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body.encode()) + body.encode())
        return self.seq

    def read(self):
        length = None
        while True:
            line = self.file.readline()
            if not line:
                raise EOFError("the debugger closed the connection")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        message = json.loads(self.file.read(length))
        self.seen.append(message)
        return message

    def until(self, predicate):
        while True:
            message = self.read()
            if predicate(message):
                return message

    def request(self, command, **arguments):
        seq = self.send(command, **arguments)
        response = self.until(lambda m: m.get("type") == "response" and m.get("request_seq") == seq)
        assert response["success"], response
        return response.get("body") or {}

    def event(self, name):
        return self.until(lambda m: m.get("type") == "event" and m.get("event") == name)

    def close(self):
        self.sock.close()
