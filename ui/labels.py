"""Shared words, colours and escaping for the page: verdict badges, levels, safe markdown.

Verdicts are always shown as words (GO / CAUTION / BLOCKED) as well as colours, so they read
on a black-and-white screen and for colour-blind people.
"""

from __future__ import annotations

import re

from planner.messages import format_date, has, t
from planner.models import is_safe_url

# Dark enough for white text (WCAG AA) and distinct for the common colour-blindness types.
VERDICT_HEX = {"go": "#1b7a3a", "caution": "#9a5b00", "blocked": "#b3261e"}
VERDICT_RGB = {"go": [27, 122, 58], "caution": [230, 145, 0], "blocked": [179, 38, 30]}
# Advisory level 1..4 on one scale; None (unknown) is grey.
LEVEL_HEX = {1: "#1b7a3a", 2: "#8a6d00", 3: "#b35c00", 4: "#b3261e", None: "#5f6368"}
KINDS = ("land", "air", "sea", "rail")

CSS = """
<style>
.dp-badge {display:inline-block; color:#fff; font-weight:800; border-radius:6px;
  padding:0.15em 0.55em; letter-spacing:0.04em; line-height:1.3;}
.dp-big {font-size:1.6rem;}
.dp-small {font-size:0.95rem;}
.dp-card-title {font-size:1.15rem; font-weight:700; margin:0.3rem 0 0.1rem 0;}
.dp-muted {color:#5f6368; font-size:0.9rem;}
.dp-fact {font-size:1.3rem; font-weight:700; line-height:1.25; margin-bottom:0.4rem;}
.dp-facts {display:flex; flex-wrap:wrap; column-gap:1.5rem; margin-bottom:0.6rem;}
.dp-facts > div {flex:1 1 12rem;}
.dp-box {border:1px solid rgba(128,128,128,0.3); border-radius:0.5rem;
  padding:0.75rem 1rem 0.25rem 1rem; margin-bottom:1rem;}
.dp-why {border:1px solid rgba(128,128,128,0.3); border-radius:0.5rem;
  padding:0.5rem 1rem; margin-bottom:0.75rem;}
.dp-why > summary {cursor:pointer; font-weight:600; padding:0.1rem 0;}
.dp-why[open] > summary {margin-bottom:0.6rem;}
.dp-risk {border-radius:0.5rem; padding:0.75rem 1rem 0.1rem 1rem; margin-bottom:0.75rem;}
.dp-risk-high {background:rgba(255,43,43,0.09);}
.dp-risk-medium {background:rgba(255,227,18,0.12);}
.dp-risk-low {background:rgba(28,131,225,0.1);}
.dp-risk-none {background:rgba(33,195,84,0.1);}
.dp-alerts {border-left:6px solid #b3261e; background:rgba(255,43,43,0.06);
  border-radius:0.5rem; padding:0.6rem 1rem 0.1rem 1rem; margin-bottom:1rem;}
.dp-headline {border-radius:8px; padding:0.7rem 1rem; color:#fff; font-size:1.1rem;
  font-weight:600; margin-bottom:0.5rem;}
</style>
"""

# Every character Streamlit's markdown or HTML could read as syntax (emphasis, links, lists,
# headings, tables, maths, :colour[...] and :icon: directives, tags, entities).
_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~$:<>&\"'@=^]")
# Where the markdown renderer would make a link out of plain text ("www.", "https:",
# "name@host"): a word joiner (U+2060, invisible) stops it, since it only links after a
# space or punctuation, and only a name that touches the "@".
_LINKISH = re.compile(r"(?i)(?<!\w)(?=(?:https?|ftp|mailto|xmpp):|www\.)|(?=@)")


def esc(text: object) -> str:
    """The one way text from data, feeds, files or the user reaches the page's markdown and
    HTML: whitespace collapsed, every syntax character written as a numeric character
    reference (plain text to both the markdown and the HTML parser), no automatic links.
    What the person sees is the text exactly as it was."""
    flat = _LINKISH.sub("\u2060", " ".join(str(text).split()))
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", flat)


def say(key: str, **params: object) -> str:
    """A catalog message with its values filled in, escaped as a whole for markdown: the
    catalog's words are plain text too (only the About box writes markdown, with no values)."""
    return esc(t(key, **params))


def link(text: str, url: str | None) -> str:
    """`[text](url)` when `url` is a plain http(s) link (planner.models.is_safe_url), else
    the text alone: a javascript: or data: address never becomes a link."""
    if not is_safe_url(url):
        return esc(text)
    assert url is not None
    target = url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{esc(text)}]({target})"


def sentence(message: str) -> str:
    """A core error message as a sentence on screen: capital first letter."""
    return message[:1].upper() + message[1:]


def verdict_word(verdict: str) -> str:
    return t(f"pdf.verdict.{verdict}")


def verdict_badge(verdict: str, *, big: bool = True) -> str:
    """HTML for the verdict word on its colour (our own words only: nothing to escape)."""
    size = "dp-big" if big else "dp-small"
    colour = VERDICT_HEX[verdict]
    return (
        f'<span class="dp-badge {size}" style="background:{colour}">'
        f"{esc(verdict_word(verdict))}</span>"
    )


def level_badge(level: int | None) -> str:
    text = t("app.adv.level", level=level) if level else t("app.adv.level_unknown")
    return (
        f'<span class="dp-badge dp-small" style="background:{LEVEL_HEX[level]}">{esc(text)}</span>'
    )


def label(prefix: str, value: str) -> str:
    """A catalog label like pdf.kind.land, falling back to the raw value if unknown."""
    key = f"{prefix}.{value}"
    return t(key) if has(key) else value


def source_link(url: str | None, as_of=None, *, stale: bool = False, confidence: str = "") -> str:
    """` · [source](url) · 27 Sep 2022 · may be out of date` as markdown."""
    parts = []
    if is_safe_url(url):
        parts.append(link(t("app.source"), url))
    if as_of is not None:
        parts.append(esc(format_date(as_of)))
    if confidence in ("low", "unverified"):
        parts.append(f"**{esc(label('pdf.confidence', confidence))}**")
    if stale:
        parts.append(f"**{esc(t('pdf.stale'))}**")
    return " · ".join(parts)
