"""Fetching every advisory source at once, within one time budget, with snapshot fallback.

Each source is downloaded in its own daemon thread with connect/read timeouts and a size cap
(streamed, stopped at the cap); the caller waits for ONE total budget (default 4 s), then
every source that has not answered in time, failed, or sent something `parse` rejects (an
HTML error page with status 200, a truncated body) is answered from the bundled snapshot.
At the deadline each download's connection is cut (transport.py), so no thread or socket
outlives the budget, whatever the server does (a byte every 0.2 s, endless headers).
Redirects are followed only within the same host: a captive portal or hijacked name that
sends us elsewhere gets the snapshot, not a page from a host we never asked.
Good payloads are kept on disk (payload_cache.py) under the user cache dir or
$DEPARTURE_PLANNER_CACHE; a payload is cached only after it parsed, so an error page never
poisons the cache, and a corrupt, locked or read-only cache is bypassed, never waited on.
Proxies come from the environment (requests' trust_env).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import queue
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from planner import precomputed
from planner.advisories import SOURCES, history, payload_cache, snapshot
from planner.advisories.countries import is_iso, name_for_code
from planner.advisories.report import AdvisoryReport, SourceStatus
from planner.errors import FeedError, FetchError, InputError, PlannerError
from planner.models import Advisory

if TYPE_CHECKING:
    # requests takes ~0.2 s to import; an offline plan never needs it.
    import requests

USER_AGENT = "DeparturePlanner/0.1 (travel-advisory reader; python-requests)"
CACHE_ENV = "DEPARTURE_PLANNER_CACHE"
# Rewrites scheme and host of every feed URL, e.g. http://127.0.0.1:8000 for tests/mirrors.
FEED_BASE_ENV = "DEPARTURE_PLANNER_FEED_BASE"
DEFAULT_BUDGET = 4.0
MAX_BUDGET = 60.0  # no feed needs more; a longer wait only hides a dead network
CONNECT_TIMEOUT = 3.0
MAX_REDIRECTS = 3
MAX_BYTES = 8 * 1024 * 1024  # the largest real payload (US RSS) is about 0.8 MB
CACHE_TTL = dt.timedelta(minutes=30)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class _Live:
    advisories: list[Advisory]
    fetched: dt.datetime


def cache_dir() -> Path:
    """$DEPARTURE_PLANNER_CACHE, else $XDG_CACHE_HOME or ~/.cache, + departure-planner/http."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "departure-planner" / "http"


def source_url(
    source_id: str, country: str | None = None, urls: Mapping[str, str] | None = None
) -> str | None:
    """The URL to ask `source_id` for `country`; None when the source has no page for it."""
    module = SOURCES[source_id]
    if urls and source_id in urls:
        url = urls[source_id]
        if "{slug}" in url:
            slug = module.slug(country) if country else ""
            url = url.format(slug=slug) if slug else ""
    elif hasattr(module, "country_url"):
        url = module.country_url(country) if country and module.slug(country) else ""
    else:
        url = module.URL
    if not url:
        return None
    base = os.environ.get(FEED_BASE_ENV)
    if base:
        new, old = urlsplit(base), urlsplit(url)
        url = urlunsplit((new.scheme, new.netloc, old.path, old.query, ""))
    return url


def download(
    url: str,
    *,
    session: requests.Session | None = None,
    deadline: float | None = None,
    max_bytes: int = MAX_BYTES,
) -> bytes:
    """The body of a 200 answer, at most `max_bytes`, complete by `deadline` (monotonic).

    FetchError otherwise. Redirects are followed within the same host only, at most
    MAX_REDIRECTS times. The connection is cut at the deadline; a `session` you pass keeps
    its own connections, which only the read timeout and the checks between chunks bound.
    """
    import requests

    from planner.advisories import transport

    deadline = deadline if deadline is not None else time.monotonic() + 30.0
    if deadline - time.monotonic() <= 0:
        raise FetchError("no time left in the budget")
    with transport.cut_at(deadline) as cut:
        own = session is None
        session = session or transport.session(USER_AGENT)
        try:
            return _follow(session, url, deadline, max_bytes)
        except (requests.RequestException, FetchError) as exc:
            if cut.fired:
                raise FetchError("answer not complete within the time budget") from None
            if isinstance(exc, FetchError):
                raise
            raise FetchError(_failure(url, exc)) from None
        finally:
            if own:
                session.close()


def _follow(session: requests.Session, url: str, deadline: float, max_bytes: int) -> bytes:
    for _ in range(MAX_REDIRECTS + 1):
        remaining = max(deadline - time.monotonic(), 0.001)
        with session.get(
            url,
            headers={"User-Agent": USER_AGENT},
            timeout=(min(CONNECT_TIMEOUT, remaining), remaining),
            stream=True,
            allow_redirects=False,
        ) as response:
            if response.is_redirect:
                url = _redirect_target(url, response.headers["Location"])
                continue
            if response.status_code != 200:
                raise FetchError(f"HTTP {response.status_code} from {_host(url)}")
            return _body(response, deadline, max_bytes)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {_host(url)}")


