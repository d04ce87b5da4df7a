"""Fuzzing every advisory parser with mutated real payloads (issue 13, part 6).

The contract: `parse(payload)` of each module in `SOURCES` returns a list of clean Advisories or
raises one FeedError with a short one-line message; never another exception, within
`SECONDS` per payload and `PEAK_FACTOR` x the input + `PEAK_SLACK` bytes of memory. Clean: an
http(s) URL with a host and no whitespace or control characters; label, summary and notes as
one line of plain text (no tags, no control characters, valid UTF-8); `updated` aware and
inside the plausible window of payload.py (1970..2100).

Random mutations come from hypothesis: structured ones that change the parsed JSON or XML
tree of a real payload (a type swapped at any path, a key renamed or dropped, nasty values),
and byte-level ones (truncation, flips, inserted garbage, BOMs). The named tricks (deep
nesting, huge fields, entity attacks, NaN, invalid UTF-8) are explicit cases. The "ci" profile
keeps this file near 30 s; HYPOTHESIS_PROFILE=deep multiplies every example count by 50.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest
import yaml
from defusedxml import ElementTree as SafeET
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.advisories import SOURCES
from planner.advisories.countries import is_iso
from planner.advisories.snapshot import DEFAULT_ROOT
from planner.advisories.text import plain_text
from planner.errors import FeedError
from planner.models import Advisory

SECONDS = 2.0
PEAK_FACTOR = 20
PEAK_SLACK = 8 * 1024 * 1024
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
MB5 = 5 * 1024 * 1024


def examples(ci: int) -> int:
    """`ci` examples under the "ci" profile, scaled with the profile (x50 under "deep")."""
    return max(1, ci * settings().max_examples // 100)


def _manifest_files() -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {}
    for source_id in SOURCES:
        manifest = yaml.safe_load((DEFAULT_ROOT / source_id / "snapshot.yaml").read_text())
        files[source_id] = [DEFAULT_ROOT / source_id / f["file"] for f in manifest["files"]]
    return files


FILES = _manifest_files()
ALL_FILES = [(sid, path) for sid, paths in FILES.items() for path in paths]
ALL_IDS = [path.name for _, path in ALL_FILES]
# The payload each structured test starts from: the newest of each source, Russia in it if any.
BASE = {
    "us_state_rss": "TAsTWs-2025-10-14.xml",
    "uk_fcdo": "nepal-2026-07-11.json",
    "canada": "index-alpha-eng-2026-07-11.json",
    "germany": "travelwarning-2026-07-11.json",
    "australia": "destinations-export-2026-04-10.json",
}
JSON_SOURCES = ["uk_fcdo", "canada", "germany", "australia"]


def _real(source_id: str) -> bytes:
    return (DEFAULT_ROOT / source_id / BASE[source_id]).read_bytes()


# ----------------------------------------------------------------- the contract

_TAG = re.compile(r"<[A-Za-z/!?]")
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _url_problem(url: str) -> str | None:
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in url):
        return "whitespace or control character in url"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "unparseable url"
    if parts.scheme not in ("http", "https") or not host:
        return "url is not http(s) with a host"
    return None


def _text_problem(text: str) -> str | None:
    if _TAG.search(text):
        return "tag left in text"
    if any(unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI for c in text):
        return "control character in text"
    if text != " ".join(text.split()):
        return "text is not one line of single spaces"
    return None


def _problems(advisory: Advisory, source_id: str) -> Iterator[str]:
    if advisory.source != source_id:
        yield "wrong source"
    if not is_iso(advisory.country):
        yield "country is not an ISO code"
    if problem := _url_problem(advisory.url):
        yield problem
    texts = (advisory.label, advisory.summary, *advisory.regional_notes)
    for text in texts:
        if problem := _text_problem(text):
            yield problem
    if not advisory.label or len(advisory.label) > 201 or len(advisory.summary) > 1501:
        yield "label or summary empty or too long"
    if len(advisory.regional_notes) > 10 or any(len(n) > 1501 for n in advisory.regional_notes):
        yield "too many or too long regional notes"
    updated = advisory.updated
    if updated is not None and (updated.tzinfo is None or not EARLIEST <= updated < LATEST):
        yield f"implausible date {updated!r}"


def check(source_id: str, payload: bytes) -> list[Advisory] | FeedError:
    """Parse `payload` and assert the contract; the advisories or the FeedError raised."""
    start = time.process_time()  # CPU time: a busy machine must not fail the test
    try:
        advisories = SOURCES[source_id].parse(payload)
    except FeedError as exc:
        seconds = time.process_time() - start
        assert seconds < SECONDS, f"{seconds:.2f} s to refuse {len(payload)} bytes"
        message = str(exc)
        assert message.startswith(f"{source_id}: "), message[:300]
        assert len(message) <= 300 and "\n" not in message, message[:300]
        return exc
    seconds = time.process_time() - start
    assert seconds < SECONDS, f"{seconds:.2f} s to parse {len(payload)} bytes"
    assert isinstance(advisories, list)
    assert all(isinstance(a, Advisory) for a in advisories)
    offenders = [(a.country, p) for a in advisories for p in _problems(a, source_id)]
    assert offenders == []
    return advisories


def peak_bytes(source_id: str, payload: bytes) -> int:
    """Peak memory (tracemalloc) of one parse; measured apart from time, tracing is slow."""
    tracemalloc.start()
    try:
        SOURCES[source_id].parse(payload)
    except FeedError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def check_bounded(source_id: str, payload: bytes) -> list[Advisory] | FeedError:
    outcome = check(source_id, payload)
    peak = peak_bytes(source_id, payload)
    assert peak < PEAK_FACTOR * len(payload) + PEAK_SLACK, f"peak {peak} for {len(payload)} B"
    return outcome


def test_every_real_payload_meets_the_contract_in_bounded_memory():
    """The baseline the mutations start from: every snapshot file parses clean."""
    for source_id, path in ALL_FILES:
        outcome = check_bounded(source_id, path.read_bytes())
        assert isinstance(outcome, list) and outcome, path.name


# ----------------------------------------------------------------- small real samples

_ITEM = re.compile(rb"<item>.*?</item>", re.DOTALL)


def _us_sample(payload: bytes) -> bytes:
    """The real feed's bytes with its first four items and Russia's: one example stays fast."""
    items = list(_ITEM.finditer(payload))
    keep = [m for i, m in enumerate(items) if i < 4 or b"<title>Russia" in m.group()]
    head, tail = payload[: items[0].start()], payload[items[-1].end() :]
    return head + b"\n".join(m.group() for m in keep) + tail


def _json_sample(source_id: str, doc: Any) -> Any:
    """A few real entries (Russia's where present): entries are parsed one by one, so a
    mutation among five tells as much as among two hundred."""
    if source_id == "australia":
        return doc[:4] + [e for e in doc if e.get("title") == "Russia"]
    if source_id == "canada":
        doc["data"] = {k: v for i, (k, v) in enumerate(doc["data"].items()) if i < 4 or k == "RU"}
    if source_id == "germany":
        entries = [k for k, v in doc["response"].items() if isinstance(v, dict)]
        keep = set(entries[:4]) | {k for k in entries if doc["response"][k]["countryCode"] == "RU"}
        doc["response"] = {
            k: v for k, v in doc["response"].items() if not isinstance(v, dict) or k in keep
        }
    return doc


SAMPLE_BYTES = {
    sid: _us_sample(_real(sid))
    if sid == "us_state_rss"
    else json.dumps(_json_sample(sid, json.loads(_real(sid)))).encode()
    for sid in SOURCES
}
SAMPLE_TREES = {sid: json.loads(SAMPLE_BYTES[sid]) for sid in JSON_SOURCES}


def test_samples_are_real_and_parse():
    for source_id, payload in SAMPLE_BYTES.items():
        advisories = check(source_id, payload)
        assert isinstance(advisories, list) and len(advisories) >= 1, source_id


# ----------------------------------------------------------------- nasty values

NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "\x1b[2J",
    "\u202eevil",
    "\ud800",
    "x" * 100_000,
    "<script>alert(1)</script>",
    "&lt;b&gt;bold&lt;/b&gt;",
    "<b onclick='steal()'",
    "<<b>b>",
    "<!--" * 5_000,
    "javascript:alert(1)",
    "https://evil.example/a b",
    "https://user@evil.example/",
    "http://",
    "RU",
    "ZZ",
    "XK",
    "PT-20",
    "Russia",
    "No travel advice",
    "Do not travel",
    "Level 4: Do Not Travel",
    "avoid_all_travel_to_whole_country",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "2026-06-23T12:51:12.7772197-04:00",
    "Fri, 9999-12-31 23:59",
    "Mon, 0001-01-01 00:00",
]
NASTY_NUMBERS = [0, -1, 2**31, 2**63, 10**30, -(10**30), 10**4000, 253402300800, 1782830854000]
NASTY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(NASTY_NUMBERS),
    st.floats(),  # NaN and Infinity too: json.dumps writes them, parsers must refuse them
    st.text(max_size=30),
    st.sampled_from(NASTY_STRINGS),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.sampled_from([[], {}, [[]], {"": {}}, [None]]),
)
NASTY_KEYS = st.one_of(st.text(max_size=8), st.sampled_from(["RU", "ZZ", "a b", "../x?y#z", "\n"]))

# ----------------------------------------------------------------- JSON tree mutations


def _paths(node: Any, prefix: tuple = (), fanout: int = 6) -> Iterator[tuple]:
    yield prefix
    if isinstance(node, dict):
        for key in list(node)[:fanout]:
            yield from _paths(node[key], (*prefix, key), fanout)
    elif isinstance(node, list):
        for i in range(min(len(node), fanout)):
            yield from _paths(node[i], (*prefix, i), fanout)


def _at(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _mutate_tree(doc: Any, data: st.DataObject) -> Any:
    """One structural change at a random path: replace, delete, wrap, rename or stringify."""
    path = data.draw(st.sampled_from(list(_paths(doc))), label="path")
    op = data.draw(st.sampled_from(["replace", "delete", "wrap", "rekey", "stringify"]))
    value = _at(doc, path)
    if op == "replace":
        # A copy: NASTY's lists and objects are shared, and a later mutation in the same
        # example must not change them for the next one (or make them contain themselves).
        new: Any = copy.deepcopy(data.draw(NASTY, label="value"))
    elif op == "wrap":
        new = data.draw(st.sampled_from([[value], {"value": value}]))
    elif op == "stringify":
        new = json.dumps(value)
    else:
        new = value
    if not path:
        return new
    parent, key = _at(doc, path[:-1]), path[-1]
    if op == "delete":
        del parent[key]
    elif op == "rekey" and isinstance(parent, dict):
        parent[data.draw(NASTY_KEYS, label="key")] = parent.pop(key)
    else:
        parent[key] = new
    return doc


@pytest.mark.parametrize("source_id", JSON_SOURCES)
@settings(max_examples=examples(250))
@given(data=st.data())
def test_json_tree_mutations(source_id, data):
    doc = copy.deepcopy(SAMPLE_TREES[source_id])
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        doc = _mutate_tree(doc, data)
    ascii_only = data.draw(st.booleans(), label="ensure_ascii")
    check(source_id, json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass"))


# ----------------------------------------------------------------- XML tree mutations

XML_TEXTS = st.one_of(
    st.sampled_from([s for s in NASTY_STRINGS if "\ud800" not in s and "\x00" not in s]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(["Tue, 07 Oct 2025", "Thu, 31 Dec 9999", "RS", "A3", "GB", "IS", "HK"]),
)
XML_TAGS = st.sampled_from(
    ["item", "title", "link", "pubDate", "description", "category", "channel", "x"]
)


def _mutate_xml(root: ET.Element, data: st.DataObject) -> None:
    """One change to the element tree: text, tag, attribute, removal, duplication, nesting."""
    elements = list(root.iter())
    parents = {child: parent for parent in elements for child in parent}
    element = data.draw(st.sampled_from(elements), label="element")
    op = data.draw(st.sampled_from(["text", "tag", "domain", "remove", "copy", "nest"]))
    parent = parents.get(element)
    if op == "text":
        element.text = data.draw(XML_TEXTS, label="text")
    elif op == "tag":
        element.tag = data.draw(XML_TAGS, label="tag")
    elif op == "domain":
        element.set("domain", data.draw(st.sampled_from(["Country-Tag", "Keyword", ""])))
    elif parent is not None and op == "remove":
        parent.remove(element)
    elif parent is not None and op == "copy":
        parent.append(copy.deepcopy(element))
    elif parent is not None and op == "nest":
        index = list(parent).index(element)
        wrapper = ET.Element(data.draw(XML_TAGS, label="wrapper"))
        parent.remove(element)
        wrapper.append(element)
        parent.insert(index, wrapper)


@settings(max_examples=examples(250))
@given(data=st.data())
def test_us_xml_tree_mutations(data):
    root = SafeET.fromstring(SAMPLE_BYTES["us_state_rss"])
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        _mutate_xml(root, data)
    check("us_state_rss", ET.tostring(root, encoding="utf-8", xml_declaration=True))


# ----------------------------------------------------------------- markup straight into text

MARKUP_TOKENS = [
    *"<>!/?-[]&;#=\"' aZ\x00\x1b\u202e\ud800\n",
    *["<!--", "-->", "<![", "]]>", "<![CDATA[", "<!DOCTYPE", "<?", "</", "<b>", "</b>", "<br/>"],
    *["<script>", "</script>", "<style>", "&lt;", "&gt;", "&amp;", "&#27;", "&#x202e;", "&**"],
]


@settings(max_examples=examples(500))
@given(
    parts=st.lists(st.sampled_from(MARKUP_TOKENS), max_size=40),
    limit=st.none() | st.integers(1, 50),
)
def test_plain_text_of_any_markup_is_clean(parts, limit):
    """Every label, summary and note passes here; the tokens are the markup the HTML parser
    treats specially (it once raised AssertionError on "<![a[" and leaked "<b" as text)."""
    text = plain_text("".join(parts), limit=limit)
    assert _text_problem(text) is None, repr(text)
    assert limit is None or len(text) <= limit + 1
    text.encode("utf-8")


# ----------------------------------------------------------------- byte-level mutations

BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]


def _mutate_bytes(payload: bytes, data: st.DataObject) -> bytes:
    if not payload:  # cut to nothing by an earlier mutation: only new bytes can follow
        return data.draw(st.binary(max_size=16), label="new")
    op = data.draw(st.sampled_from(["cut", "flip", "set", "insert", "delete", "repeat", "bom"]))
    at = data.draw(st.integers(0, max(0, len(payload) - 1)), label="at")
    if op == "cut":
        return payload[:at]
    if op == "flip":
        bit = data.draw(st.integers(0, 7), label="bit")
        return payload[:at] + bytes([payload[at] ^ (1 << bit)]) + payload[at + 1 :]
    if op == "set":
        return payload[:at] + data.draw(st.binary(min_size=1, max_size=1)) + payload[at + 1 :]
    if op == "insert":
        return payload[:at] + data.draw(st.binary(min_size=1, max_size=16)) + payload[at:]
    if op == "delete":
        return payload[:at] + payload[at + data.draw(st.integers(1, 64)) :]
    if op == "repeat":
        chunk = payload[at : at + data.draw(st.integers(1, 256))]
        return payload[:at] + chunk * data.draw(st.integers(2, 50)) + payload[at:]
    return data.draw(st.sampled_from(BOMS), label="bom") + payload


@pytest.mark.parametrize("source_id", list(SOURCES))
@settings(max_examples=examples(60))
@given(data=st.data())
def test_byte_mutations(source_id, data):
    payload = SAMPLE_BYTES[source_id] if source_id == "us_state_rss" else _real(source_id)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        payload = _mutate_bytes(payload, data)
    check(source_id, payload)


# ----------------------------------------------------------------- truncation everywhere

TRUNCATION_STEP = 1024 if settings().max_examples > 100 else 16 * 1024


@pytest.mark.parametrize(("source_id", "path"), ALL_FILES, ids=ALL_IDS)
def test_truncated_at_every_step_is_a_feed_error(source_id, path):
    """Every cut (each 16 KB on CI, each 1 KB under the deep profile) breaks the payload."""
    payload = path.read_bytes()
    cuts = [*range(0, len(payload), TRUNCATION_STEP), len(payload.rstrip()) - 1]
    for cut in cuts:
        assert isinstance(check(source_id, payload[:cut]), FeedError), cut


# ----------------------------------------------------------------- named tricks

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
    )
    + b"]><rss><channel><item><title>&j;</title></item></channel></rss>"
)
QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "'
    + b"x" * 50_000
    + b'">]><rss><channel><item><title>'
    + b"&a;" * 20_000
    + b"</title></item></channel></rss>"
)
TRICKS = {
    "deep-json-array": b"[" * 100_000,
    "deep-json-array-closed": b"[" * 100_000 + b"]" * 100_000,
    "deep-json-object": b'{"a":' * 100_000,
    "deep-xml": b"<a>" * 100_000,
    "deep-xml-closed": b"<a>" * 50_000 + b"</a>" * 50_000,
    "deep-rss-item": b"<rss><channel><item>" + b"<title>" * 50_000,
    "many-xml-elements": b"<rss><channel>" + b"<item/>" * 150_000 + b"</channel></rss>",
    "many-json-containers": b"[" + b"{}," * 300_000 + b"{}]",
    "billion-laughs": BILLION_LAUGHS,
    "quadratic-blowup": QUADRATIC_BLOWUP,
    "external-entity": b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/'
    b'passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>',
    "external-dtd": b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/x.dtd">'
    b"<rss><channel><item><title>x</title></item></channel></rss>",
    "parameter-entity": b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM '
    b'"http://127.0.0.1:9/p.dtd"> %p;]><rss/>',
    "unknown-encoding": b'<?xml version="1.0" encoding="x-klingon"?><rss/>',
    "json-nan": b'{"data": NaN, "response": NaN}',
    "json-infinity": b"[Infinity, -Infinity]",
    "json-huge-int": b"[" + b"9" * 5000 + b"]",
    "json-huge-exponent": b'{"data": 1e999}',
    "invalid-utf8": b'{"data": {"RU": "\xff\xfe"}}',
    "overlong-utf8": b'["\xc0\xbcscript\xc0\xbe"]',
    "nul-bytes": b"\x00" * 1000,
    "huge-string": b'"' + b"a" * MB5 + b'"',
    "huge-whitespace": b" " * MB5 + b"[]",
}


@pytest.mark.parametrize("source_id", list(SOURCES))
@pytest.mark.parametrize("trick", list(TRICKS))
def test_named_trick_is_a_feed_error_in_bounded_memory(source_id, trick):
    assert isinstance(check_bounded(source_id, TRICKS[trick]), FeedError)


def test_json_packed_with_containers_is_refused_before_decoding():
    """json.loads spends ~70 bytes on each "{}", 25x the payload; a real feed opens an object
    or array every 200 bytes or more, so a dense payload is refused before it is decoded."""
    payload = TRICKS["many-json-containers"]
    for source_id in JSON_SOURCES:
        assert isinstance(check(source_id, payload), FeedError)
        assert peak_bytes(source_id, payload) < 2 * len(payload), source_id


@pytest.mark.parametrize(
    "trick",
    ["billion-laughs", "quadratic-blowup", "external-entity", "external-dtd", "parameter-entity"],
)
def test_xml_entity_tricks_are_refused_as_unsafe(trick):
    """defusedxml refuses any DTD, so no entity is ever expanded or fetched."""
    with pytest.raises(FeedError, match=r"refused unsafe XML \(DTDForbidden\)"):
        SOURCES["us_state_rss"].parse(TRICKS[trick])


def test_xinclude_is_not_followed():
    """ElementTree leaves XInclude alone unless asked; the file's text must not show up."""
    payload = (
        b'<rss xmlns:xi="http://www.w3.org/2001/XInclude"><channel><item>'
        b"<title>Russia - Level 4: Do Not Travel</title>"
        b'<category domain="Country-Tag">RS</category>'
        b'<description><xi:include href="file:///etc/passwd" parse="text"/></description>'
        b"</item></channel></rss>"
    )
    (ru,) = check("us_state_rss", payload)
    assert (ru.country, ru.level, ru.summary) == ("RU", 4, "")


def _reencoded(payload: bytes, encoding: str) -> bytes:
    return payload.decode("utf-8").encode(encoding)


@pytest.mark.parametrize("source_id", list(SOURCES))
def test_utf8_bom_changes_nothing(source_id):
    payload = SAMPLE_BYTES[source_id]
    assert check(source_id, b"\xef\xbb\xbf" + payload) == check(source_id, payload)


@pytest.mark.parametrize("source_id", list(SOURCES))
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "latin-1"])
def test_other_encodings_meet_the_contract(source_id, encoding):
    check_bounded(source_id, _reencoded(SAMPLE_BYTES[source_id], encoding))


