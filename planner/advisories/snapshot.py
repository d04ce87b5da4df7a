"""The bundled snapshot: recorded real payloads per source, the fallback when a feed fails.

Layout: data/advisories/snapshot/<source>/<files> + PROVENANCE.md + snapshot.yaml (file,
captured date, url, optional country for per-country sources, optional role: detail for
parser-only fixtures). Found from the package location, or $DEPARTURE_PLANNER_SNAPSHOT.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from planner.errors import DataError
from planner.paths import DATA_DIR

SNAPSHOT_ENV = "DEPARTURE_PLANNER_SNAPSHOT"
DEFAULT_ROOT = DATA_DIR / "advisories" / "snapshot"
MANIFEST = "snapshot.yaml"


class SnapshotFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    captured: dt.date
    url: str
    country: str | None = None  # for sources asked one country at a time (uk_fcdo)
    role: Literal["feed", "detail"] = "feed"


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    files: tuple[SnapshotFile, ...] = ()


_lock = threading.Lock()
# libyaml's safe loader when present: same safety and result, a fraction of the time.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def root() -> Path:
    """The snapshot directory: $DEPARTURE_PLANNER_SNAPSHOT if set, else the bundled one."""
    override = os.environ.get(SNAPSHOT_ENV)
    return Path(override) if override else DEFAULT_ROOT


def manifest(source: str, base: Path | None = None) -> Manifest:
    """The manifest of one source (empty if the source has no snapshot directory)."""
    path = (base or root()) / source / MANIFEST
    if not path.exists():
        return Manifest(source=source)
    with _lock:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(map(str, err["loc"]))
        raise DataError(f"{path}: {where}: {err['msg']}") from None


def newest(
    source: str, country: str | None = None, base: Path | None = None
) -> SnapshotFile | None:
    """The newest feed file of `source` (for per-country sources: of `country`), or None."""
    files = [
        f
        for f in manifest(source, base).files
        if f.role == "feed" and (f.country is None or f.country == country)
    ]
    return max(files, key=lambda f: (f.captured, f.file), default=None)


def path_of(source: str, entry: SnapshotFile, base: Path | None = None) -> Path:
    return (base or root()) / source / entry.file


def read(source: str, entry: SnapshotFile, base: Path | None = None) -> bytes:
    """The bytes of one snapshot file; DataError if the manifest names a missing file."""
    path = path_of(source, entry, base)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read snapshot file ({exc.strerror})") from None


def add(source: str, entry: SnapshotFile, payload: bytes, base: Path | None = None) -> Path:
    """Write `payload` and its manifest entry atomically (temp file, then rename)."""
    directory = (base or root()) / source
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / entry.file
    _atomic_write(target, payload)
    current = manifest(source, base)
    files = [f for f in current.files if f.file != entry.file] + [entry]
    data = {
        "source": source,
        "files": [f.model_dump(mode="json", exclude_defaults=True) for f in files],
    }
    text = "# Recorded payloads of this source; see PROVENANCE.md. Newest feed file = fallback.\n"
    text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    _atomic_write(directory / MANIFEST, text.encode("utf-8"))
    return target


def _atomic_write(target: Path, data: bytes) -> None:
    temp = target.with_name(f".{target.name}.tmp")
    with _lock:
        temp.write_bytes(data)
        os.replace(temp, target)
