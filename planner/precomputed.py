"""Results of slow, pure loads kept on disk between runs: the validated catalog, the gazetteer
index, the parsed advisory snapshot and the visa tables.

Each start would otherwise parse and validate the same megabytes of YAML, TSV, CSV and XML
again (about 2 s). The data files stay the only source of truth: a result is stored as a
pickle in the user cache dir ($DEPARTURE_PLANNER_PRECOMPUTED, else $XDG_CACHE_HOME or
~/.cache, + departure-planner/precomputed), named by a key over the size and modification
time of every file it was built from and of the planner's own code, as Python does for its
.pyc files. Any change to the data or the code misses the key and loads afresh. An unreadable,
truncated or stale file is rebuilt; a cache dir that cannot be written costs only the time.
Set DEPARTURE_PLANNER_PRECOMPUTED=off to never read or write it.

Pickles run code when loaded, so only files this module wrote are read: they live in the
user's own cache dir, which anyone able to write could equally edit the user's shell profile.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from planner import collector

PRECOMPUTED_ENV = "DEPARTURE_PLANNER_PRECOMPUTED"
_CODE_DIR = Path(__file__).resolve().parent
# Bump when a stored format changes in a way the code's own stat would not show.
_FORMAT = 1

T = TypeVar("T")

_code_key: str | None = None
# What a damaged or foreign pickle can raise while loading: never a reason to fail the plan.
_UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
    TypeError,
    ValueError,
)


def directory() -> Path | None:
    """Where results are kept; None when switched off."""
    override = os.environ.get(PRECOMPUTED_ENV)
    if override == "off":
        return None
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "departure-planner" / "precomputed"


def _stat_key(paths: Iterable[Path]) -> list[tuple[str, int, int]]:
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append((str(path), -1, -1))  # missing: the loader reports it, if it matters
            continue
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return out


def _code() -> str:
    """A key over the planner's source files: new code never reads an old result."""
    global _code_key
    if _code_key is None:
        import pydantic

        files = sorted(_CODE_DIR.rglob("*.py"))
        parts = [sys.version, pydantic.VERSION, _FORMAT, *_stat_key(files)]
        _code_key = hashlib.sha256(repr(parts).encode()).hexdigest()
    return _code_key


def load(kind: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """`build()`, or its stored result if none of `sources` nor the code changed since.

    `kind` names the result (one file per kind is kept); `build` must be pure in `sources`.
    Errors raised by `build` (e.g. DataError) propagate and nothing is stored.
    """
    folder = directory()
    if folder is None:
        return build()
    key = hashlib.sha256(repr([kind, _code(), *_stat_key(sources)]).encode()).hexdigest()
    path = folder / f"{kind}-{key[:24]}.pickle"
    try:
        with path.open("rb") as fh, collector.paused():
            return pickle.load(fh)  # noqa: S301 - our own file in the user's cache dir
    except _UNREADABLE:
        pass
    result = build()
    _store(folder, kind, path, result)
    return result


def _store(folder: Path, kind: str, path: Path, result: object) -> None:
    # A read-only or full disk must not cost the user the result itself.
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with temp.open("wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            temp.unlink()
        return
    with contextlib.suppress(OSError):
        for old in folder.glob(f"{kind}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
