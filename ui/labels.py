"""Shared words, colours and escaping for the page: verdict badges, levels, safe markdown.

Verdicts are always shown as words (GO / CAUTION / BLOCKED) as well as colours, so they read
on a black-and-white screen and for colour-blind people.
"""

from __future__ import annotations

import html
import re

from planner.messages import format_date, has, t

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
.dp-card, .dp-box {border:1px solid rgba(128,128,128,0.3); border-radius:0.5rem;
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
.dp-headline {border-radius:8px; padding:0.7rem 1rem; color:#fff; font-size:1.1rem;
  font-weight:600; margin-bottom:0.5rem;}
</style>
"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~$:])")


def md(text: str) -> str:
    """Text (from data, feeds or the user) made safe to embed in Streamlit markdown."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


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
        f"{html.escape(verdict_word(verdict))}</span>"
    )


def level_badge(level: int | None) -> str:
    text = t("app.adv.level", level=level) if level else t("app.adv.level_unknown")
    return (
        f'<span class="dp-badge dp-small" style="background:{LEVEL_HEX[level]}">'
        f"{html.escape(text)}</span>"
    )


def label(prefix: str, value: str) -> str:
    """A catalog label like pdf.kind.land, falling back to the raw value if unknown."""
    key = f"{prefix}.{value}"
    return t(key) if has(key) else value


def source_link(url: str | None, as_of=None, *, stale: bool = False, confidence: str = "") -> str:
    """` · [source](url) · 27 Sep 2022 · may be out of date` as markdown."""
    parts = []
    if url:
        parts.append(f"[{t('app.source')}]({url.replace(')', '%29').replace(' ', '%20')})")
    if as_of is not None:
        parts.append(md(format_date(as_of)))
    if confidence in ("low", "unverified"):
        parts.append(f"**{md(label('pdf.confidence', confidence))}**")
    if stale:
        parts.append(f"**{md(t('pdf.stale'))}**")
    return " · ".join(parts)
