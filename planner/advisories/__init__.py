"""Official travel advisories: one adapter module per government feed, and the registry.

`SOURCES` maps each source id to its module; app, CLI and tests all iterate it. Each module has
`SOURCE`, `NAME`, `URL` and a pure `parse(payload: bytes) -> list[Advisory]`. Fetching,
timeouts, cache and the snapshot fallback live in `fetch.py`.
"""

from __future__ import annotations

from types import ModuleType

from planner.advisories import australia, canada, germany, uk_fcdo, us_state_rss

SOURCES: dict[str, ModuleType] = {
    "us_state_rss": us_state_rss,
    "uk_fcdo": uk_fcdo,
    "canada": canada,
    "germany": germany,
    "australia": australia,
}


def source(source_id: str) -> ModuleType:
    """The adapter module for `source_id`; LookupError naming the valid ids otherwise."""
    try:
        return SOURCES[source_id]
    except KeyError:
        valid = ", ".join(SOURCES)
        raise LookupError(f"unknown advisory source {source_id!r}; valid: {valid}") from None


__all__ = ["SOURCES", "source"]


def government(source_id: str) -> str:
    """The government a source speaks for, e.g. "United States" for us_state_rss."""
    module = SOURCES.get(source_id)
    return module.NAME.split(" (")[0] if module else source_id
