"""A feed server on 127.0.0.1 that misbehaves on purpose, for tests/test_faults.py.

Run as a script, `python tests/hostile.py PAYLOADS.json DEFAULT_MODE`, it prints its port and
serves until killed. It runs in its own process so that its threads and sockets never count
against the client's (the leak tests count both). It imports nothing from `planner`, to start
in a few milliseconds; the test hands it {feed path: recorded payload file}.

A request for /<mode>/<feed path> gets <mode>; any other path gets the default mode, which
GET /__mode__/<mode> changes (for DEPARTURE_PLANNER_FEED_BASE, which keeps only the host).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import socketserver
import struct
import sys
import time
from functools import cache
from pathlib import Path

DRIP_SECONDS = 0.2
HTML = b"<!DOCTYPE html><html><body><h1>Wi-Fi login</h1>Please sign in.</body></html>"


class Handler(socketserver.BaseRequestHandler):
    server: Server

    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            data = self.request.recv(65536)
            if not data:
                return
            request += data
        path = request.split(b" ", 2)[1].decode("latin-1")
        if path.startswith("/__mode__/"):
            self.server.mode = path.removeprefix("/__mode__/")
            return self._send(204, b"")
        mode, rest = self.server.mode, path
        first = path.split("/", 2)[1]
        if first in MODES:
            mode, rest = first, path[len(first) + 1 :]
        with contextlib.suppress(OSError):  # the client hung up or cut us off: expected
            MODES[mode](self, rest)

    # ---------------------------------------------------------------- helpers

    def _send(self, status: int, body: bytes, headers: str = "") -> None:
        head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        self.request.sendall(head.encode() + headers.encode() + b"\r\n" + body)

    def _payload(self, path: str) -> bytes | None:
        file = self.server.payloads.get(path)
        return Path(file).read_bytes() if file else None

    # ---------------------------------------------------------------- modes

    def good(self, path: str) -> None:
        body = self._payload(path)
        self._send(200, body) if body is not None else self._send(404, b"no such feed")

    def drip(self, path: str) -> None:
        """Headers at once, then the real body one byte every 0.2 s, forever."""
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
        body = self._payload(path) or b"{}"
        for i in range(10**9):
            self.request.sendall(body[i : i + 1] or b" ")
            time.sleep(DRIP_SECONDS)

    def drip_head(self, path: str) -> None:
        """The status line and a header that never ends, one byte every 0.2 s."""
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10**6:
            self.request.sendall(bytes([byte]))
            time.sleep(DRIP_SECONDS)

    def silent(self, path: str) -> None:
        time.sleep(3600)

    def endless(self, path: str) -> None:
        """200 without a length, then data as fast as the socket takes it, forever."""
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
        while True:
            self.request.sendall(b"1," * 32768)

    def endless_chunked(self, path: str) -> None:
        self.request.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
        while True:
            self.request.sendall(chunk)

    def gzip_bomb(self, path: str) -> None:
        """32 KiB on the wire that inflate to 32 MiB, four times the cap."""
        self._send(200, _bomb(), "Content-Encoding: gzip\r\n")

    def html(self, path: str) -> None:
        self._send(200, HTML, "Content-Type: text/html\r\n")

    def reset(self, path: str) -> None:
        """A correct length, half the body, then a TCP reset."""
        body = self._payload(path) or b"{}" * 1000
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        self.request.sendall(head + body[: len(body) // 2])
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()

    def close(self, path: str) -> None:
        self.request.close()

    def garbage(self, path: str) -> None:
        self.request.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")

    def redirect_away(self, path: str) -> None:
        """To the same server under another host name: following it would get a good feed."""
        port = self.server.server_address[1]
        self._send(302, b"", f"Location: http://localhost:{port}/good{path}\r\n")

    def redirect_same(self, path: str) -> None:
        self._send(302, b"", f"Location: /good{path}\r\n")

    def redirect_loop(self, path: str) -> None:
        self._send(302, b"", f"Location: /redirect-loop{path}\r\n")

    def error_500(self, path: str) -> None:
        self._send(500, b"Internal Server Error")

    def error_502(self, path: str) -> None:
        self._send(502, b"<html><body>Bad Gateway</body></html>")

    def error_503(self, path: str) -> None:
        self._send(503, b"Service Unavailable", "Retry-After: 3600\r\n")


MODES = {
    name.replace("_", "-"): getattr(Handler, name)
    for name in (
        "good", "drip", "drip_head", "silent", "endless", "endless_chunked", "gzip_bomb",
        "html", "reset", "close", "garbage", "redirect_away", "redirect_same", "redirect_loop",
        "error_500", "error_502", "error_503",
    )
}  # fmt: skip


@cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (32 << 20), compresslevel=1)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, payloads: dict[str, str], mode: str) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.payloads = payloads
        self.mode = mode


def main() -> None:
    payloads = json.loads(Path(sys.argv[1]).read_text())
    server = Server(payloads, sys.argv[2])
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
