"""The plan CLI with every advisory host unreachable or silent still prints a full plan,
from the bundled snapshot, within the advisory time budget; --offline opens no socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.advisories.fetch import DEFAULT_BUDGET, FEED_BASE_ENV, get_advisories
from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "plan", "--from", "RU", "--near", "Moscow", "--citizenship", "US", "--citizenship", "RU",
    "--sex", "male", "--age", "30", "--date", "2022-09-28", "--full",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(base: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float]:
    env = dict(os.environ, **{FEED_BASE_ENV: base, "DEPARTURE_PLANNER_CACHE": str(tmp_path)})
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "planner", *ARGS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done, time.monotonic() - start


def _assert_full_plan_from_snapshot(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "offline snapshot from" in out
    for section in ("ADVISORIES", "ROUTES", "RISKS FOR YOU", "CHECKLIST", "CONTACTS"):
        assert section in out
    assert "Верхний Ларс" in out


def _timed_fallback(base: str, tmp_path: Path, monkeypatch) -> float:
    """Seconds the advisory step takes in-process (start-up cost is the benchmark's)."""
    monkeypatch.setenv(FEED_BASE_ENV, base)
    monkeypatch.setenv("DEPARTURE_PLANNER_CACHE", str(tmp_path / "in-process"))
    start = time.monotonic()
    report = get_advisories("RU")
    took = time.monotonic() - start
    assert report.live == ()
    assert set(report.from_snapshot) >= {"us_state_rss", "canada", "germany", "australia"}
    return took


def test_refused_connections_fall_back_to_the_snapshot(tmp_path, monkeypatch):
    base = f"http://127.0.0.1:{_free_port()}"
    done, _ = _run(base, tmp_path)
    _assert_full_plan_from_snapshot(done)
    assert _timed_fallback(base, tmp_path, monkeypatch) < DEFAULT_BUDGET + 1


def test_silent_server_costs_at_most_the_budget(tmp_path, monkeypatch, silent_server):
    done, _ = _run(silent_server.url, tmp_path)
    took = _timed_fallback(silent_server.url, tmp_path, monkeypatch)
    _assert_full_plan_from_snapshot(done)
    assert silent_server.held, "the fetcher did try the silent server"
    assert took < DEFAULT_BUDGET + 1


def test_offline_opens_no_socket(monkeypatch, capsys):
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert main([*ARGS, "--offline"]) == 0
    assert attempts == []
    assert "offline snapshot from" in capsys.readouterr().out


@pytest.mark.parametrize("flag", ["--json", None])
def test_plan_output_names_each_government(flag, capsys):
    assert main([*ARGS, "--offline", *([flag] if flag else [])]) == 0
    out = capsys.readouterr().out
    names = ("us_state_rss", "canada") if flag == "--json" else ("United States", "Canada")
    assert all(name in out for name in names)
