"""The routes in print: every route as one table row, details for the top routes, and the
facts several routes share, each said once.

The table gives each route its verdict, passports, times, status date and key reason (the
strongest of its own reasons, cut to a gist) and the letters of the shared sections that
apply to it. A details card gives a route's own reasons in full and one line per shared
section; the shared sections give their reasons once and name the routes they apply to.
So every reason of every route is in print: on its card, or in a section the route names.
"""

from __future__ import annotations

from planner.export.layout import BODY, FINE, GREY, SMALL, SMALL_LINE, Cell, Document
from planner.export.outline import Outline, key_reason
from planner.export.wording import (
    GIST,
    gist,
    label,
    own_marks,
    passport_codes,
    passports,
    reason_line,
    travel_line,
)
from planner.grouping import key, split
from planner.messages import format_date, format_hours, t
from planner.models import Plan, Reason, RouteOption, SharedGroup, SharedRef

# Column widths in mm on A4 (178 mm of text width); Letter's extra width goes to the route.
_COLUMNS = ("n", "verdict", "route", "to", "passports", "time", "wait", "status")
_WIDTHS = (6, 14, 68, 17, 14, 16, 15, 31)
ROW_KEEP = 20  # mm: the table heading and its first rows stay together


# ---------------------------------------------------------------------- table


def routes_table(doc: Document, plan: Plan, out: Outline) -> None:
    """All routes, one row each, best first and blocked last."""
    doc.heading(t("pdf.routes.title", n=len(out.routes)), keep=ROW_KEEP)
    if plan.ordering:
        doc.text_block(plan.ordering, size=FINE - 0.5, colour=GREY, after=1)
    if not plan.has_route_data:
        doc.text_block(t("pdf.routes.no_data", country=plan.departure_country_name), after=2)
    if not out.routes:
        doc.text_block(t("pdf.routes.none"), after=2)
        return
    widths, below = _widths(doc)
    _table_head(doc, widths, below)
    for option in out.routes:
        key_cell, letters = _key_cells(option, plan, out)
        doc.table_row(
            _cells(option, out),
            widths,
            below=[Cell(""), Cell(key_cell, colour=GREY), Cell(letters, colour=GREY)],
            below_widths=below,
            on_new_page=lambda: _table_head(doc, widths, below),
        )
    doc.ln(2)


def _widths(doc: Document) -> tuple[list[float], list[float]]:
    """The columns, and under them the band for the key reason (from the route column) and
    the shared letters (under the status)."""
    widths = list(_WIDTHS)
    widths[2] += doc.epw - sum(widths)
    indent = sum(widths[:2])
    return widths, [indent, doc.epw - indent - widths[-1], widths[-1]]


def _table_head(doc: Document, widths: list[float], below: list[float]) -> None:
    cells = [Cell(t(f"pdf.table.col.{c}"), bold=True) for c in _COLUMNS]
    under = [
        Cell(""),
        Cell(t("pdf.table.col.key"), bold=True),
        Cell(t("pdf.table.col.shared"), bold=True),
    ]
    doc.table_row(cells, widths, below=under, below_widths=below)


def _cells(option: RouteOption, out: Outline) -> list[Cell]:
    name = option.name + "".join(f" · {m}" for m in own_marks(option))
    # What the signs say at a crossing, a station or a port; an airport's boards name the
    # destination, so a flight's translated name adds nothing there.
    local = option.name_local if option.kind != "air" else ""
    status = label("pdf.status", option.status)
    if option.status_as_of is not None:
        status = f"{status}, {format_date(option.status_as_of)}"
    if option.stale:
        status += " · " + t("pdf.stale")
    return [
        Cell(str(out.number(option)), bold=True),
        Cell(t(f"pdf.verdict.{option.verdict}"), badge=option.verdict),
        Cell(name, bold=True, more=local if local != option.name else ""),
        Cell(option.to_country_name),
        Cell(passport_codes(option)),
        Cell(format_hours(option.hours) if option.hours is not None else "—"),
        Cell(format_hours(option.wait_hours) if option.wait_hours is not None else "—"),
        Cell(status),
    ]


def _key_cells(option: RouteOption, plan: Plan, out: Outline) -> tuple[str, str]:
    """The key reason in short (under 80 characters with its effect and source, so three
    routes into one country do not print the same long line three times), and the letters
    of the shared sections for this route, each marked with the strongest effect it has on
    it (▲ caution, ✖ blocks)."""
    _, refs = split(option, plan.shared)
    main = key_reason(option, plan.shared)
    key = t("pdf.table.no_reason")
    if main is not None:
        effect = t(f"pdf.effect.{main.effect}")
        cite = out.cite(main.source_url)
        key = f"{effect}: {gist(main.text, GIST - len(effect) - len(cite) - 3)} {cite}".strip()
    letters = " ".join(out.letters[r.group] + _MARK[r.effect] for r in refs)
    return key, letters


_MARK = {"blocks": "✖", "caution": "▲", "info": ""}


# ---------------------------------------------------------------------- details


CARD_KEEP = 24  # mm: a card's head, passports, facts and first reason stay together


def route_details(doc: Document, plan: Plan, out: Outline) -> None:
    """A card for each detailed route: every fact of its own, one line per shared section.

    A reason already printed in full on an earlier card (the same entry answer for every
    route into Poland) prints as a short line naming that card."""
    if not out.detailed:
        return
    title = "pdf.details.all" if out.full else "pdf.details.title"
    doc.heading(t(title, n=len(out.detailed)), keep=CARD_KEEP)
    said: dict[tuple[str, str | None], int] = {}
    for option in out.detailed:
        doc.keep(CARD_KEEP)
        _card(doc, option, plan, out, said)


