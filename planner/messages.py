"""The one message catalog for user-facing text, plus date and number formatting.

Strings live in `data/messages/en.yaml` (flat dotted keys, `str.format` placeholders) so the
PDF and, later, the web app say the same thing in the same words. The file is found from the
package location and loaded once, lazily, under a lock.
"""

from __future__ import annotations

import datetime as dt
import threading

import yaml

from planner.errors import DataError
from planner.paths import DATA_DIR

MESSAGES_DIR = DATA_DIR / "messages"
LANGUAGE = "en"

_lock = threading.Lock()
_catalog: dict[str, str] | None = None


def _load() -> dict[str, str]:
    global _catalog
    if _catalog is not None:  # asked hundreds of times a page: no lock once loaded
        return _catalog
    with _lock:
        if _catalog is None:
            path = MESSAGES_DIR / f"{LANGUAGE}.yaml"
            try:
                # libyaml's safe loader when present: same result, a tenth of the time.
                loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
            except (OSError, yaml.YAMLError) as exc:
                raise DataError(f"{path}: cannot read the message catalog: {exc}") from None
            if not isinstance(raw, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
            ):
                raise DataError(f"{path}: the message catalog must map keys to strings")
            _catalog = raw
        return _catalog


def t(key: str, **kw: object) -> str:
    """The message `key`, with `{placeholders}` filled from `kw`.

    An unknown key is a bug, not user input, so it raises KeyError naming the key.
    """
    try:
        text = _load()[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in {LANGUAGE}.yaml") from None
    return text.format(**kw) if kw else text


def has(key: str) -> bool:
    """Whether the catalog has `key`: for labels with a fallback, e.g. unknown categories."""
    return key in _load()


def format_date(value: dt.date | dt.datetime | None) -> str:
    """`27 Sep 2022`: day-month-name reads the same to US and European readers."""
    if value is None:
        return t("date.unknown")
    if isinstance(value, dt.datetime):
        value = value.date()
    return t("date.format", day=value.day, month=t(f"month.{value.month}"), year=value.year)


def format_datetime(value: dt.datetime | None) -> str:
    """`27 Sep 2022, 14:05 UTC` (UTC when the time is aware; as given when naive)."""
    if value is None:
        return t("date.unknown")
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
        zone = " UTC"
    else:
        zone = ""
    return t("datetime.format", date=format_date(value), time=f"{value:%H:%M}", zone=zone)


def format_hours(hours: float | None) -> str:
    """A duration a reader can grasp: `40 min`, `2 h 30 min`, `26 h`, `3 days 8 h`."""
    if hours is None:
        return t("hours.unknown")
    minutes = round(hours * 60)
    if minutes < 60:
        return t("hours.minutes", m=max(minutes, 1) if hours > 0 else 0)
    if hours < 10:
        h, m = divmod(round(minutes / 10) * 10, 60)
        return t("hours.hours_minutes", h=h, m=m) if m else t("hours.hours", h=h)
    if hours < 48:
        return t("hours.hours", h=round(hours))
    days, h = divmod(round(hours), 24)
    return t("hours.days_hours", d=days, h=h) if h else t("hours.days", d=days)


def format_km(km: float | None) -> str:
    """`8.5 km` below 10 km, else whole kilometres with a thousands separator: `1,860 km`."""
    if km is None:
        return t("km.unknown")
    value = f"{km:.1f}" if km < 10 else f"{round(km):,}"
    return t("km.format", value=value)
