"""The on-disk cache of feed payloads that parsed: one checked file per URL, no lock, no index.

It replaces requests-cache's FileCache, whose redirect index is an SQLite file opened at every
start: a corrupt index crashed every online plan, and a locked or read-only one hung it for
good (requests-cache retries `BEGIN IMMEDIATE` forever). Here:

- An entry is `<sha256 of the URL>.payload`: one JSON header line (format, url, fetched, size,
  sha256 of the body), then the body as downloaded.
- A write goes to a temp file in the same folder, then `os.replace`: a reader sees the old
  entry or the new one, never half of one, so processes sharing the cache need no lock.
- A read opens with O_NONBLOCK | O_NOFOLLOW, uses only a regular file and reads at most the
  size cap + one header: a FIFO, device, folder or symlink where an entry should be is
  skipped, never waited on.
- An entry whose header or checksum is wrong is corrupt: it is renamed to `<name>.corrupt`
  (kept for a look, replacing an older one) and the source is downloaded again.

"Locked", on Linux: file locks are advisory and this store takes none, so a lock another
process holds never makes it wait. Permission bits do not stop root (the tests run as root),
so a cache it cannot use is one whose path is not a folder, whose entry is not a regular
file, or whose file system refuses writes (EROFS, ENOSPC, EACCES): it is bypassed, reads work
where they can, and a failed write only costs the next run a download.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

FORMAT = 1
SUFFIX = ".payload"
_HEADER_MAX = 4096  # the header line holds the URL, a date and a hash
_CLOCK_SKEW = dt.timedelta(minutes=5)  # an entry "from the future" means the clock moved back


class CorruptEntry(Exception):
    """An entry whose header or body does not check out (internal: never leaves this module)."""


@dataclass(frozen=True)
class Entry:
    payload: bytes
    fetched: dt.datetime


@dataclass(frozen=True)
class DiskCache:
    """Payloads keyed by URL in `folder`; `open_cache` makes one only for a usable folder."""

    folder: Path

    def path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest()[:32] + SUFFIX)

    def get(self, url: str, *, max_bytes: int, ttl: dt.timedelta, now: dt.datetime) -> Entry | None:
        """The entry for `url` if fresh and intact; None if missing, stale or unusable.

        A corrupt entry is moved aside first, so the next run starts clean.
        """
        path = self.path(url)
        try:
            raw = _read_regular(path, max_bytes + _HEADER_MAX)
        except OSError:  # missing, a symlink, unreadable: a miss, left as it is
            return None
        if raw is None:  # not a regular file: skipped; the next put replaces it
            return None
        try:
            entry = _decode(raw, url, max_bytes)
        except CorruptEntry:
            self.discard(url)
            return None
        if not now - ttl <= entry.fetched <= now + _CLOCK_SKEW:
            return None
        return entry

    def put(self, url: str, payload: bytes, fetched: dt.datetime) -> None:
        """Store `payload` for `url`; a read-only or full disk only loses the entry."""
        header = {
            "format": FORMAT,
            "url": url,
            "fetched": fetched.isoformat(),
            "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        data = json.dumps(header).encode() + b"\n" + payload
        path = self.path(url)
        try:
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{path.name}.", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)

    def discard(self, url: str) -> None:
        """Move the entry for `url` aside (renamed to *.corrupt, not deleted)."""
        path = self.path(url)
        with contextlib.suppress(OSError):
            os.replace(path, path.with_name(path.name + ".corrupt"))


def open_cache(folder: Path) -> DiskCache | None:
    """A cache in `folder`, created if missing; None if it cannot be a folder (a file is in
    the way, its parent is a file, the file system is read-only and it does not exist)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return DiskCache(folder) if folder.is_dir() else None


def _read_regular(path: Path, limit: int) -> bytes | None:
    """At most `limit` + 1 bytes of `path` if it is a regular file, else None; never blocks
    on a FIFO (opened non-blocking, then refused) and never follows a symlink."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _decode(raw: bytes, url: str, max_bytes: int) -> Entry:
    line, newline, payload = raw.partition(b"\n")
    if not newline or len(line) > _HEADER_MAX or len(payload) > max_bytes:
        raise CorruptEntry("no header line, or too large")
    try:
        header = json.loads(line)
        fetched = dt.datetime.fromisoformat(header["fetched"])
        expected = (FORMAT, url, len(payload), hashlib.sha256(payload).hexdigest())
        found = (header["format"], header["url"], header["size"], header["sha256"])
    except (ValueError, TypeError, KeyError) as exc:
        raise CorruptEntry(f"bad header: {exc}") from None
    if found != expected or fetched.tzinfo is None:
        raise CorruptEntry("header does not match the body")
    return Entry(payload=payload, fetched=fetched)
