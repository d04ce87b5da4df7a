"""What the printed plan holds, decided before anything is drawn.

The plan's routes in print order (blocked last) and their row numbers, which routes get a
details card, a letter for each shared section (planner/grouping.py) and a number for each
source, so that a reason prints "[12]" and its URL is listed once at the end. Pure functions
over the Plan: the tests ask them what the PDF should hold and then read the PDF.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.changes import merged, weight
from planner.export.wording import strongest
from planner.grouping import split
from planner.messages import t
from planner.models import Change, Plan, Reason, RouteOption, SharedGroup, SourceRef

TOP_DETAILS = 5  # routes with a details card in the default (short) PDF
RECENT_LINES = 6  # lines of "Changed in the last 7 days": the paper stays short


@dataclass(frozen=True)
class Outline:
    """The printed plan's structure: row numbers, details, shared-section letters, sources."""

    routes: list[RouteOption]
    detailed: list[RouteOption]
    letters: dict[str, str]  # shared group id -> "A", "B", ...
    sources: list[SourceRef]
    numbers: dict[str, int]  # route id -> row number in the routes table (1 = best)
    cited: dict[str, int]  # URL -> its number in the sources list
    full: bool = False
    changes: tuple[tuple[Change, ...], ...] = ()  # the lines of "Changed in the last days"
    changes_left: int = 0  # lines not printed

    def number(self, option: RouteOption) -> int:
        return self.numbers[option.id]

    def cite(self, url: str | None) -> str:
        """ "[12]" for a URL in the sources list; "" for a fact without a source."""
        n = self.cited.get(url) if url else None
        return t("pdf.cite", n=n) if n else ""


def outline(
    plan: Plan,
    *,
    starred: Iterable[str] = (),
    full: bool = False,
    top: int = TOP_DETAILS,
) -> Outline:
    """The structure of `plan` in print: details for the best `top` routes, every route the
    person added or starred, or (`full`) every route."""
    routes = ordered_routes(plan.routes)
    detailed = detailed_routes(routes, top=top, starred=starred, full=full)
    lines = merged(plan.changes)
    changes = printed_changes(lines)
    urls = [g[0].source_url for g in changes] + cited_urls(plan, detailed, full=full)
    # Plan.sources is sorted by URL; a URL cited but missing from it still gets a number.
    # The full plan lists them all; the short one those it cites.
    sources = [s for s in plan.sources if full or s.url in urls]
    listed = {s.url for s in sources}
    sources += [SourceRef(url=u, as_of=None) for u in urls if u not in listed]
    return Outline(
        routes=routes,
        detailed=detailed,
        letters={g.id: letter(i) for i, g in enumerate(plan.shared)},
        sources=sources,
        numbers={o.id: n for n, o in enumerate(routes, 1)},
        cited={s.url: n for n, s in enumerate(sources, 1)},
        full=full,
        changes=tuple(tuple(g) for g in changes),
        changes_left=len(lines) - len(changes),
    )


def printed_changes(lines: list[list[Change]], most: int = RECENT_LINES) -> list[list[Change]]:
    """The weightiest `most` of the merged lines (planner.changes.merged: newest day first),
    kept in that order: a turned verdict or a new alert before a queue report."""
    chosen = sorted(range(len(lines)), key=lambda i: (weight(lines[i][0]), i))[:most]
    return [lines[i] for i in sorted(chosen)]


def ordered_routes(routes: Iterable[RouteOption]) -> list[RouteOption]:
    """The core's ranking, with blocked routes moved last (a stable partition)."""
    routes = list(routes)
    return [r for r in routes if r.verdict != "blocked"] + [
        r for r in routes if r.verdict == "blocked"
    ]


def detailed_routes(
    routes: Sequence[RouteOption],
    *,
    top: int = TOP_DETAILS,
    starred: Iterable[str] = (),
    full: bool = False,
) -> list[RouteOption]:
    """The routes that get a details card, in table order: the first `top`, and any route the
    person added or starred (what they chose to look at matters more than the ranking)."""
    if full:
        return list(routes)
    starred = set(starred)
    return [o for n, o in enumerate(routes) if n < top or o.added_by_user or o.id in starred]


def key_reason(option: RouteOption, shared: Sequence[SharedGroup]) -> Reason | None:
    """The strongest of the route's own reasons (those no shared section says for it)."""
    own, _ = split(option, shared)
    return strongest(own)


def letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: a shared section's short name in tables and cards."""
    letters = string.ascii_uppercase
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = letters[rest] + name
    return name


def cited_urls(plan: Plan, detailed: Sequence[RouteOption], *, full: bool = False) -> list[str]:
    """The URLs the paper cites, in the order first met: the alerts, every reason on a
    details card or in a shared section, each route's key reason (its row in the table),
    the risks, tasks, contacts and advice (the short plan leaves out advice dated after the
    plan date). A source only a route without a card cites is left out: that route's other
    reasons are not printed either."""
    urls = [a.source_url for a in plan.alerts]
    urls += [r.source_url for o in detailed for r in o.reasons if r.source_url]
    urls += [r.source_url for g in plan.shared for r in g.reasons if r.source_url]
    for option in plan.routes:
        main = key_reason(option, plan.shared)
        if main is not None and main.source_url:
            urls.append(main.source_url)
    urls += [r.source_url for r in plan.risks]
    urls += [i.source_url for i in plan.checklist]
    urls += [c.source_url for c in plan.contacts]
    urls += [a.url for a in plan.advisories if full or not a.after_plan_date]
    return list(dict.fromkeys(urls))
