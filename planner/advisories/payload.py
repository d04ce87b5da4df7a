"""Decoding raw feed bytes into JSON or XML, turning every failure into one FeedError.

XML goes through defusedxml only, so entity expansion and external entities are refused.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from planner.errors import FeedError


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


def load_json(source: str, payload: bytes) -> Any:
    """`payload` parsed as JSON; FeedError naming `source` if it is empty, HTML or broken."""
    _check(source, payload)
    try:
        return json.loads(payload)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"{source}: not valid JSON ({exc})") from None


def load_xml(source: str, payload: bytes) -> Element:
    """`payload` parsed as XML with defusedxml; FeedError if empty, HTML, broken or hostile."""
    _check(source, payload)
    try:
        return SafeET.fromstring(payload, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedError(f"{source}: refused unsafe XML ({type(exc).__name__})") from None
    except (SafeET.ParseError, ValueError) as exc:
        raise FeedError(f"{source}: not valid XML ({exc})") from None


def require(source: str, condition: bool, what: str) -> None:
    """Raise FeedError('source: what') unless `condition`: a payload of the wrong shape."""
    if not condition:
        raise FeedError(f"{source}: unexpected payload: {what}")
