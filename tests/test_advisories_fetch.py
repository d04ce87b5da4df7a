"""Fetching: live answers via `responses`, fallback to the snapshot on every failure, the
time budget against a closed port and a silent server, the disk cache, refresh, and the CLI.

No test touches the real network: an autouse fixture refuses every non-local address.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import requests
import responses

from planner.advisories import SOURCES, command, fetch, snapshot
from planner.advisories.fetch import FetchError, get_advisories
from planner.advisories.refresh import refresh
from planner.advisories.report import headline, says_leave_now
from planner.errors import InputError
from planner.models import Advisory

SNAP = snapshot.DEFAULT_ROOT
LOCAL = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Cache in tmp, no proxy or URL override from the caller's shell, no real network."""
    monkeypatch.setenv(fetch.CACHE_ENV, str(tmp_path / "cache"))
    for name in (
        fetch.FEED_BASE_ENV,
        snapshot.SNAPSHOT_ENV,
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in LOCAL:
            raise socket.gaierror(f"test blocked a lookup of {host}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


def _snapshot_bytes(source_id: str, country: str | None = None) -> bytes:
    entry = snapshot.newest(source_id, country)
    return snapshot.read(source_id, entry)


def _mock_all(rsps: responses.RequestsMock, country: str = "NP") -> None:
    for source_id, module in SOURCES.items():
        if source_id == "uk_fcdo":
            rsps.get(module.country_url(country), body=_snapshot_bytes("uk_fcdo", "NP"))
        else:
            rsps.get(module.URL, body=_snapshot_bytes(source_id))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------- live and fallback


@responses.activate
def test_all_sources_live():
    _mock_all(responses.mock)
    report = get_advisories("NP", budget=10)
    assert [s.origin for s in report.sources] == ["live"] * 5
    assert report.live == tuple(SOURCES)
    levels = {a.source: (a.level, a.origin) for a in report.advisories}
    assert levels == {
        "us_state_rss": (3, "live"),
        "uk_fcdo": (1, "live"),
        "canada": (2, "live"),
        "germany": (1, "live"),
        "australia": (2, "live"),
    }
    assert all(
        a.fetched and a.fetched.date() == dt.datetime.now(dt.UTC).date() for a in report.advisories
    )
    agents = {call.request.headers["User-Agent"] for call in responses.calls}
    assert agents == {fetch.USER_AGENT}


def test_offline_opens_no_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("offline mode opened a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    report = get_advisories("RU", offline=True)
    assert {a.source: a.level for a in report.advisories} == {
        "us_state_rss": 4, "uk_fcdo": 4, "canada": 4, "germany": 4, "australia": 4,
    }  # fmt: skip
    assert all(a.origin == "snapshot" for a in report.advisories)
    uk = next(s for s in report.sources if s.id == "uk_fcdo")
    assert (uk.origin, uk.snapshot_date) == ("snapshot", dt.date(2026, 9, 18))
    ua = next(s for s in get_advisories("UA", offline=True).sources if s.id == "uk_fcdo")
    assert (ua.origin, ua.note) == ("none", "no snapshot for this country (UA, Ukraine)")
    us = next(s for s in report.sources if s.id == "us_state_rss")
    assert (us.origin, us.snapshot_date, us.error) == ("snapshot", dt.date(2025, 10, 14), None)


def test_closed_port_falls_back_within_budget(monkeypatch):
    monkeypatch.setenv(fetch.FEED_BASE_ENV, f"http://127.0.0.1:{_free_port()}")
    start = time.monotonic()
    report = get_advisories("NP", budget=2.0)
    assert time.monotonic() - start < 2.5
    assert [s.origin for s in report.sources] == ["snapshot"] * 5
    assert all("connection refused" in s.error for s in report.sources)
    assert len(report.advisories) == 5


def test_silent_server_falls_back_within_budget(monkeypatch, silent_server):
    monkeypatch.setenv(fetch.FEED_BASE_ENV, silent_server.url)
    start = time.monotonic()
    report = get_advisories("RU", budget=1.0)
    elapsed = time.monotonic() - start
    assert elapsed < 1.5
    assert [(s.id, s.origin) for s in report.sources] == [
        ("us_state_rss", "snapshot"), ("uk_fcdo", "snapshot"), ("canada", "snapshot"),
        ("germany", "snapshot"), ("australia", "snapshot"),
    ]  # fmt: skip
    assert all(s.error for s in report.sources)
    assert {a.level for a in report.advisories} == {4}


@responses.activate
@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (b"<!DOCTYPE html><html><body>Please log in</body></html>", 200, "HTML page"),
        (b"", 200, "empty payload"),
        (b"Service unavailable", 503, "HTTP 503"),
        (b"not found", 404, "HTTP 404"),
    ],
)
def test_bad_answers_fall_back_per_source(body, status, error):
    _mock_all(responses.mock)
    responses.replace(responses.GET, SOURCES["canada"].URL, body=body, status=status)
    report = get_advisories("NP", budget=10)
    origins = {s.id: s.origin for s in report.sources}
    assert origins == {
        "us_state_rss": "live",
        "uk_fcdo": "live",
        "canada": "snapshot",
        "germany": "live",
        "australia": "live",
    }
    canada = next(s for s in report.sources if s.id == "canada")
    assert error in canada.error
    assert canada.snapshot_date == dt.date(2026, 7, 11)


@responses.activate
def test_truncated_and_connection_errors_fall_back():
    _mock_all(responses.mock)
    payload = _snapshot_bytes("germany")
    responses.replace(responses.GET, SOURCES["germany"].URL, body=payload[: len(payload) // 2])
    responses.replace(
        responses.GET, SOURCES["australia"].URL, body=requests.ConnectionError("Connection refused")
    )
    responses.replace(
        responses.GET, SOURCES["us_state_rss"].URL, body=requests.ReadTimeout("read timed out")
    )
    report = get_advisories("NP", budget=10)
    errors = {s.id: s.error for s in report.sources if s.origin == "snapshot"}
    assert set(errors) == {"germany", "australia", "us_state_rss"}
    assert "not valid JSON" in errors["germany"]
    assert "connection refused" in errors["australia"]
    assert "timed out" in errors["us_state_rss"]


@responses.activate
def test_size_cap(monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    with pytest.raises(FetchError, match="cap"):
        responses.get("https://feed.example/x", body=b"x" * 5000)
        fetch.download("https://feed.example/x", max_bytes=1000)
    responses.get(
        "https://feed.example/y",
        body=b"x" * 5000,
        headers={"Content-Length": "5000"},
        auto_calculate_content_length=False,
    )
    with pytest.raises(FetchError, match="cap"):
        fetch.download("https://feed.example/y", max_bytes=1000)


@responses.activate
def test_uk_asks_one_country_and_says_when_it_has_no_snapshot():
    _mock_all(responses.mock, country="UA")
    responses.replace(responses.GET, SOURCES["uk_fcdo"].country_url("UA"), status=404)
    report = get_advisories("UA", budget=10)
    uk = next(s for s in report.sources if s.id == "uk_fcdo")
    assert uk.origin == "none"
    assert uk.error == "HTTP 404 from www.gov.uk"
    assert "no snapshot for this country" in uk.note
    assert any(
        call.request.url.endswith("/foreign-travel-advice/ukraine") for call in responses.calls
    )


@responses.activate
def test_url_override_parameter():
    responses.get("http://127.0.0.1:1/ca.json", body=_snapshot_bytes("canada"))
    report = get_advisories(
        "RU",
        budget=5,
        urls={"canada": "http://127.0.0.1:1/ca.json", "us_state_rss": "http://127.0.0.1:1/none"},
    )
    origins = {s.id: s.origin for s in report.sources}
    assert origins["canada"] == "live"
    assert origins["us_state_rss"] == "snapshot"


# ----------------------------------------------------------------- cache


@responses.activate
def test_cache_serves_a_good_payload_and_never_keeps_a_bad_one(tmp_path):
    url = SOURCES["germany"].URL
    responses.get(url, body=b"<html>captive portal</html>")
    first = get_advisories("RU", budget=5, urls={"germany": url})
    assert next(s for s in first.sources if s.id == "germany").origin == "snapshot"

    responses.replace(responses.GET, url, body=_snapshot_bytes("germany"))
    second = get_advisories("RU", budget=5)
    assert next(s for s in second.sources if s.id == "germany").origin == "live"

    responses.replace(responses.GET, url, status=500)
    calls = len([c for c in responses.calls if c.request.url == url])
    third = get_advisories("RU", budget=5)
    germany = next(a for a in third.advisories if a.source == "germany")
    assert (germany.origin, germany.level) == ("live", 4)
    assert len([c for c in responses.calls if c.request.url == url]) == calls  # from the cache
    assert any((tmp_path / "cache").iterdir())


def test_cache_dir_env_and_default(monkeypatch, tmp_path):
    assert fetch.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv(fetch.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fetch.cache_dir() == tmp_path / "xdg" / "departure-planner" / "http"


# ----------------------------------------------------------------- proxies


def test_proxy_from_environment_is_used(monkeypatch):
    """A local 'proxy' receives the request for a non-local feed URL and answers it."""
    payload = _snapshot_bytes("canada")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                request = conn.recv(65536)
                seen.append(request)
                if request.startswith(b"GET http://feeds.invalid/"):
                    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n" % len(payload)
                    conn.sendall(head + b"Connection: close\r\n\r\n" + payload)
                else:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{server.getsockname()[1]}")
    url = "http://feeds.invalid/index-alpha-eng.json"
    urls = {s: url if s == "canada" else "http://feeds.invalid/other" for s in SOURCES}
    report = get_advisories("RU", budget=3, urls=urls, use_cache=False)
    stop.set()
    thread.join(2)
    server.close()
    assert any(r.startswith(b"GET http://feeds.invalid/index-alpha-eng.json") for r in seen)
    origins = {s.id: s.origin for s in report.sources}
    assert origins["canada"] == "live"
    assert origins["germany"] == "snapshot"


# ----------------------------------------------------------------- headline


def _advisory(source: str, level: int | None, label: str = "x", summary: str = "") -> Advisory:
    return Advisory(
        source=source,
        country="RU",
        level=level,
        label=label,
        summary=summary,
        url="https://example.org",
    )


def test_headline_takes_the_highest_level_and_its_sources():
    result = headline(
        [
            _advisory("canada", 3),
            _advisory("germany", 4),
            _advisory("australia", 4),
            _advisory("uk_fcdo", None),
        ]
    )
    assert (result.level, result.sources, result.leave_now) == (4, ("germany", "australia"), False)
    assert result.text == "Level 4 of 4 (do not travel): Germany, Australia."


def test_do_not_travel_alone_is_not_leave_now():
    result = headline(
        [_advisory("us_state_rss", 4, "Level 4: Do Not Travel", "Do not travel to Russia.")]
    )
    assert result.leave_now is False


@pytest.mark.parametrize(
    ("text", "leave"),
    [
        ("U.S. citizens in Russia should leave immediately.", True),
        ("If you're in Russia, leave immediately using commercial options.", True),
        ("Leave Ukraine as soon as possible, if it's safe to do so.", True),
        ("you should depart immediately if it's safe to do so", True),
        ("The FCDO advises British nationals to leave", True),
        ("travelers should be prepared to depart immediately with little warning", False),
        ("Have a plan to leave in an emergency", False),
        ("If you wish to leave Russia, you should make your own travel plans.", False),
        ("Departure routes can be disrupted", False),
        ("Don't leave your drinks unattended", False),
    ],
)
def test_says_leave_now(text, leave):
    assert says_leave_now(text) is leave


def test_headline_for_russia_from_the_snapshot():
    result = headline(list(get_advisories("RU", offline=True).advisories))
    assert (result.level, result.leave_now) == (4, True)
    assert result.sources == ("us_state_rss", "uk_fcdo", "canada", "germany", "australia")


def test_unknown_country_code_is_an_input_error():
    with pytest.raises(InputError, match="'ZZ' is not an ISO 3166-1 alpha-2 country code"):
        get_advisories("zz", offline=True)


def test_headline_without_data():
    assert headline([]).level is None


# ----------------------------------------------------------------- snapshot and refresh


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def snapshot_copy(tmp_path, monkeypatch) -> Path:
    copy = tmp_path / "snapshot"
    shutil.copytree(SNAP, copy)
    monkeypatch.setenv(snapshot.SNAPSHOT_ENV, str(copy))
    return copy


def test_refresh_without_network_leaves_the_snapshot_untouched(monkeypatch, snapshot_copy):
    monkeypatch.setenv(fetch.FEED_BASE_ENV, f"http://127.0.0.1:{_free_port()}")
    before = _tree_digest(snapshot_copy)
    with pytest.raises(
        FetchError, match="could not refresh 6 of 6 snapshot payloads \\(no network\\?\\)"
    ):
        refresh(budget=5)
    assert _tree_digest(snapshot_copy) == before


@responses.activate
def test_refresh_writes_new_files_and_fallback_uses_them(snapshot_copy):
    _mock_all(responses.mock)
    uk = SOURCES["uk_fcdo"]
    responses.get(uk.country_url("RU"), body=_snapshot_bytes("uk_fcdo", "RU"))
    written = refresh(budget=10, today=dt.date(2026, 11, 26))
    assert sorted(p.name for p in written) == sorted([
        "TAsTWs-2026-11-26.xml", "nepal-2026-11-26.json", "russia-2026-11-26.json",
        "index-alpha-eng-2026-11-26.json", "travelwarning-2026-11-26.json",
        "destinations-export-2026-11-26.json",
    ])  # fmt: skip
    assert snapshot.newest("canada").file == "index-alpha-eng-2026-11-26.json"
    assert snapshot.newest("uk_fcdo", "NP").captured == dt.date(2026, 11, 26)
    assert not list(snapshot_copy.rglob("*.tmp"))
    report = get_advisories("NP", offline=True)
    assert {s.snapshot_date for s in report.sources} == {dt.date(2026, 11, 26)}


@responses.activate
def test_refresh_refuses_a_payload_that_does_not_parse(snapshot_copy):
    _mock_all(responses.mock)
    responses.replace(responses.GET, SOURCES["australia"].URL, body=b"<html>maintenance</html>")
    before = (snapshot_copy / "australia").iterdir()
    before = sorted(p.name for p in before)
    with pytest.raises(FetchError, match="australia: an HTML page, not a feed"):
        refresh(budget=10, today=dt.date(2026, 11, 26))
    assert sorted(p.name for p in (snapshot_copy / "australia").iterdir()) == before


def test_data_is_found_from_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(get_advisories("RU", offline=True).advisories) == 5


# ----------------------------------------------------------------- CLI


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="planner")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["advisories", *argv])
    return args.func(args)


def test_cli_country_table(capsys):
    assert _cli("RU", "--offline") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["SOURCE", "LEVEL", "LABEL", "UPDATED", "FROM"]
    assert out[1].split()[:2] == ["us_state_rss", "4"]
    assert out[2].split()[:2] == ["uk_fcdo", "4"]
    assert out[2].endswith("snapshot 2026-09-18")
    assert len([line for line in out if line.startswith(tuple(SOURCES))]) == 5
    assert out[-1].startswith("Level 4 of 4 (do not travel)")


def test_cli_country_json(capsys):
    assert _cli("Russia", "--offline", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in rows] == list(SOURCES)
    for row in rows:
        assert {
            "source",
            "country",
            "level",
            "label",
            "updated",
            "url",
            "origin",
            "fetched",
        } <= set(row)
    canada = rows[2]
    assert (canada["country"], canada["level"], canada["label"], canada["origin"]) == (
        "RU",
        4,
        "Avoid all travel",
        "snapshot",
    )
    assert canada["updated"] == "2026-06-23T16:51:12Z"


def test_cli_parse(capsys):
    path = SNAP / "germany" / "travelwarning-2026-07-11.json"
    assert _cli("parse", "germany", str(path), "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 200
    assert next(r for r in rows if r["country"] == "RU")["level"] == 4


def test_cli_prints_no_control_characters_from_a_feed(monkeypatch, tmp_path, capsys):
    """A feed label with a C1 CSI, an escape sequence and a right-to-left override."""
    hostile = "Level 4\x9b31m\x1b]0;pwned\x07\u202etxt.exe"
    advisory = Advisory(
        source="germany", country="RU", level=4, label=hostile, url="https://www.example.org/"
    )
    monkeypatch.setattr(SOURCES["germany"], "parse", lambda payload: [advisory])
    path = tmp_path / "payload.json"
    path.write_text("{}")
    for json_out in (False, True):
        assert _cli("parse", "germany", str(path), *(["--json"] if json_out else [])) == 0
        out = capsys.readouterr().out
        assert "Level 4" in out
        assert not [c for c in out if c in "\x9b\x1b\x07\u202e"], out
        if json_out:
            assert json.loads(out)[0]["label"] == hostile  # escaped, not lost


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["parse", "germany", "BROKEN"], "error: germany: not valid JSON"),
        (
            ["parse", "us_state", "BROKEN"],
            "error: unknown advisory source 'us_state'; valid: us_state_rss",
        ),
        (
            ["parse", "canada", "/nonexistent/file.json"],
            "error: cannot read /nonexistent/file.json",
        ),
        (["Atlantis", "--offline"], "error: unknown country 'Atlantis'"),
        (["parse", "canada"], "error: usage: advisories parse SOURCE FILE"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, capsys, argv, message):
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"response": {')
    argv = [str(broken) if a == "BROKEN" else a for a in argv]
    assert _cli(*argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_cli_refresh_without_network_exits_2(monkeypatch, snapshot_copy, capsys):
    monkeypatch.setenv(fetch.FEED_BASE_ENV, f"http://127.0.0.1:{_free_port()}")
    before = _tree_digest(snapshot_copy)
    assert _cli("refresh") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: could not refresh 6 of 6 snapshot payloads (no network?)")
    assert err.count("\n") == 1
    assert _tree_digest(snapshot_copy) == before
