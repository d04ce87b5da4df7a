"""What every adapter needs to read a payload it cannot trust, each failure as one FeedError.

Decoding: XML goes through defusedxml only (entity expansion, external entities and DTDs are
refused) into a tree of bounded depth and size; JSON must be standard JSON (no NaN or
Infinity). Values: `plausible` and `epoch_time` keep dates inside 1970..2100, `web_url` keeps
links to http(s) pages, `brief` keeps feed values in error messages short.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from planner.errors import FeedError
from planner.models import is_safe_url

# RSS is four levels deep (rss/channel/item/title); the US feed has about 2,100 elements.
# Beyond these a payload is not a feed, and refusing it early keeps memory bounded (an
# element costs ~100x its bytes in "<a/>" form).
MAX_XML_DEPTH = 32
MAX_XML_ELEMENTS = 20_000
# Real JSON payloads open an object or array every 200 bytes or more; json.loads spends ~70
# bytes on each, so "[{},{},...]" would cost 25x its size. Denser than this is not a feed.
_BYTES_PER_CONTAINER = 32
# Dates outside this window are glitches, not news: no feed predates the Unix epoch that its
# timestamps count from (the real US feed does say 1970 for Oman), and none is dated 2100.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
_EARLIEST_S = EARLIEST.timestamp()
_LATEST_S = LATEST.timestamp()
# urlsplit lowercases the host and drops an IPv6 address's brackets.
_HOST = re.compile(r"^(?=.*[a-z0-9])[a-z0-9.-]+$|^[0-9a-f:.]+$")


def _describe(payload: bytes) -> str:
    head = payload.lstrip()[:200].lower()
    if not head:
        return "empty payload"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page, not a feed (an error or login page?)"
    return ""


def _check(source: str, payload: bytes) -> None:
    """FeedError naming `source` for a payload no parser should see: not bytes, empty, HTML."""
    if not isinstance(payload, bytes | bytearray):
        raise FeedError(f"{source}: payload must be bytes, got {type(payload).__name__}")
    problem = _describe(payload)
    if problem:
        raise FeedError(f"{source}: {problem}")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is not a finite number")
    return value


def load_json(source: str, payload: bytes) -> Any:
    """`payload` parsed as JSON; FeedError naming `source` if it is empty, HTML or broken.

    NaN, Infinity and numbers too large for a float (1e999) are refused: RFC 8259 has no
    such values, and a parser comparing dates or levels with them would go wrong silently.
    So is a payload packed with objects and arrays, to keep memory near a few times its size.
    """
    _check(source, payload)
    if payload.count(b"{") + payload.count(b"[") > 64 + len(payload) // _BYTES_PER_CONTAINER:
        raise FeedError(f"{source}: not a feed: far more JSON objects and arrays than any feed")
    try:
        return json.loads(payload, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"{source}: not valid JSON ({_cut(str(exc))})") from None


class _BoundedTreeBuilder(TreeBuilder):
    """A TreeBuilder that stops a payload nested or sized beyond any feed."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self._source = source
        self._depth = 0
        self._count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        self._count += 1
        if self._depth > MAX_XML_DEPTH:
            raise FeedError(f"{self._source}: XML nested deeper than {MAX_XML_DEPTH} levels")
        if self._count > MAX_XML_ELEMENTS:
            raise FeedError(f"{self._source}: more than {MAX_XML_ELEMENTS} XML elements")
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return super().end(tag)


def load_xml(source: str, payload: bytes) -> Element:
    """`payload` parsed as XML with defusedxml; FeedError if empty, HTML, broken or hostile."""
    _check(source, payload)
    parser = SafeET.DefusedXMLParser(target=_BoundedTreeBuilder(source), forbid_dtd=True)
    try:
        parser.feed(payload)
        return parser.close()
    except DefusedXmlException as exc:
        raise FeedError(f"{source}: refused unsafe XML ({type(exc).__name__})") from None
    # LookupError: an encoding declaration Python has no text codec for ("x-foo", "hex").
    except (SafeET.ParseError, ValueError, LookupError) as exc:
        raise FeedError(f"{source}: not valid XML ({_cut(str(exc))})") from None


def require(source: str, condition: bool, what: str) -> None:
    """Raise FeedError('source: what') unless `condition`: a payload of the wrong shape."""
    if not condition:
        raise FeedError(f"{source}: unexpected payload: {what}")


def brief(value: Any) -> str:
    """`value` quoted for an error message, cut short: a feed value may be megabytes long."""
    return _cut(repr(value), 60)


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def plausible(value: dt.datetime) -> dt.datetime | None:
    """`value` (naive read as UTC) inside EARLIEST..LATEST, else None: that date is unknown.

    A readable but impossible date is a glitch in one entry, so it does not fail the whole
    feed (an unreadable one does: that means the format changed).
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value if EARLIEST <= value < LATEST else None


def epoch_time(value: int | float, *, per_second: int = 1) -> dt.datetime | None:
    """UTC time from epoch seconds (or `per_second` parts of one), None when implausible."""
    try:
        seconds = float(value) / per_second
    except OverflowError:  # an int beyond any float
        return None
    if not _EARLIEST_S <= seconds < _LATEST_S:  # also false for NaN
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def web_url(value: Any) -> str | None:
    """`value` if it is a link a reader may open, else None: http(s), an ASCII host, no
    credentials, no spaces or control characters. Feed links are untrusted ("javascript:",
    "https://www.gov.uk@evil.example")."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not is_safe_url(url):  # the planner's one rule for links (planner/models.py)
        return None
    host = urlsplit(url).hostname
    return url if host and _HOST.match(host) else None