# Where each source keeps the Russia entry (or its one entry) and the fields it reads.
def _entry(source_id: str, doc: Any) -> Any:
    if source_id == "uk_fcdo":
        return doc["details"]
    if source_id == "canada":
        return doc["data"]["RU"]
    if source_id == "germany":
        return next(v for v in doc["response"].values() if isinstance(v, dict))
    if source_id == "australia":
        return next(e for e in doc if e["title"] == "Russia")
    return next(i for i in doc.iter("item") if i.findtext("title", "").startswith("Russia"))


TEXT_FIELDS = {
    "us_state_rss": [("title",), ("description",), ("link",), ("category",)],
    "uk_fcdo": [("country", "name"), ("country", "slug"), ("summary",), ("parts", 0, "body")],
    "canada": [("eng", "advisory-text"), ("eng", "recent-updates"), ("eng", "url-slug")],
    "germany": [("title",), ("lastChanges",), ("countryCode",)],
    "australia": [
        ("title",),
        ("field_overall_advice_level",),
        ("field_advice_levels",),
        ("field_last_update",),
        ("field_url",),
        ("changed",),
    ],
}
DATE_FIELDS = {
    "us_state_rss": [("pubDate",)],
    "uk_fcdo": [("updated_at",)],
    "canada": [("date-published", "timestamp"), ("date-published", "asp")],
    "germany": [("lastModified",)],
    "australia": [("changed",)],
}
FIELD_CASES = [
    pytest.param(sid, path, id=f"{sid}-{'.'.join(map(str, path))}")
    for sid, paths in TEXT_FIELDS.items()
    for path in paths
]
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _fits(source_id: str, value: Any) -> bool:
    """Whether the source's format can carry `value` (XML has only text, and not all of it)."""
    return source_id != "us_state_rss" or isinstance(value, str) and not _NOT_XML.search(value)