def _body(response: requests.Response, deadline: float, max_bytes: int) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"answer of {length} bytes is over the {max_bytes}-byte cap")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"answer is over the {max_bytes}-byte cap")
        if time.monotonic() > deadline:
            raise FetchError("answer not complete within the time budget")
        chunks.append(chunk)
    if time.monotonic() > deadline:  # the cut ends a body without a length like an EOF
        raise FetchError("answer not complete within the time budget")
    return b"".join(chunks)


def _redirect_target(url: str, location: str) -> str:
    """Where a redirect leads, if it stays on the same host (an upgrade to https is fine);
    FetchError otherwise: a feed moved elsewhere, or a portal, is not what we asked for."""
    target = urljoin(url, location)
    old, new = urlsplit(url), urlsplit(target)
    same = (old.hostname, old.scheme, old.port) == (new.hostname, new.scheme, new.port)
    upgrade = (old.scheme, new.scheme) == ("http", "https") and new.port in (None, 443)
    if old.hostname is None or old.hostname != new.hostname or not (same or upgrade):
        raise FetchError(f"{_host(url)} redirected to another host ({_host(target)}); not followed")
    return target


def check_budget(budget: float) -> float:
    """`budget` in seconds if usable: InputError unless finite and > 0; at most MAX_BUDGET."""
    if not (math.isfinite(budget) and budget > 0):
        raise InputError(
            f"the time budget must be a finite number of seconds above 0, not {budget}"
        )
    return min(budget, MAX_BUDGET)


def get_advisories(
    country: str,
    *,
    offline: bool = False,
    budget: float = DEFAULT_BUDGET,
    session: requests.Session | None = None,
    urls: Mapping[str, str] | None = None,
    use_cache: bool = True,
    on: dt.date | None = None,
) -> AdvisoryReport:
    """Every source's advice for `country` (ISO alpha-2): live where possible, else snapshot.

    `offline=True` opens no connection. `urls` overrides feed URLs per source id
    (uk_fcdo takes a template with {slug}). The call returns within about `budget` seconds
    (see check_budget), and its threads and sockets end within milliseconds after that.
    `on`: judge the report for that plan date (AdvisoryReport.for_date): per source the newest
    advice known on it, in force or not, and newer advice labelled as after it. The report
    carries every dated piece of evidence for the country, so it can be judged later too.
    """
    country = country.strip().upper()
    if not is_iso(country):
        raise InputError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
    live: dict[str, _Live | str] = {}
    if not offline:
        live = _fetch_all(country, check_budget(budget), session, urls, use_cache)
    advisories: list[Advisory] = []
    statuses: list[SourceStatus] = []
    for source_id, module in SOURCES.items():
        outcome = live.get(source_id, "offline" if offline else "not tried")
        if isinstance(outcome, _Live):
            found = _pick(outcome.advisories, country)
            statuses.append(
                SourceStatus(
                    id=source_id,
                    name=module.NAME,
                    origin="live",
                    note="" if found else f"no entry for {country} in the feed",
                )
            )
            if found:
                advisories.append(
                    found.model_copy(update={"origin": "live", "fetched": outcome.fetched})
                )
            continue
        error = None if offline else outcome
        found, status = _from_snapshot(source_id, module, country, error)
        statuses.append(status)
        if found:
            advisories.append(found)
    report = AdvisoryReport(
        country=country,
        advisories=tuple(advisories),
        sources=tuple(statuses),
        evidence=history.evidence(country),
    )
    return report.for_date(on) if on is not None else report


def _fetch_all(
    country: str,
    budget: float,
    session: requests.Session | None,
    urls: Mapping[str, str] | None,
    use_cache: bool,
) -> dict[str, _Live | str]:
    """Per source: a _Live result or the reason it failed. Never waits beyond `budget`."""
    deadline = time.monotonic() + budget
    answers: queue.Queue[tuple[str, _Live | str]] = queue.Queue()
    outcomes: dict[str, _Live | str] = {}
    pending: set[str] = set()
    for source_id in SOURCES:
        url = source_url(source_id, country, urls)
        if url is None:
            outcomes[source_id] = f"no page for {country} at this source"
            continue
        pending.add(source_id)
        worker = threading.Thread(
            target=_worker,
            args=(answers, source_id, url, session, deadline, use_cache),
            name=f"advisory-{source_id}",
            daemon=True,  # a hung DNS lookup must not keep the program alive
        )
        worker.start()
    while pending:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            source_id, outcome = answers.get(timeout=remaining)
        except queue.Empty:
            break
        outcomes[source_id] = outcome
        pending.discard(source_id)
    for source_id in pending:
        outcomes[source_id] = f"no answer within the {budget:g} s budget"
    return outcomes


