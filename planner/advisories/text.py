"""Untrusted feed text made plain: tags stripped, entities unescaped, script/style dropped.

Every summary, label and note from a feed goes through `plain_text` before anything shows it,
so HTML or script in a payload comes out as inert text.
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


def plain_text(value: str | None, *, limit: int | None = None) -> str:
    """`value` (HTML or text) as one line of plain text, optionally cut at a word boundary."""
    if not value:
        return ""
    value = _DIRTY_APOSTROPHE.sub("\u2019", value)
    collector = _TextCollector()
    collector.feed(value)
    collector.close()
    # Unescape once more: some feeds escape twice ("&amp;eacute;").
    text = html.unescape("".join(collector.parts))
    # A second round can reveal markup that was escaped in the feed; strip it too.
    if "<" in text:
        collector = _TextCollector()
        collector.feed(text)
        collector.close()
        text = "".join(collector.parts)
    text = " ".join(text.replace("\xa0", " ").split())
    if limit is not None and len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + "\u2026"
    return text
