"""A requests session whose connections a download can cut when its time budget ends.

Read timeouts apply to each recv, so a server that sends a byte every 0.2 s, or never ends its
headers, keeps a plain requests call (and its thread and socket) alive for hours. Here every
socket a download opens is registered with the download's `Cut`, and a timer shuts the
connection down at the deadline, which wakes any read blocked on it: nothing outlives the
budget by more than a few milliseconds. Not covered: a DNS lookup (getaddrinfo cannot be
interrupted; connect has its own timeout) and SOCKS proxies (their own connection classes).

Imported only when going online: it needs requests and urllib3 at import time.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()  # the Cut of the download running in this thread, if any


class Cut:
    """The sockets of one download, shut down together when its deadline passes.

    It keeps a duplicate of each socket's descriptor: shutdown acts on the connection, so the
    duplicate still reaches it after TLS has wrapped (and detached) the original socket.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = False
        self.fired = False

    def track(self, sock: socket.socket) -> None:
        """Keep `sock` to cut it later; cut it now if the deadline has already passed."""
        with self._lock:
            if self._closed:
                return
            try:
                duplicate = sock.dup()
            except OSError:
                return
            self._sockets.append(duplicate)
            if self.fired:
                _shut(duplicate)

    def fire(self) -> None:
        """Shut every tracked connection down: blocked reads return at once."""
        with self._lock:  # under the lock, so close() cannot free a descriptor meanwhile
            if self._closed:
                return
            self.fired = True
            for sock in self._sockets:
                _shut(sock)

    def close(self) -> None:
        """Release the duplicates; the download closes the sockets it opened itself."""
        with self._lock:
            self._closed = True
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


@contextlib.contextmanager
def cut_at(deadline: float) -> Iterator[Cut]:
    """A Cut for the connections this thread opens inside the block, fired at `deadline`."""
    cut = Cut()
    wait = min(max(0.0, deadline - time.monotonic()), threading.TIMEOUT_MAX)
    timer = threading.Timer(wait, cut.fire)
    timer.name = "advisory-deadline"
    timer.daemon = True
    previous = getattr(_current, "cut", None)
    _current.cut = cut
    timer.start()
    try:
        yield cut
    finally:
        timer.cancel()
        timer.join()  # returns at once: a cancelled timer only wakes up and exits
        _current.cut = previous
        cut.close()


def session(user_agent: str) -> requests.Session:
    """A session whose connections `cut_at` can cut; proxies still come from the environment."""
    new = requests.Session()  # trust_env stays True
    new.headers["User-Agent"] = user_agent
    adapter = _Adapter()
    new.mount("http://", adapter)
    new.mount("https://", adapter)
    return new


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by its peer or not yet connected
        sock.shutdown(socket.SHUT_RDWR)


class _Tracked:
    """Mixed into urllib3's connections: hand each new socket to the current Cut."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        cut = getattr(_current, "cut", None)
        if cut is not None:
            cut.track(sock)
        return sock


class _HTTPConnection(_Tracked, HTTPConnection):
    pass


class _HTTPSConnection(_Tracked, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _HTTPPool, "https": _HTTPSPool}


class _Adapter(HTTPAdapter):
    """HTTPAdapter with tracked connections, direct or through an HTTP(S) proxy. It keeps
    `send` as is, so `responses` still intercepts it in tests."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _POOLS
        return manager