def _worker(
    answers: queue.Queue[tuple[str, _Live | str]],
    source_id: str,
    url: str,
    session: requests.Session | None,
    deadline: float,
    use_cache: bool,
) -> None:
    outcome: _Live | str = "internal error (a bug: see the traceback)"
    try:
        outcome = _fetch_one(source_id, url, session, deadline, use_cache)
    except PlannerError as exc:
        outcome = str(exc)
    finally:
        # Answer even if a bug raised something else, so the caller need not wait it out.
        answers.put((source_id, outcome))


def _fetch_one(
    source_id: str,
    url: str,
    session: requests.Session | None,
    deadline: float,
    use_cache: bool,
) -> _Live:
    # The cache is opened here, in the worker, so not even a hung disk holds up the caller.
    module = SOURCES[source_id]
    cache = payload_cache.open_cache(cache_dir()) if use_cache else None
    if cache is not None:
        now = dt.datetime.now(dt.UTC)
        entry = cache.get(url, max_bytes=MAX_BYTES, ttl=CACHE_TTL, now=now)
        if entry is not None:
            try:
                return _Live(module.parse(entry.payload), entry.fetched)
            except FeedError:
                cache.discard(url)  # intact, but this parser refuses it: set it aside
    payload = download(url, session=session, deadline=deadline)
    fetched = dt.datetime.now(dt.UTC)
    advisories = module.parse(payload)  # FeedError: caller falls back to the snapshot
    if cache is not None:
        cache.put(url, payload, fetched)
    return _Live(advisories, fetched)


def _from_snapshot(
    source_id: str, module: ModuleType, country: str, error: str | None
) -> tuple[Advisory | None, SourceStatus]:
    per_country = hasattr(module, "country_url")
    entry = snapshot.newest(source_id, country if per_country else None)
    if entry is None:
        note = f"no snapshot for this country ({country}, {name_for_code(country)})"
        return None, SourceStatus(
            id=source_id, name=module.NAME, origin="none", error=error, note=note
        )
    try:
        parsed = _parse_snapshot(source_id, str(snapshot.path_of(source_id, entry)))
    except FeedError as exc:
        return None, SourceStatus(
            id=source_id,
            name=module.NAME,
            origin="none",
            error=error,
            note=f"snapshot unreadable: {exc}",
        )
    found = _pick(parsed, country)
    captured = dt.datetime.combine(entry.captured, dt.time(), dt.UTC)
    status = SourceStatus(
        id=source_id,
        name=module.NAME,
        origin="snapshot",
        snapshot_date=entry.captured,
        error=error,
        note="" if found else f"no entry for {country} in the snapshot",
    )
    if found is None:
        return None, status
    return found.model_copy(update={"origin": "snapshot", "fetched": captured}), status


@functools.lru_cache(maxsize=16)
def _parse_cached(source_id: str, path: str, mtime_ns: int) -> tuple[Advisory, ...]:
    # The payload stays the source of truth; its parse (a second for the US feed) is kept
    # on disk keyed by the file's size and mtime, so only the first start pays it.
    file = Path(path)
    return precomputed.load(
        f"snapshot-{source_id}", [file], lambda: tuple(SOURCES[source_id].parse(file.read_bytes()))
    )


def _parse_snapshot(source_id: str, path: str) -> tuple[Advisory, ...]:
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        raise FeedError(f"{source_id}: snapshot file {path} is missing") from None
    return _parse_cached(source_id, path, mtime)


def _pick(advisories: list[Advisory] | tuple[Advisory, ...], country: str) -> Advisory | None:
    """The item for `country`; several (US: Bonaire, Saba, ... all BQ) -> the most severe."""
    matches = [a for a in advisories if a.country == country]
    if not matches:
        return None
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return max(matches, key=lambda a: (a.level or 0, a.updated or oldest))


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _failure(url: str, exc: requests.RequestException) -> str:
    import requests

    if isinstance(exc, requests.Timeout):
        return f"timed out waiting for {_host(url)}"
    reason = _reason(exc)
    if reason in _CONNECT_REASONS:
        return f"cannot connect to {_host(url)} ({reason})"
    return f"no usable answer from {_host(url)} ({reason})"


_CONNECT_REASONS = {"DNS lookup failed", "connection refused", "network unreachable", "timed out"}
_REASONS = (
    (
        r"Name or service not known|nodename nor servname|getaddrinfo|NameResolution",
        "DNS lookup failed",
    ),
    (r"Connection refused", "connection refused"),
    (r"Network is unreachable", "network unreachable"),
    (r"timed out", "timed out"),
    (r"RemoteDisconnected|without response", "closed the connection without an answer"),
    (r"BadStatusLine", "not an HTTP answer"),
    (r"reset by peer", "connection reset"),
    (r"IncompleteRead|Connection broken", "answer cut short"),
)


def _reason(exc: Exception) -> str:
    text = str(exc)
    for pattern, reason in _REASONS:
        if re.search(pattern, text):
            return reason
    return type(exc).__name__
