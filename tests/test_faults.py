"""Faults do not stop a plan (#13): odd maintainer input gets one `error:` line and exit 2."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from planner import cli
from planner.advisories import fetch, snapshot
from planner.advisories.fetch import FEED_BASE_ENV, get_advisories
from planner.errors import InputError

LOCAL = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Cache in tmp, no proxy or URL override from the caller's shell, only local lookups."""
    monkeypatch.setenv(fetch.CACHE_ENV, str(tmp_path / "cache"))
    for name in (FEED_BASE_ENV, snapshot.SNAPSHOT_ENV, "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "http_proxy", "https_proxy", "all_proxy", "NO_PROXY", "no_proxy"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in LOCAL:
            raise socket.gaierror(f"test blocked a lookup of {host}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------- 4. maintainer commands


def _one_error_line(capsys, argv: list[str]) -> str:
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("error: ")
    return captured.err.strip()


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", r"error: no data folder at .*/no/such/folder$"),
        ("empty-folder", r"error: .*/empty has no countries/ folder; point --data at"),
        ("file", r"error: .*/a-file is not a folder; point --data at the data folder$"),
        ("countries-is-a-file", r"error: .*/odd has no countries/ folder"),
        ("dev-null", r"error: /dev/null is not a folder"),
    ],
)
def test_data_check_on_a_path_that_is_not_a_data_folder(kind, message, tmp_path, capsys):
    paths = {
        "missing": tmp_path / "no" / "such" / "folder",
        "empty-folder": tmp_path / "empty",
        "file": tmp_path / "a-file",
        "countries-is-a-file": tmp_path / "odd",
        "dev-null": Path("/dev/null"),
    }
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-file").write_text("countries: []\n")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "countries").write_text("")
    line = _one_error_line(capsys, ["data", "check", "--data", str(paths[kind])])
    assert re.match(message, line), line


@pytest.fixture
def odd_files(tmp_path) -> SimpleNamespace:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as out:
        out.truncate(fetch.MAX_BYTES + 1)  # sparse: costs no disk
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    return SimpleNamespace(huge=huge, fifo=fifo, folder=tmp_path, missing=tmp_path / "nope")


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("huge", r"error: .*huge.json has 8388609 bytes, over the 8388608-byte feed cap$"),
        ("/dev/zero", r"error: /dev/zero is over the 8388608-byte feed cap$"),
        ("/dev/urandom", r"error: /dev/urandom is over the 8388608-byte feed cap$"),
        ("fifo", r"error: canada: empty payload$"),  # nobody has it open for writing
        ("/dev/null", r"error: canada: empty payload$"),
        ("folder", r"error: cannot read .*: Is a directory$"),
        ("missing", r"error: cannot read .*nope: No such file or directory$"),
    ],
)
def test_parse_refuses_odd_files_in_one_line(which, message, odd_files, capsys):
    path = getattr(odd_files, which, which)
    argv = ["advisories", "parse", "canada", str(path)]
    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(_one_error_line(capsys, argv)))
    worker.start()
    worker.join(10)
    if worker.is_alive():  # e.g. blocked opening the FIFO: release it, then fail
        with contextlib.suppress(OSError):
            os.close(os.open(odd_files.fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        pytest.fail(f"parse of {path} still running after 10 s")
    assert done and re.match(message, done[0]), done


@pytest.mark.parametrize("budget", ["nan", "inf", "-inf", "0", "-1", "-0"])
def test_unusable_budgets_are_refused_in_one_line(budget, capsys):
    line = _one_error_line(capsys, ["advisories", "RU", f"--budget={budget}"])
    assert line.startswith("error: --budget must be a finite number of seconds above 0, not ")


@pytest.mark.parametrize(("budget", "used"), [("1e308", 60.0), ("1e-9", 1e-9), ("0.5", 0.5)])
def test_usable_budgets_work_and_huge_ones_are_capped(budget, used, capsys, monkeypatch):
    monkeypatch.setenv(FEED_BASE_ENV, f"http://127.0.0.1:{_free_port()}")
    seen: list[float] = []
    real = fetch._fetch_all
    monkeypatch.setattr(fetch, "_fetch_all", lambda c, b, *a: seen.append(b) or real(c, b, *a))
    start = time.monotonic()
    assert cli.main(["advisories", "RU", f"--budget={budget}"]) == 0
    assert time.monotonic() - start < 2.0
    assert seen == [used]
    assert "live failed" in capsys.readouterr().out


@pytest.mark.parametrize("budget", [float("nan"), float("inf"), -1.0, 0.0])
def test_core_refuses_an_unusable_budget(budget):
    with pytest.raises(InputError, match="finite number of seconds above 0"):
        get_advisories("RU", budget=budget)
