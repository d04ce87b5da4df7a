"""Tests never touch the network: any connection beyond this machine fails loudly."""

from __future__ import annotations

import socket
import threading
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, settings

# Property and fuzz suites (hypothesis): the same cases on every CI run, nothing written to
# disk; HYPOTHESIS_PROFILE=deep tries many more (the counts in RELIABILITY.md).
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=_QUIET
)
settings.register_profile(
    "deep", max_examples=5000, database=None, deadline=None, suppress_health_check=_QUIET
)

_LOCAL = {"127.0.0.1", "::1", "localhost"}
_real_connect = socket.socket.connect
_real_create_connection = socket.create_connection


def _host(address) -> str:
    return address[0] if isinstance(address, tuple) else str(address)


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and _host(address) not in _LOCAL:
        raise OSError(f"tests may not open network connections (tried {address!r})")
    return _real_connect(self, address)


def _guarded_create_connection(address, *args, **kwargs):
    if _host(address) not in _LOCAL:
        raise OSError(f"tests may not open network connections (tried {address!r})")
    return _real_create_connection(address, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket, "create_connection", _guarded_create_connection)


def pytest_configure(config):
    """Keep precomputed results of this run apart from the user's own cache."""
    import os
    import tempfile

    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

    os.environ.setdefault(
        "DEPARTURE_PLANNER_PRECOMPUTED", tempfile.mkdtemp(prefix="dp-precomputed-")
    )


@pytest.fixture
def silent_server():
    """A socket on 127.0.0.1 that accepts connections and never answers: `.url` to point
    feeds at, `.held` the connections it accepted."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.getsockname()[1]}", held=held)
    stop.set()
    thread.join(1)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def overflows(monkeypatch) -> list:
    """Every piece of text the PDF sets past the right margin, as (page, start of the text,
    mm over), recorded from then on in the test by watching the layout's cell() and row()."""
    from planner.export import layout

    found: list = []
    cell, row = layout.Document.cell, layout.Document.row

    def check(doc, text):
        right = doc.get_x() + doc.get_string_width(text)
        if text and right > doc.w - doc.r_margin + 0.01:
            found.append((doc.page, text[:40], round(right - (doc.w - doc.r_margin), 1)))

    def checked(doc, w=None, h=None, text="", *args, **kwargs):
        check(doc, text)
        return cell(doc, w, h, text, *args, **kwargs)

    def checked_row(doc, text, width, height):
        check(doc, text)
        return row(doc, text, width, height)

    monkeypatch.setattr(layout.Document, "cell", checked)
    monkeypatch.setattr(layout.Document, "row", checked_row)
    return found
