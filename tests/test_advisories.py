"""Adapters against every recorded payload, broken variants, and untrusted text."""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from defusedxml import ElementTree as SafeET

from planner.advisories import SOURCES, australia, canada, germany, source, uk_fcdo, us_state_rss
from planner.advisories.countries import FIPS_TO_ISO, is_iso
from planner.advisories.snapshot import DEFAULT_ROOT
from planner.advisories.text import plain_text
from planner.errors import FeedError

UTC = dt.UTC


def _payload_files() -> list[tuple[str, Path]]:
    """Every recorded payload named in every source's snapshot manifest."""
    files = []
    for source_id in SOURCES:
        manifest = yaml.safe_load((DEFAULT_ROOT / source_id / "snapshot.yaml").read_text())
        files += [(source_id, DEFAULT_ROOT / source_id / f["file"]) for f in manifest["files"]]
    return files


PAYLOADS = _payload_files()
IDS = [path.name for _, path in PAYLOADS]

# Real values read off the payloads (counts per common level, Russia where present).
EXPECTED = {
    "TAsTWs-2019-03-16.xml": (212, {1: 125, 2: 59, 3: 15, 4: 13}),
    "TAsTWs-2025-10-07.xml": (214, {1: 89, 2: 83, 3: 22, 4: 20}),
    "TAsTWs-2025-10-14.xml": (214, {1: 88, 2: 84, 3: 22, 4: 20}),
    "nepal-2026-07-11.json": (1, {1: 1}),
    "russia-2026-09-18.json": (1, {4: 1}),
    "index-alpha-eng-2014-03-02.json": (227, {1: 102, 2: 100, 3: 14, 4: 11}),
    "index-alpha-eng-2014-10-02.json": (227, {1: 105, 2: 97, 3: 13, 4: 12}),
    "index-alpha-eng-2026-07-11.json": (228, {1: 100, 2: 94, 3: 12, 4: 22}),
    "travelwarning-2026-07-11.json": (200, {1: 155, 3: 27, 4: 18}),
    "travelwarning-221216-nepal-2026-07-11.json": (1, {1: 1}),
    "destinations-export-2026-04-10.json": (179, {1: 65, 2: 74, 3: 11, 4: 29}),
}
RUSSIA = {
    "TAsTWs-2019-03-16.xml": (
        2, "Level 2: Exercise Increased Caution", dt.datetime(2018, 12, 10, tzinfo=UTC),
    ),
    "TAsTWs-2025-10-07.xml": (4, "Level 4: Do Not Travel", dt.datetime(2025, 5, 8, tzinfo=UTC)),
    "TAsTWs-2025-10-14.xml": (4, "Level 4: Do Not Travel", dt.datetime(2025, 5, 8, tzinfo=UTC)),
    "russia-2026-09-18.json": (
        4,
        "Advises against all travel to the whole country",
        dt.datetime(2026, 9, 18, 11, 1, 11, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    ),
    "index-alpha-eng-2014-03-02.json": (
        2,
        "Exercise a high degree of caution; see also regional advisories.",
        dt.datetime(2014, 2, 19, 16, 44, 2, tzinfo=UTC),
    ),
    "index-alpha-eng-2014-10-02.json": (
        2,
        "Exercise a high degree of caution; see also regional advisories.",
        dt.datetime(2014, 7, 9, 19, 11, 20, tzinfo=UTC),
    ),
    "index-alpha-eng-2026-07-11.json": (
        4,
        "Avoid all travel",
        dt.datetime(2026, 6, 23, 16, 51, 12, tzinfo=UTC),
    ),
    "travelwarning-2026-07-11.json": (
        4,
        "Reisewarnung (travel warning for the whole country)",
        dt.datetime(2026, 6, 30, 14, 47, 34, tzinfo=UTC),
    ),
    "destinations-export-2026-04-10.json": (
        4,
        "Do not travel",
        dt.datetime(2026, 2, 20, 5, 46, tzinfo=UTC),  # 16:46 Canberra summer time
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {path.name: SOURCES[sid].parse(path.read_bytes()) for sid, path in PAYLOADS}


def test_registry_lists_the_five_sources():
    assert list(SOURCES) == ["us_state_rss", "uk_fcdo", "canada", "germany", "australia"]
    for source_id, module in SOURCES.items():
        assert source_id == module.SOURCE
        assert module.URL.startswith("https://")
        assert module.NAME


def test_unknown_source_names_the_valid_ones():
    with pytest.raises(LookupError, match="us_state_rss, uk_fcdo, canada, germany, australia"):
        source("us_state")


def test_every_snapshot_file_is_covered_by_expectations():
    assert sorted(IDS) == sorted(EXPECTED)


@pytest.mark.parametrize(("source_id", "path"), PAYLOADS, ids=IDS)
def test_counts_levels_and_codes(parsed, source_id, path):
    advisories = parsed[path.name]
    count, levels = EXPECTED[path.name]
    assert len(advisories) == count
    assert dict(collections.Counter(a.level for a in advisories)) == levels
    assert [a.country for a in advisories if not is_iso(a.country)] == []
    assert {a.source for a in advisories} == {source_id}
    assert all(a.updated is not None and a.updated.tzinfo is not None for a in advisories)
    assert all(a.url.startswith(("https://", "http://")) for a in advisories)
    assert all(a.label for a in advisories)


@pytest.mark.parametrize(("source_id", "path"), PAYLOADS, ids=IDS)
def test_text_is_plain(parsed, source_id, path):
    offenders = [
        (a.country, field)
        for a in parsed[path.name]
        for field, text in (
            ("label", a.label),
            ("summary", a.summary),
            ("notes", " ".join(a.regional_notes)),
        )
        if "<" in text or "&amp;" in text or "&nbsp;" in text or "&#" in text or "\r" in text
    ]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(RUSSIA))
def test_russia_per_fixture(parsed, name):
    level, label, updated = RUSSIA[name]
    (russia,) = [a for a in parsed[name] if a.country == "RU"]
    assert (russia.level, russia.label, russia.updated) == (level, label, updated)


# ----------------------------------------------------------------- US specifics


def _us_items(path: Path) -> list:
    return SafeET.fromstring(path.read_bytes()).findall("./channel/item")


US_FILES = [p for s, p in PAYLOADS if s == "us_state_rss"]


@pytest.mark.parametrize("path", US_FILES, ids=lambda p: p.name)
def test_us_every_item_maps_or_is_skipped_on_purpose(parsed, path):
    by_url = collections.defaultdict(set)
    for a in parsed[path.name]:
        by_url[a.url].add(a.country)
    offenders = []
    for item in _us_items(path):
        name = item.findtext("title").split(" - ")[0].strip().lower()
        if name in us_state_rss.SKIP:
            continue
        if not by_url.get(item.findtext("link").strip()):
            offenders.append(item.findtext("title"))
    assert offenders == []


def test_us_fips_table_covers_every_tag_in_the_feeds():
    tags = set()
    for path in US_FILES:
        for item in _us_items(path):
            ident = item.findtext("{http://purl.org/dc/elements/1.1/}identifier") or ""
            tags |= {
                t.strip() for t in ident.split(",") if len(t.strip()) == 2 and t.strip().isupper()
            }
    assert sorted(tags - set(FIPS_TO_ISO)) == []
    assert [c for codes in FIPS_TO_ISO.values() for c in codes if not is_iso(c)] == []


@pytest.mark.parametrize(
    ("name", "country", "level"),
    [
        ("TAsTWs-2019-03-16.xml", "GA", 1),  # FIPS GB = Gabon
        ("TAsTWs-2019-03-16.xml", "GB", 2),  # FIPS UK = United Kingdom
        ("TAsTWs-2019-03-16.xml", "KE", 2),  # "Kenya  - Level 2", tag "advisory,KE"
        ("TAsTWs-2019-03-16.xml", "PH", 2),  # "RP,advisory"
        ("TAsTWs-2019-03-16.xml", "CW", 1),  # UC Curaçao
        ("TAsTWs-2019-03-16.xml", "MM", 2),  # BM Burma
        ("TAsTWs-2019-03-16.xml", "IL", 2),  # Israel, The West Bank and Gaza
        ("TAsTWs-2019-03-16.xml", "PS", 2),
        ("TAsTWs-2025-10-14.xml", "GA", 2),
        ("TAsTWs-2025-10-14.xml", "MX", 2),  # "Mexico Travel Advisory - Level 2"
        ("TAsTWs-2025-10-14.xml", "LI", 1),  # "Liechtenstein  - Level 1"
        ("TAsTWs-2025-10-14.xml", "HK", 2),  # no Country-Tag, no dc:identifier
        ("TAsTWs-2025-10-14.xml", "MO", 3),
        ("TAsTWs-2025-10-14.xml", "CN", 2),  # "Mainland China, Hong Kong & Macau - See Summaries"
        ("TAsTWs-2025-10-14.xml", "YE", 4),  # keyword TSG:advisory_tags
        ("TAsTWs-2025-10-14.xml", "XK", 2),  # KV Kosovo
        ("TAsTWs-2025-10-14.xml", "GL", 2),  # "GL,GL"
    ],
)
def test_us_country_codes(parsed, name, country, level):
    matches = [a.level for a in parsed[name] if a.country == country]
    assert matches == [level]


def test_us_worldwide_caution_is_skipped_with_a_reason(parsed):
    assert "worldwide caution" in us_state_rss.SKIP
    assert not [a for a in parsed["TAsTWs-2019-03-16.xml"] if "worldwide" in a.url]


def test_us_date_only_pubdate_and_regional_note(parsed):
    (oman,) = [a for a in parsed["TAsTWs-2025-10-14.xml"] if a.country == "OM"]
    assert oman.updated == dt.datetime(1970, 11, 5, tzinfo=UTC)  # as the feed says
    (ru,) = [a for a in parsed["TAsTWs-2019-03-16.xml"] if a.country == "RU"]
    assert ru.regional_notes[0].startswith("Do not travel to The north Caucasus")


def test_us_bonaire_saba_and_sint_eustatius_are_all_bq(parsed):
    assert [
        a.country
        for a in parsed["TAsTWs-2025-10-14.xml"]
        if "saba" in a.url or "bonaire" in a.url or "eustatius" in a.url
    ] == ["BQ"] * 3


# ----------------------------------------------------------------- other sources


def test_uk_nepal(parsed):
    (nepal,) = parsed["nepal-2026-07-11.json"]
    assert nepal.country == "NP"
    assert nepal.level == 1
    assert nepal.label == uk_fcdo.NO_ALERT_LABEL
    assert nepal.updated == dt.datetime(2026, 3, 19, 14, 4, 20, tzinfo=UTC)
    assert nepal.url == "https://www.gov.uk/foreign-travel-advice/nepal"
    assert nepal.summary.startswith("Global travel impacts due to escalation in the Middle East")


@pytest.mark.parametrize(
    ("alerts", "level"),
    [
        ([], 1),
        (["avoid_all_but_essential_travel_to_parts"], 2),
        (["avoid_all_travel_to_parts"], 3),
        (["avoid_all_but_essential_travel_to_whole_country"], 3),
        (["avoid_all_travel_to_whole_country"], 4),
        (["avoid_all_travel_to_parts", "avoid_all_travel_to_whole_country"], 4),
        (["avoid_all_travel_to_parts", "avoid_all_but_essential_travel_to_parts"], 3),
        (["some_new_code"], None),
        (["avoid_all_travel_to_parts", "some_new_code"], None),
    ],
)
def test_uk_alert_status_levels(alerts, level):
    doc = json.loads((DEFAULT_ROOT / "uk_fcdo" / "nepal-2026-07-11.json").read_bytes())
    doc["details"]["alert_status"] = alerts
    (advisory,) = uk_fcdo.parse(json.dumps(doc).encode())
    assert advisory.level == level


@pytest.mark.parametrize(
    ("code", "slug"),
    [("RU", "russia"), ("NP", "nepal"), ("KR", "south-korea"), ("FR", "france"), ("US", "usa")],
)
def test_uk_slugs(code, slug):
    assert uk_fcdo.slug(code) == slug
    assert (
        uk_fcdo.country_url(code) == f"https://www.gov.uk/api/content/foreign-travel-advice/{slug}"
    )


@pytest.mark.parametrize(
    "name",
    [
        "index-alpha-eng-2014-03-02.json",
        "index-alpha-eng-2014-10-02.json",
        "index-alpha-eng-2026-07-11.json",
    ],
)
def test_canada_every_key_maps_or_is_skipped(parsed, name):
    data = json.loads((DEFAULT_ROOT / "canada" / name).read_bytes())["data"]
    countries = {a.country for a in parsed[name]}
    assert sorted(k for k in data if k not in canada.SKIP and k not in countries) == []
    assert sorted(canada.SKIP) == ["IC", "PT-20"]
    assert "XK" in countries


def test_canada_french_entities_and_state_not_text():
    doc = json.loads((DEFAULT_ROOT / "canada" / "index-alpha-eng-2014-03-02.json").read_bytes())
    ru = doc["data"]["RU"]
    ru["eng"]["advisory-text"] = "Faites preuve d&#39;une grande prudence &eacute;"
    ru["advisory-state"] = 3
    doc["data"] = {"RU": ru}
    (advisory,) = canada.parse(json.dumps(doc).encode())
    assert advisory.label == "Faites preuve d'une grande prudence é"
    assert advisory.level == 4


@pytest.mark.parametrize(
    ("state", "level"),
    [
        (0, 1),
        (1, 2),
        (2, 3),
        (3, 4),
        (4, None),
        (-1, None),
        ("3", None),
        (None, None),
        (True, None),
    ],
)
def test_canada_unknown_state_is_none(state, level):
    doc = json.loads((DEFAULT_ROOT / "canada" / "index-alpha-eng-2026-07-11.json").read_bytes())
    entry = doc["data"]["RU"]
    entry["advisory-state"] = state
    doc["data"] = {"RU": entry}
    assert canada.parse(json.dumps(doc).encode())[0].level == level


def test_germany_flags_and_milliseconds():
    base = json.loads((DEFAULT_ROOT / "germany" / "travelwarning-2026-07-11.json").read_bytes())
    entry = base["response"]["201536"]
    cases = [
        ({}, 1),
        ({"situationPartWarning": True}, 2),
        ({"situationWarning": True}, 2),
        ({"partialWarning": True}, 3),
        ({"warning": True, "partialWarning": True}, 4),
        ({"warning": "yes"}, None),
    ]
    for flags, level in cases:
        item = {**entry, "warning": False, **flags}
        item["lastModified"] = 1782830854000  # milliseconds
        doc = {"response": {"lastModified": 1, "contentList": ["201536"], "201536": item}}
        (advisory,) = germany.parse(json.dumps(doc).encode())
        assert advisory.level == level, flags
        assert advisory.updated == dt.datetime(2026, 6, 30, 14, 47, 34, tzinfo=UTC)


def test_germany_detail_has_plain_last_changes(parsed):
    (nepal,) = parsed["travelwarning-221216-nepal-2026-07-11.json"]
    assert (
        nepal.summary
        == "Letzte Änderungen: Sicherheit – Innenpolitische Lage Redaktionelle Änderungen"
    )
    assert nepal.url == "https://www.auswaertiges-amt.de/opendata/travelwarning/221216"


def test_australia_every_destination_maps_or_is_skipped(parsed):
    doc = json.loads(
        (DEFAULT_ROOT / "australia" / "destinations-export-2026-04-10.json").read_bytes()
    )
    urls = {a.url for a in parsed["destinations-export-2026-04-10.json"]}
    offenders = [
        e["title"]
        for e in doc
        if e["field_url"] not in urls and e["title"].lower() not in australia.SKIP
    ]
    assert offenders == []
    codes = {a.country: a for a in parsed["destinations-export-2026-04-10.json"]}
    assert codes["CI"].url.endswith("cote-divoire-ivory-coast")
    assert codes["KP"].url.endswith("north-korea-democratic-peoples-republic-korea")


def test_australia_dirty_apostrophes_and_regional_levels(parsed):
    (ru,) = [a for a in parsed["destinations-export-2026-04-10.json"] if a.country == "RU"]
    assert "If you\u2019re in Russia, leave immediately" in ru.summary
    assert ru.regional_notes == (
        "Do not travel Do not travel to North Caucasus due to the high threat of terrorism and "
        "political unrest.",
    )


def test_australia_unknown_level_is_none():
    doc = json.loads(
        (DEFAULT_ROOT / "australia" / "destinations-export-2026-04-10.json").read_bytes()
    )
    entry = next(e for e in doc if e["title"] == "Russia")
    entry["field_overall_advice_level"] = "Level RED"
    (advisory,) = australia.parse(json.dumps([entry]).encode())
    assert advisory.level is None
    assert advisory.label == "Level RED"


@pytest.mark.parametrize(
    "title",
    ["Russia - Level 5: Run", "Russia - Level 4: Exercise Normal Precautions", "Russia - Caution"],
)
def test_us_unknown_or_inconsistent_level_is_none(title):
    xml = f"""<?xml version="1.0"?><rss version="2.0"><channel><item><title>{title}</title>
    <link>https://example.org/ru</link><pubDate>Tue, 07 Oct 2025</pubDate>
    <category domain="Country-Tag">RS</category><description>x</description>
    </item></channel></rss>"""
    (advisory,) = us_state_rss.parse(xml.encode())
    assert (advisory.country, advisory.level) == ("RU", None)


# ----------------------------------------------------------------- broken payloads

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><item><title>&lol3;</title></item></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>"""
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Access Denied</title></head>"
    b"<body>Reference #18</body></html>"
)

BROKEN = {
    "empty": b"",
    "whitespace": b"  \n",
    "html-error-page": HTML_PAGE,
    "billion-laughs": BILLION_LAUGHS,
    "external-entity": EXTERNAL_ENTITY,
    "json-null": b"null",
    "json-number": b"42",
    "json-string": b'"feed"',
    "json-empty-list": b"[]",
    "json-empty-object": b"{}",
    "json-list-of-strings": b'["a", "b"]',
    "json-nested-wrong": b'{"data": [1], "response": [1], "details": 3}',
    "xml-other-root": b"<feed><entry/></feed>",
    "xml-empty-channel": b'<rss version="2.0"><channel/></rss>',
    "binary": bytes(range(256)),
    "utf16-bom": "\ufeff{}".encode("utf-16"),
}


@pytest.mark.parametrize("source_id", list(SOURCES))
@pytest.mark.parametrize("variant", list(BROKEN))
def test_broken_payload_is_a_feed_error(source_id, variant):
    with pytest.raises(FeedError):
        SOURCES[source_id].parse(BROKEN[variant])


@pytest.mark.parametrize(("source_id", "path"), PAYLOADS, ids=IDS)
def test_truncated_payload_is_a_feed_error(source_id, path):
    payload = path.read_bytes()
    for cut in (1, 200, len(payload) // 3, len(payload) // 2, len(payload) - 30):
        with pytest.raises(FeedError):
            SOURCES[source_id].parse(payload[:cut])


@pytest.mark.parametrize(("source_id", "path"), PAYLOADS, ids=IDS)
def test_another_sources_payload_is_a_feed_error(source_id, path):
    payload = path.read_bytes()
    for other_id, module in SOURCES.items():
        if other_id != source_id:
            with pytest.raises(FeedError):
                module.parse(payload)


@pytest.mark.parametrize("source_id", list(SOURCES))
def test_not_bytes_is_a_feed_error(source_id):
    with pytest.raises(FeedError):
        SOURCES[source_id].parse("a string")  # type: ignore[arg-type]


def _uk(details: str, extra: str = "") -> bytes:
    return f'{{"document_type": "travel_advice", {extra}"details": {details}}}'.encode()


def _us(item: str) -> bytes:
    return f"<rss><channel><item>{item}</item></channel></rss>".encode()


WRONG_INSIDE = {
    "canada": [
        b'{"data": {"RU": "x"}}',
        b'{"data": {"RU": {"advisory-state": 1, "eng": "x"}}}',
        b'{"data": {"ZZ": {"advisory-state": 1, "eng": {}}}}',
        b'{"data": {"RU": {"advisory-state": 1, "eng": {}, '
        b'"date-published": {"asp": "yesterday"}}}}',
    ],
    "germany": [
        b'{"response": {"1": {"countryCode": "ZZ"}}}',
        b'{"response": {"1": {"countryCode": "RU", "lastModified": "soon"}}}',
        b'{"response": {"lastModified": 1}}',
    ],
    "australia": [
        b'["Russia"]',
        b'[{"title": "Atlantis", "field_url": "https://x/atlantis"}]',
        b'[{"title": "Russia", "changed": "yesterday"}]',
    ],
    "uk_fcdo": [
        _uk('{"country": {"name": "Atlantis"}, "alert_status": []}'),
        _uk('{"country": {"name": "Nepal"}, "alert_status": "none"}'),
        _uk('{"country": "Nepal", "alert_status": []}'),
        _uk('{"country": {"name": "Nepal"}, "alert_status": []}', '"public_updated_at": "soon", '),
    ],
    "us_state_rss": [
        _us("<title>Atlantis - Level 1: Exercise Normal Precautions</title>"),
        _us("<title>Russia - Level 1: Exercise Normal Precautions</title><pubDate>soon</pubDate>"),
        _us("<title/>"),
    ],
}


@pytest.mark.parametrize(
    ("source_id", "payload"), [(s, p) for s, ps in WRONG_INSIDE.items() for p in ps]
)
def test_wrong_shape_inside_is_a_feed_error(source_id, payload):
    with pytest.raises(FeedError):
        SOURCES[source_id].parse(payload)


# ----------------------------------------------------------------- untrusted text

SCRIPT = (
    '<p onclick="steal()">Leave now</p><script>alert("x")</script><style>p{}</style>'
    '<img src=x onerror="alert(1)">'
)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (SCRIPT, "Leave now"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Go", "Go"),
        ("Caf&eacute; &amp;amp; bar&nbsp;&#8217;s", "Café & bar ’s"),
        ("you&amp;**re", "you\u2019re"),
        ("a</p><p>b<br>c\r\nd", "a b c d"),
        ("<SCRIPT>alert(1)</SCRIPT>ok", "ok"),
        (None, ""),
    ],
)
def test_plain_text(html, text):
    assert plain_text(html) == text


def test_plain_text_limit_cuts_at_a_word():
    assert plain_text("one two three four", limit=10) == "one two\u2026"


def test_script_in_us_description_comes_out_inert():
    xml = f"""<rss version="2.0"><channel><item><title>Russia - Level 4: Do Not Travel</title>
    <link>https://example.org/ru</link><pubDate>Tue, 07 Oct 2025</pubDate>
    <category domain="Country-Tag">RS</category>
    <description><![CDATA[{SCRIPT}]]></description></item></channel></rss>"""
    (advisory,) = us_state_rss.parse(xml.encode())
    assert advisory.summary == "Leave now"


def test_script_in_australian_text_comes_out_inert():
    entry = {
        "title": "Russia<script>alert(1)</script>",
        "field_overall_advice_level": "Do not travel",
        "field_last_update": SCRIPT,
        "field_advice_levels": "Do not travel x, Do not travel to <b onmouseover='x()'>Here</b>",
        "field_url": "https://www.smartraveller.gov.au/destinations/europe/russia",
        "changed": "Fri, 2026-02-20 16:46",
    }
    (advisory,) = australia.parse(json.dumps([entry]).encode())
    assert advisory.country == "RU"
    assert advisory.summary == "Leave now"
    assert advisory.regional_notes == ("Do not travel to Here",)
    for text in (advisory.label, advisory.summary, *advisory.regional_notes):
        assert "<" not in text and "alert" not in text and "onmouseover" not in text
