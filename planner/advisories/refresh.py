"""Re-downloading the bundled snapshot (`python -m planner advisories refresh`).

Only payloads that parse are written, each to a temp name and then renamed, so a failed or
partial refresh leaves every other snapshot file as it was.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from planner.advisories import SOURCES, snapshot
from planner.advisories.fetch import FetchError, download, source_url
from planner.errors import PlannerError

if TYPE_CHECKING:
    import requests


def refresh(
    *,
    session: requests.Session | None = None,
    budget: float = 60.0,
    base: Path | None = None,
    today: dt.date | None = None,
    urls: Mapping[str, str] | None = None,
) -> list[Path]:
    """Download every source again into the snapshot; only payloads that parse are written.

    Files are written to a temp name and renamed, so a failure leaves the snapshot as it
    was. Raises FetchError naming every source that failed (after writing the others).
    """
    today = today or dt.date.today()
    deadline = time.monotonic() + budget
    written: list[Path] = []
    failures: list[str] = []
    for source_id, module in SOURCES.items():
        entries = [f for f in snapshot.manifest(source_id, base).files if f.role == "feed"]
        newest_per_country: dict[str | None, snapshot.SnapshotFile] = {}
        for f in entries:
            if (
                f.country not in newest_per_country
                or f.captured >= newest_per_country[f.country].captured
            ):
                newest_per_country[f.country] = f
        for country, entry in newest_per_country.items():
            url = source_url(source_id, country, urls)
            if url is None:
                continue
            try:
                payload = download(url, session=session, deadline=deadline)
                module.parse(payload)
            except PlannerError as exc:
                message = str(exc)
                if not message.startswith(f"{source_id}:"):
                    message = f"{source_id}: {message}"
                failures.append(message)
                continue
            name = _dated_name(entry.file, today)
            official = module.country_url(country) if country else module.URL
            new = snapshot.SnapshotFile(file=name, captured=today, url=official, country=country)
            written.append(snapshot.add(source_id, new, payload, base))
    if failures:
        attempted = len(failures) + len(written)
        hint = " (no network?)" if not written else ""
        raise FetchError(
            f"could not refresh {len(failures)} of {attempted} snapshot payloads{hint}, "
            f"their snapshot is unchanged: " + "; ".join(failures)
        )
    return written


def _dated_name(name: str, day: dt.date) -> str:
    """'TAsTWs-2025-10-14.xml' -> 'TAsTWs-<day>.xml'; a name without a date gets one."""
    pattern = r"\d{4}-\d{2}-\d{2}(?=\.\w+$)"
    if re.search(pattern, name):
        return re.sub(pattern, day.isoformat(), name)
    stem, _, ext = name.rpartition(".")
    return f"{stem}-{day.isoformat()}.{ext}"