def _field_cases(fields: dict[str, list[tuple]], values: list) -> list:
    return [
        pytest.param(sid, path, value, id=f"{sid}-{'.'.join(map(str, path))}-{repr(value)[:24]}")
        for sid, paths in fields.items()
        for path in paths
        for value in values
        if _fits(sid, value)
    ]


def _with(source_id: str, path: tuple, value: Any) -> bytes:
    """The sample payload with one field of its Russia entry set to `value`."""
    if source_id == "us_state_rss":
        assert _fits(source_id, value), value
        root = SafeET.fromstring(SAMPLE_BYTES[source_id])
        _entry(source_id, root).find(path[0]).text = value
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)
    doc = copy.deepcopy(SAMPLE_TREES[source_id])
    target = _entry(source_id, doc)
    if source_id == "uk_fcdo" and path == ("updated_at",):
        doc.pop("public_updated_at", None)
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else target[key]
    target[path[-1]] = value
    return json.dumps(doc).encode("utf-8", "surrogatepass")


# A 5 MB string, and a megabyte of each markup that once took the parsers seconds or minutes.
MB = 1024 * 1024
HUGE = {
    "letters": "a" * MB5,
    "open-comments": "<!--" * (MB // 4),
    "open-tags": "<a" * (MB // 2),
    "tags": "<b>" * (MB // 3),
    "lt-runs": "<" * MB,
    "entities": "&amp;" * (MB // 5),
    "title-dashes": "a - " * (MB // 4),
}


@pytest.mark.parametrize("huge", list(HUGE))
@pytest.mark.parametrize(("source_id", "path"), FIELD_CASES)
def test_huge_field_is_quick(source_id, path, huge):
    check(source_id, _with(source_id, path, HUGE[huge]))


@pytest.mark.parametrize(("source_id", "path"), FIELD_CASES)
def test_huge_field_is_bounded(source_id, path):
    check_bounded(source_id, _with(source_id, path, HUGE["letters"]))


HOSTILE_TEXT = [
    "\ud800 lone surrogate",
    "\x1b[2J\x00 terminal escape",
    "\u202eevil override",
    "ok <b onclick='steal()'",
    "<<b>b>x",
    "&lt;&lt;b&gt;b&gt;script",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<![CDATA[<b>x]]> <!-- open",
    "javascript:alert(1)",
    " https://evil.example/\n",
]


@pytest.mark.parametrize(("source_id", "path", "text"), _field_cases(TEXT_FIELDS, HOSTILE_TEXT))
def test_hostile_text_comes_out_clean(source_id, path, text):
    check(source_id, _with(source_id, path, text))


DATES = [
    None,
    0,
    -1,
    -(10**12),
    10**4000,
    1e308,
    True,
    [],
    {},
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "Fri, 9999-12-31 23:59",
    "Mon, 0001-01-01 00:00",
    "Fri, 31 Dec 9999",
    "Mon, 01 Jan 0001",
    "Thu, 01 Jan 1970 00:00:00 +1400",
]


@pytest.mark.parametrize(("source_id", "path", "value"), _field_cases(DATE_FIELDS, DATES))
def test_nonsense_dates_meet_the_contract(source_id, path, value):
    check(source_id, _with(source_id, path, value))


@pytest.mark.parametrize(
    "published", [{"asp": "9999-12-31T23:59:59Z"}, {"timestamp": 253402300799}], ids=repr
)
def test_implausible_date_is_unknown_not_an_error(published):
    """Decided: a readable date outside 1970..2100 is a glitch in one entry (the real US feed
    says 1970 for Oman), so that entry's date is unknown; an unreadable one stays a FeedError."""
    (ru,) = [
        a
        for a in check("canada", _with("canada", ("date-published",), published))
        if a.country == "RU"
    ]
    assert ru.updated is None


def test_canada_date_without_timestamp_keeps_its_offset():
    """The `asp` fallback cut the offset off with the 7th digit of the fraction ("...12.7772197
    -04:00" read as "...12.77721900"), so the date was lost as having no zone."""
    published = {"asp": "2026-06-23T12:51:12.7772197-04:00"}
    (ru,) = [
        a
        for a in check("canada", _with("canada", ("date-published",), published))
        if a.country == "RU"
    ]
    assert ru.updated == dt.datetime(2026, 6, 23, 16, 51, 12, 777219, tzinfo=dt.UTC)


@pytest.mark.parametrize("source_id", JSON_SOURCES)
@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_non_finite_json_numbers_are_a_feed_error(source_id, constant):
    """Decided: NaN and Infinity are not JSON (RFC 8259), and 1e999 has no finite value."""
    field = DATE_FIELDS[source_id][0]
    payload = _with(source_id, field, 1234567890123456).replace(b"1234567890123456", constant)
    assert isinstance(check(source_id, payload), FeedError)


# Wrong types where a parser reached for a value without checking it (each once crashed).
WRONG_TYPES: list[tuple[str, Callable[[Any], None]]] = [
    ("uk_fcdo", lambda d: d["details"].update(alert_status=[["avoid_all_travel_to_parts"]])),
    ("uk_fcdo", lambda d: d["details"].update(alert_status=[{}])),
    ("uk_fcdo", lambda d: d["details"].update(parts=5)),
    ("uk_fcdo", lambda d: d["details"].update(parts=True)),
    ("canada", lambda d: d["data"]["RU"].update({"date-published": {"timestamp": 10**4000}})),
    ("canada", lambda d: d["data"]["RU"].update({"date-published": {"timestamp": -(10**15)}})),
    ("germany", lambda d: _entry("germany", d).update(lastModified=10**4000)),
    ("germany", lambda d: _entry("germany", d).update(lastModified=-(10**15))),
]


@pytest.mark.parametrize(("source_id", "change"), WRONG_TYPES)
def test_wrong_types_meet_the_contract(source_id, change):
    doc = copy.deepcopy(SAMPLE_TREES[source_id])
    change(doc)
    check(source_id, json.dumps(doc).encode())


def test_us_link_and_text_fields_come_out_clean():
    root = SafeET.fromstring(SAMPLE_BYTES["us_state_rss"])
    item = _entry("us_state_rss", root)
    item.find("link").text = "javascript:alert(1)"
    item.find("title").text = "Russia - Level 4: <b>Do Not Travel</b>"
    item.find("description").text = "ok <b onclick='steal()'"
    (ru,) = [a for a in check("us_state_rss", ET.tostring(root)) if a.country == "RU"]
    assert ru.url == "https://travel.state.gov/_res/rss/TAsTWs.xml"
    assert (ru.label, ru.summary) == ("Level 4: Do Not Travel", "ok")


def test_germany_odd_content_id_stays_one_path_segment():
    """The entry's key goes into the URL; a key with a space or "/../" made a broken link."""
    doc = copy.deepcopy(SAMPLE_TREES["germany"])
    response = doc["response"]
    key = next(k for k, v in response.items() if isinstance(v, dict))
    response["a b/../?x#y"] = response.pop(key)
    urls = [a.url for a in check("germany", json.dumps(doc).encode())]
    assert "https://www.auswaertiges-amt.de/opendata/travelwarning/a%20b%2F..%2F%3Fx%23y" in urls
