"""Stored results of slow loads: reused while nothing changed, rebuilt when anything did,
and never a reason for a plan to fail."""

from __future__ import annotations

import os

import pytest

from planner import precomputed


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    monkeypatch.setenv(precomputed.PRECOMPUTED_ENV, str(folder))
    return folder


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_result_is_reused_until_a_source_changes(store, tmp_path):
    source = tmp_path / "data.txt"
    source.write_text("one", encoding="utf-8")
    build, calls = _counting({"rows": [1, 2, 3]})
    assert precomputed.load("thing", [source], build) == {"rows": [1, 2, 3]}
    assert precomputed.load("thing", [source], build) == {"rows": [1, 2, 3]}
    assert len(calls) == 1
    source.write_text("two!", encoding="utf-8")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    precomputed.load("thing", [source], build)
    assert len(calls) == 2
    assert len(list(store.glob("thing-*.pickle"))) == 1, "the stale result is removed"


def test_corrupt_store_is_rebuilt(store, tmp_path):
    source = tmp_path / "data.txt"
    source.write_text("x", encoding="utf-8")
    build, calls = _counting([42])
    precomputed.load("thing", [source], build)
    for path in store.glob("thing-*.pickle"):
        path.write_bytes(b"\x80\x04 not a pickle")
    assert precomputed.load("thing", [source], build) == [42]
    assert len(calls) == 2


def test_off_never_writes(tmp_path, monkeypatch):
    monkeypatch.setenv(precomputed.PRECOMPUTED_ENV, "off")
    build, calls = _counting("fresh")
    assert precomputed.load("thing", [tmp_path / "missing"], build) == "fresh"
    assert precomputed.load("thing", [tmp_path / "missing"], build) == "fresh"
    assert len(calls) == 2
    assert precomputed.directory() is None


def test_unwritable_store_still_returns_the_result(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(precomputed.PRECOMPUTED_ENV, str(blocker / "store"))
    build, _ = _counting("value")
    assert precomputed.load("thing", [], build) == "value"


def test_build_errors_propagate_and_nothing_is_stored(store):
    def broken():
        raise ValueError("bad data")

    with pytest.raises(ValueError, match="bad data"):
        precomputed.load("thing", [], broken)
    assert not list(store.glob("*.pickle"))
