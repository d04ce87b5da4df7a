"""Untrusted feed text made plain: tags stripped, entities unescaped, script/style dropped.

Every summary, label and note from a feed goes through `plain_text` before anything shows it,
so HTML or script in a payload comes out as inert text: one line, no tag left, no control or
bidi-override character, valid UTF-8, at most a limit long (LABEL, SUMMARY, NOTE).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements whose contents are code or metadata, never readable text.
_DROP = frozenset({"script", "style", "template", "noscript", "iframe", "object", "head", "title"})
# Elements that separate words; without a space "a</p><p>b" would read "ab".
_BREAK = frozenset(
    {
        "p",
        "br",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "blockquote",
        "section",
        "table",
        "hr",
        "dd",
        "dt",
    }
)
# Smartraveller's export carries "&amp;**" where an apostrophe belongs ("you&amp;**re").
_DIRTY_APOSTROPHE = re.compile(r"&(?:amp;)?\*\*")
# A "<" that still opens a tag, comment or declaration after parsing ("<<b>b>" leaves "<b").
# A run of "<" is removed with it, so what is left cannot open one either.
_TAG_START = re.compile(r"(?<!<)<+(?=[A-Za-z/!?])[^>]*>?")
_LONE_LT = re.compile(r"<(?![A-Za-z/!?])")
# Controls that are not whitespace (an ESC would drive a terminal), and bidi embeddings,
# overrides and isolates, which could show "Level 1" for "1 leveL"; lone surrogates (JSON
# allows "\ud800") cannot be written as UTF-8.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")

# Characters of markup read per field: the longest real field (a GOV.UK part) is ~30,000, and
# parsing a megabyte of hostile markup ("<<<<...") takes seconds.
MAX_INPUT = 100_000
# Longest label, summary and regional note kept; the longest real ones are 67, 1,500 (cut)
# and 1,121 characters. At most NOTES regional notes are kept (4 in the real feeds).
LABEL = 200
SUMMARY = 1500
NOTE = 1500
NOTES = 10


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._dropping += 1
        elif tag in _BREAK:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BREAK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            # "<![foo[" or "<![ x" make the base class raise; HTML reads them as a bogus
            # comment up to the next ">", never text.
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1


def _strip_tags(value: str) -> str:
    collector = _TextCollector()
    # A "<" that opens nothing is text to the parser too, but costs it a step each; as "&lt;"
    # it is plain data ("<" x 100,000: 0.5 s -> 0.07 s).
    collector.feed(_LONE_LT.sub("&lt;", value))
    # What the parser holds back at "<" is a tag, comment or declaration left open at the end:
    # in HTML it runs to the end and is not text. close() would show it as text, and re-scan
    # the rest once per "<" in it ("<!--" x 4,000: 1.4 s; x 250,000: not done in 5 minutes).
    if not collector.rawdata.startswith("<"):
        collector.close()
    return "".join(collector.parts)


def plain_text(value: str | None, *, limit: int | None = None) -> str:
    """`value` (HTML or text) as one line of plain text, optionally cut at a word boundary."""
    if not value:
        return ""
    value = _DIRTY_APOSTROPHE.sub("\u2019", value[:MAX_INPUT])
    # Unescape once more: some feeds escape twice ("&amp;eacute;").
    text = html.unescape(_strip_tags(value))
    # A second round can reveal markup that was escaped in the feed; strip it too.
    if "<" in text:
        text = _strip_tags(text)
    # Invisibles go first: "<\x00b" must not become a tag start after the tag pass.
    text = _SURROGATE.sub("\ufffd", _INVISIBLE.sub("", text))
    text = _TAG_START.sub("", text)
    return shorten(" ".join(text.replace("\xa0", " ").split()), limit)


def shorten(text: str, limit: int | None) -> str:
    """`text` cut at the last word boundary within `limit` characters, then an ellipsis."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "\u2026"