def _card(
    doc: Document,
    option: RouteOption,
    plan: Plan,
    out: Outline,
    said: dict[tuple[str, str | None], int],
) -> None:
    top = doc.get_y()
    doc.badge(option.verdict, t(f"pdf.verdict.{option.verdict}"), width=20, height=5.5, size=8.5)
    doc.set_xy(doc.l_margin, top)
    head, indent = 22, 4  # the name beside the badge; the facts under it, nearly full width
    number = out.number(option)
    name = f"{number}. {option.name}"
    if option.name_local and option.name_local != option.name:
        name += f" · {option.name_local}"
    doc.text_block(name, size=BODY + 0.5, bold=True, indent=head)
    doc.text_block(passports(option), size=SMALL + 0.5, bold=True, indent=head)
    facts = [t("pdf.route.to", country=option.to_country_name), t(f"pdf.kind.{option.kind}")]
    if option.modes:
        facts.append(", ".join(label("pdf.mode", m) for m in option.modes))
    facts += own_marks(option)
    if option.entry_requirement:
        facts.append(t("pdf.route.entry", text=option.entry_requirement))
    facts.append(travel_line(option))
    status = t(
        "pdf.route.status",
        status=label("pdf.status", option.status),
        date=format_date(option.status_as_of),
    )
    facts.append(status + (" · " + t("pdf.stale") if option.stale else ""))
    if option.carriers:
        facts.append(t("pdf.route.carriers", names=", ".join(option.carriers)))
    if option.destinations:
        facts.append(t("pdf.route.destinations", names=", ".join(option.destinations)))
    doc.text_block(" · ".join(facts), size=FINE, indent=indent)
    doc.ln(0.8)
    own, refs = split(option, plan.shared)
    for reason in own:
        earlier = said.get(key(reason))
        if earlier is None:
            said[key(reason)] = number
            reason_text(doc, reason, out, indent=indent)
        else:
            again = reason_again(reason, earlier)
            doc.text_block(again, size=FINE, indent=indent, after=0.5)
    for ref in refs:
        doc.text_block(shared_ref(ref, out), size=FINE, indent=indent, bold=ref.effect == "blocks")
    doc.ln(3)


def shared_ref(ref: SharedRef, out: Outline) -> str:
    """ "+ 3 in A. “Leaving Russia: rules that apply to you” (✖ Blocks)": under 80
    characters, as it is said on every card the section applies to."""
    return t(
        "pdf.shared.ref",
        count=ref.count,
        letter=out.letters[ref.group],
        title=gist(ref.title, 48),
        effect=t(f"pdf.effect.{ref.effect}"),
    )


def reason_again(reason: Reason, number: int) -> str:
    """A reason given in full for route `number` above, named in under 80 characters."""
    effect = t(f"pdf.effect.{reason.effect}")
    return t("pdf.reason.again", effect=effect, gist=gist(reason.text, 40), n=number)


def reason_text(doc: Document, reason: Reason, out: Outline, *, indent: float) -> None:
    """A reason in full: effect, text, date, how sure, and its source number."""
    doc.keep(SMALL_LINE * 2)
    doc.text_block(
        reason_line(reason, out.cite(reason.source_url)),
        size=FINE,
        indent=indent,
        bold=reason.effect == "blocks",
        after=0.5,
    )


# ---------------------------------------------------------------------- shared


def shared_sections(doc: Document, plan: Plan, out: Outline) -> None:
    """Each shared section once: its reasons, and the routes it applies to by name."""
    if not plan.shared:
        return
    doc.heading(t("pdf.shared.title", n=len(plan.shared)))
    for group in plan.shared:
        doc.keep(16)
        doc.ln(1)
        doc.text_block(f"{out.letters[group.id]}. {group.title}", size=BODY + 0.5, bold=True)
        doc.ln(0.5)
        for reason in group.reasons:
            reason_text(doc, reason, out, indent=0)
        doc.text_block(_applies_to(group, out), size=SMALL - 1, colour=GREY, after=1.5)


def _applies_to(group: SharedGroup, out: Outline) -> str:
    ids = set(group.route_ids)
    if ids >= set(out.numbers):
        return t("pdf.shared.applies_all", n=len(ids))
    members = [o for o in out.routes if o.id in ids]
    return t("pdf.shared.applies", n=len(members), names=compact_names(members, out))


def compact_names(routes: list[RouteOption], out: Outline) -> str:
    """Route names with their row numbers, a common head said once: "Flights Moscow –
    Armenia (1), Azerbaijan (2); Upper Lars – Dariali (14)". Names are "A – B" in the data,
    and one section often lists twenty flights from the same city."""
    heads: dict[str, list[tuple[str, int]]] = {}
    for option in routes:
        head, dash, tail = option.name.partition(" – ")
        heads.setdefault(head if dash else option.name, []).append((tail, out.number(option)))
    parts = []
    for head, items in heads.items():
        names = ", ".join(f"{tail} ({n})" if tail else f"({n})" for tail, n in items)
        parts.append(f"{head} – {names}" if any(tail for tail, _ in items) else f"{head} {names}")
    return "; ".join(parts)


__all__ = ["route_details", "routes_table", "shared_ref", "shared_sections", "reason_text"]
