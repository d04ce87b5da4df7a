"""The printed plan: a PDF a frightened person can act on with no phone and no network.

Page 1 stands alone (advisory, best three routes, passports, the five most urgent tasks);
then the advisory table, every route (blocked last) with dated reasons, the risks, the full
checklist with tick boxes, contacts and every source. Every string comes from
`planner.messages`; this module only reads the Plan, it decides nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from planner.checklist import CATEGORY_ORDER
from planner.export.layout import (
    BLACK,
    BODY,
    FONT,
    GREY,
    H1,
    H3,
    LINE,
    RULE,
    SMALL,
    SMALL_LINE,
    Document,
)
from planner.export.private import without_personal_notes
from planner.messages import format_date, format_datetime, format_hours, format_km, has, t
from planner.models import (
    ChecklistItem,
    Plan,
    Reason,
    RouteOption,
    Traveler,
)
from planner.routes import country_name

TOP_ROUTES = 3
URGENT_ITEMS = 5
# Page 1 densities: 0 full; 1 without the priority line under the urgent tasks; 2 also
# without the main reason under each route; 3 also without the entry rule.
DENSEST = 3


def render_pdf(
    plan: Plan,
    *,
    paper: str = "a4",
    personal: bool = True,
    ticked: frozenset[str] = frozenset(),
) -> bytes:
    """The plan as PDF bytes on A4 or Letter paper.

    `personal=False` leaves out age, sex, military status, health, family, citizenships and
    location, and every note chosen by them (`without_personal_notes`); the verdicts and the
    passport to show per route stay: they are the advice. `ticked` checklist ids print ticked.
    """
    if not personal:
        plan = without_personal_notes(plan)
    routes = ordered_routes(plan.routes)
    # Page 1 must stand alone: if it spills over, start again with a denser page 1. Only
    # page 1 has been drawn when we check, and fonts are cached, so a retry is cheap.
    for density in range(DENSEST + 1):
        doc = _new_document(plan, paper)
        doc.add_page()
        _first_page(doc, plan, routes, personal=personal, ticked=ticked, density=density)
        if doc.page == 1:
            break
    doc.add_page()
    _advisories(doc, plan)
    _routes(doc, routes, plan)
    _risks(doc, plan)
    _checklist(doc, plan.checklist, ticked)
    _contacts(doc, plan)
    _sources(doc, plan)
    return bytes(doc.output())


def _new_document(plan: Plan, paper: str) -> Document:
    doc = Document(paper, t("pdf.footer.text", generated=format_datetime(plan.generated)))
    # Title and creator only: nothing personal goes into the file's metadata.
    doc.set_title(t("pdf.meta.title", country=plan.departure_country_name))
    doc.set_creator("Departure Planner")
    doc.set_creation_date(plan.generated)
    return doc


def ordered_routes(routes: Iterable[RouteOption]) -> list[RouteOption]:
    """The core's ranking, with blocked routes moved last (a stable partition)."""
    routes = list(routes)
    return [r for r in routes if r.verdict != "blocked"] + [
        r for r in routes if r.verdict == "blocked"
    ]


def urgent_items(items: Iterable[ChecklistItem], n: int = URGENT_ITEMS) -> list[ChecklistItem]:
    """The `n` most urgent items: lowest priority number first, then the core's order."""
    return sorted(items, key=lambda item: item.priority)[:n]


# ---------------------------------------------------------------------- page 1


def _first_page(
    doc: Document,
    plan: Plan,
    routes: list[RouteOption],
    *,
    personal: bool,
    ticked: frozenset[str],
    density: int,
) -> None:
    doc.text_block(t("pdf.title", country=plan.departure_country_name), size=H1, bold=True)
    subtitle = t("pdf.subtitle", date=format_date(plan.as_of))
    if personal and plan.location is not None:
        subtitle += " · " + t("pdf.from_place", place=_place_name(plan))
    doc.text_block(subtitle, size=BODY + 0.5, colour=GREY, after=2.5)

    _headline(doc, plan)
    _alerts(doc, plan, brief=True, density=density)
    if density == 0 or len(plan.notices) <= 1:
        _notices(doc, plan)
    else:  # a crowded page 1 points to them (they are all in the advice section)
        doc.text_block(t("pdf.notices.see", n=len(plan.notices)), size=SMALL + 0.5, colour=GREY)
    if personal:
        doc.text_block(_traveler_line(plan.traveler), size=SMALL + 0.5, colour=GREY)

    doc.heading(t("pdf.top_routes.title", n=min(TOP_ROUTES, len(routes))), keep=40)
    doc.text_block(t("pdf.verdict.legend"), size=SMALL, colour=GREY, after=2.5)
    if not routes:
        doc.text_block(t("pdf.routes.none"), after=2)
    for option in routes[:TOP_ROUTES]:
        _top_route(doc, option, density)

    doc.heading(t("pdf.urgent.title"), keep=30)
    for item in urgent_items(plan.checklist):
        _checklist_item(doc, item, item.id in ticked, with_reason=False, brief=density >= 1)


def _top_route(doc: Document, option: RouteOption, density: int) -> None:
    """A route on page 1: verdict, names, passports, the trip in one line, the main reason."""
    top = doc.get_y()
    doc.badge(option.verdict, t(f"pdf.verdict.{option.verdict}"), width=31, height=11, size=14)
    doc.set_xy(doc.l_margin, top)
    indent = 35
    doc.text_block(option.name, size=H3 + (1 if density < 3 else 0), bold=True, indent=indent)
    if option.name_local and option.name_local != option.name:
        doc.text_block(option.name_local, size=BODY, indent=indent)
    doc.text_block(_passports(option), bold=True, indent=indent)
    trip = [t("pdf.route.to", country=option.to_country_name), t(f"pdf.kind.{option.kind}")]
    trip += _own(option)
    doc.text_block(" · ".join([*trip, _travel_line(option)]), size=SMALL + 1, indent=indent)
    if density < 3 and option.entry_requirement:
        doc.text_block(
            t("pdf.route.entry", text=option.entry_requirement), size=SMALL + 1, indent=indent
        )
    main = next((r for r in option.reasons if r.effect != "info"), None)
    if density < 2 and main is not None:
        _reason(doc, main, indent=indent, with_source=False)
    doc.set_y(max(doc.get_y(), top + 11))
    doc.ln(3.5)


def _headline(doc: Document, plan: Plan) -> None:
    """The highest level in force on the plan date, and who says it, each with its date.
    Advice dated after the plan date is in the advice table, never here."""
    headline = plan.headline
    if headline is None:
        doc.text_block(t("pdf.headline.none"), colour=GREY, after=3)
        return
    if headline.leave_now:
        doc.badge("leave_now", t("pdf.headline.leave_now"), width=doc.epw, height=11, size=16)
        doc.ln(13)
    level = t("pdf.level", level=headline.level) if headline.level else t("pdf.level.unknown")
    doc.text_block(level, size=H3, bold=True)
    doc.text_block(headline.text, after=1)
    if not headline.sources and plan.advisories:
        doc.text_block(
            t("pdf.headline.none_in_force", date=format_date(plan.as_of)), size=SMALL + 0.5
        )
    counted = {a.source: a for a in plan.advisories if not a.after_plan_date}
    who = [
        t(
            "pdf.headline.source",
            name=_source_name(s),
            date=format_date(counted[s].updated if s in counted else None),
        )
        for s in headline.sources
    ]
    if who:
        doc.text_block(t("pdf.headline.sources", sources="; ".join(who)), size=SMALL + 0.5)
    doc.ln(2)


def _traveler_line(traveler: Traveler) -> str:
    parts = [t("pdf.traveler.citizen", codes=", ".join(traveler.citizenships))]
    if traveler.sex:
        parts.append(t(f"pdf.sex.{traveler.sex}"))
    if traveler.age is not None:
        parts.append(t("pdf.traveler.age", age=traveler.age))
    if traveler.military_status != "none":
        parts.append(t(f"pdf.military.{traveler.military_status}"))
    return t("pdf.traveler.line", details=" · ".join(parts))


# ---------------------------------------------------------------------- advisories


def _alerts(doc: Document, plan: Plan, *, brief: bool, density: int = 0) -> None:
    """The alerts in force on the plan date, newest first: on page 1 the newest one or two
    (one, on a crowded page), in the advice section all of them."""
    if not plan.alerts:
        return
    doc.heading(t("alerts.title", date=format_date(plan.as_of)), level=3, keep=20)
    shown = plan.alerts[: (1 if density >= 1 else 2)] if brief else plan.alerts
    for alert in shown:
        doc.keep(SMALL_LINE * 3)
        who = f"{country_name(alert.issuer)} · " if alert.issuer else ""
        tags = [format_date(alert.as_of)]
        if alert.confidence in ("unverified", "low", "medium"):
            tags.append(_label("pdf.confidence", alert.confidence))
        text = first_sentence(alert.text) if brief else alert.text
        doc.text_block(f"! {who}{text} ({', '.join(tags)})", size=SMALL + 1, bold=brief)
        doc.text_block(alert.source_url, size=SMALL - 0.5, colour=GREY, indent=3)
        doc.ln(0.8)
    if len(plan.alerts) > len(shown):
        more = len(plan.alerts) - len(shown)
        doc.text_block(t("alerts.more", n=more), size=SMALL, colour=GREY)
    doc.ln(1.5)


def _notices(doc: Document, plan: Plan) -> None:
    for notice in plan.notices:
        doc.text_block("• " + notice, size=SMALL + 0.5, colour=GREY)


def first_sentence(text: str) -> str:
    """The text up to its first full stop (with "…" if more follows): page 1 gives an alert's
    gist, the advice section its whole text."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1] + " …"


def _advisories(doc: Document, plan: Plan) -> None:
    """Every government's advice as it stood on the plan date (in force or too old), and
    newer advice marked as after the plan date, each with its date, origin and link."""
    from planner.advisories.history import IN_FORCE_DAYS  # the threshold the note states

    doc.heading(t("pdf.advisories.title"))
    _alerts(doc, plan, brief=False)
    _notices(doc, plan)
    doc.ln(1.5)
    if not plan.advisories:
        doc.text_block(t("pdf.advisories.none"), colour=GREY)
        return
    doc.set_font(FONT, "", BODY - 0.5)
    doc.set_draw_color(*RULE)
    # fpdf2 tables take their cell style from the current colours: the last badge's fill.
    doc.set_fill_color(255, 255, 255)
    doc.set_text_color(*BLACK)
    columns = ("source", "level", "label", "date", "origin", "state")
    headings = [t(f"pdf.advisories.col.{c}") for c in columns]
    with doc.table(
        col_widths=(30, 9, 34, 18, 14, 17),
        line_height=LINE,
        padding=(1.5, 2),
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        cell_fill_mode=TableCellFillMode.NONE,
        first_row_as_headings=True,
    ) as table:
        table.row(headings)
        for adv in plan.advisories:
            state = "after" if adv.after_plan_date else "unjudged"
            if not adv.after_plan_date and adv.in_force is not None:
                state = "in_force" if adv.in_force else "not_in_force"
            label = adv.label
            if adv.level_since:
                label += f" ({t('pdf.advisories.since', date=format_date(adv.level_since))})"
            if adv.confidence in ("medium", "low", "unverified"):
                label += f" [{_label('pdf.confidence', adv.confidence)}]"
            table.row(
                [
                    _source_name(adv.source),
                    str(adv.level) if adv.level else "?",
                    label,
                    format_date(adv.updated),
                    _label("pdf.origin", adv.origin),
                    t(f"pdf.state.{state}"),
                ]
            )
    doc.ln(2)
    for adv in plan.advisories:
        if adv.after_plan_date:
            continue  # newer than the plan: its date and level are in the table, enough
        for note in (adv.summary, *adv.regional_notes):
            if note:
                doc.text_block(f"{_source_name(adv.source)}: {note}", size=SMALL + 0.5)
    doc.text_block(t("pdf.advisories.origin_note"), size=SMALL, colour=GREY)
    doc.text_block(
        t("pdf.advisories.state_note", years=IN_FORCE_DAYS // 365), size=SMALL, colour=GREY
    )


# ---------------------------------------------------------------------- routes


ROUTE_CARD_KEEP = 45  # mm: a card's head, passports and first reason stay together


def _routes(doc: Document, routes: list[RouteOption], plan: Plan) -> None:
    doc.heading(t("pdf.routes.title", n=len(routes)), keep=ROUTE_CARD_KEEP)
    if plan.ordering:
        doc.text_block(plan.ordering, size=SMALL, colour=GREY, after=2)
    if not plan.has_route_data:
        doc.text_block(t("pdf.routes.no_data", country=plan.departure_country_name), after=2)
    for n, option in enumerate(routes, 1):
        doc.keep(ROUTE_CARD_KEEP)
        _route_card(doc, option, n)


def _route_card(doc: Document, option: RouteOption, number: int) -> None:
    """A route in the full list: every fact and every dated reason with its source."""
    top = doc.get_y()
    doc.badge(option.verdict, t(f"pdf.verdict.{option.verdict}"), width=27, height=8, size=11)
    doc.set_xy(doc.l_margin, top)
    indent = 31
    doc.text_block(f"{number}. {option.name}", size=H3, bold=True, indent=indent)
    if option.name_local and option.name_local != option.name:
        doc.text_block(option.name_local, size=BODY + 0.5, indent=indent)

    facts = [t("pdf.route.to", country=option.to_country_name), t(f"pdf.kind.{option.kind}")]
    if option.modes:
        facts.append(", ".join(_label("pdf.mode", m) for m in option.modes))
    facts += _own(option)
    doc.text_block(" · ".join(facts), size=SMALL + 1, indent=indent)
    doc.text_block(_passports(option), bold=True, indent=indent)
    lines = []
    if option.entry_requirement:
        lines.append(t("pdf.route.entry", text=option.entry_requirement))
    lines.append(_travel_line(option))
    status = t(
        "pdf.route.status",
        status=_label("pdf.status", option.status),
        date=format_date(option.status_as_of),
    )
    lines.append(status + (" · " + t("pdf.stale") if option.stale else ""))
    if option.carriers:
        lines.append(t("pdf.route.carriers", names=", ".join(option.carriers)))
    if option.destinations:
        lines.append(t("pdf.route.destinations", names=", ".join(option.destinations)))
    for line in lines:
        doc.text_block(line, size=SMALL + 1, indent=indent)
    doc.set_y(max(doc.get_y(), top + 8) + 1.5)
    for reason in option.reasons:
        _reason(doc, reason, indent=indent)
    doc.ln(5)


def _own(option: RouteOption) -> list[str]:
    """ "added by you" (and "no source given") for a route the person added: never curated."""
    if not option.added_by_user:
        return []
    return [t("pdf.route.added_by_user")] + ([t("pdf.route.unsourced")] if option.unsourced else [])


def _passports(option: RouteOption) -> str:
    if option.exit_passport is None and option.entry_passport is None:
        return t("pdf.route.passports.none")
    exit_p = (
        t("pdf.route.passport", code=option.exit_passport)
        if option.exit_passport
        else t("pdf.route.passport.none")
    )
    entry_p = (
        t("pdf.route.passport", code=option.entry_passport)
        if option.entry_passport
        else t("pdf.route.passport.none")
    )
    return t("pdf.route.passports", exit=exit_p, entry=entry_p)


def _travel_line(option: RouteOption) -> str:
    parts = []
    if option.distance_km is not None:
        approximate = f" ({t('route.approximate')})" if option.approximate else ""
        parts.append(format_km(option.distance_km) + approximate)
    if option.hours is not None:
        parts.append(t("pdf.route.hours", hours=format_hours(option.hours)))
    if option.wait_hours is not None:
        when = [format_date(option.wait_as_of)]
        if option.wait_source_type:
            when.append(_label("pdf.wait_source", option.wait_source_type))
        parts.append(
            t("pdf.route.wait", hours=format_hours(option.wait_hours), when=", ".join(when))
        )
    else:
        parts.append(t("pdf.route.wait.none"))
    return " · ".join(parts)


def _reason(doc: Document, reason: Reason, *, indent: float, with_source: bool = True) -> None:
    doc.keep(SMALL_LINE * 3)  # a reason and its source on the same page
    tags = [format_date(reason.as_of)]
    if reason.confidence in ("unverified", "low"):
        tags.append(t(f"pdf.confidence.{reason.confidence}"))
    if reason.stale:
        tags.append(t("pdf.stale"))
    label = t(f"pdf.effect.{reason.effect}")
    doc.text_block(
        t("pdf.reason", effect=label, text=reason.text, tags=", ".join(tags)),
        size=SMALL + 1,
        indent=indent,
        bold=reason.effect == "blocks",
    )
    if with_source and reason.source_url:
        doc.text_block(reason.source_url, size=SMALL - 0.5, colour=GREY, indent=indent + 3)
    doc.ln(0.8)


# ---------------------------------------------------------------------- risks


def _risks(doc: Document, plan: Plan) -> None:
    doc.heading(t("pdf.risks.title"))
    if not plan.risks:
        doc.text_block(t("pdf.risks.none"), colour=GREY)
    for risk in plan.risks:
        doc.keep(25)
        top = doc.get_y()
        doc.badge(risk.severity, t(f"pdf.severity.{risk.severity}"), width=22, height=7, size=9)
        doc.set_xy(doc.l_margin, top)
        doc.text_block(risk.title, size=BODY + 1, bold=True, indent=26)
        doc.text_block(risk.text, indent=26)
        tags = [format_date(risk.as_of)]
        if risk.confidence in ("unverified", "low"):
            tags.append(t(f"pdf.confidence.{risk.confidence}"))
        if risk.stale:
            tags.append(t("pdf.stale"))
        doc.text_block(", ".join(tags), size=SMALL, colour=GREY, indent=26)
        doc.text_block(risk.source_url, size=SMALL - 0.5, colour=GREY, indent=26)
        doc.set_y(max(doc.get_y(), top + 7))
        doc.ln(3)


# ---------------------------------------------------------------------- checklist


def _checklist(doc: Document, items: Sequence[ChecklistItem], ticked: frozenset[str]) -> None:
    doc.heading(t("pdf.checklist.title", n=len(items)))
    doc.text_block(t("pdf.checklist.note"), size=SMALL, colour=GREY, after=1)
    categories = [c for c in CATEGORY_ORDER if any(i.category == c for i in items)]
    categories += list(dict.fromkeys(i.category for i in items if i.category not in categories))
    for category in categories:
        group = sorted((i for i in items if i.category == category), key=lambda i: i.priority)
        label = _label("pdf.category", category)
        doc.heading(f"{label} ({len(group)})", level=3, keep=18)
        for item in group:
            _checklist_item(doc, item, item.id in ticked, with_reason=True)


def _checklist_item(
    doc: Document, item: ChecklistItem, ticked: bool, *, with_reason: bool, brief: bool = False
) -> None:
    """A tick box, the task (bold if it is priority 1), then its priority and why."""
    doc.keep(LINE * 2 + (SMALL_LINE if with_reason else 0))
    doc.set_x(doc.l_margin)
    doc.tick_box(ticked)
    doc.set_x(doc.l_margin)
    doc.text_block(item.text, indent=8, bold=item.priority == 1)
    key = f"pdf.priority.{item.priority}"
    priority = t(key) if has(key) else t("pdf.priority.other", n=item.priority)
    if with_reason:
        doc.text_block(
            t("pdf.checklist.why", priority=priority, reason=item.reason),
            size=SMALL + 0.5,
            colour=GREY,
            indent=8,
        )
    elif not brief:
        doc.text_block(priority, size=SMALL, colour=GREY, indent=8)
    doc.ln(2)


# ---------------------------------------------------------------------- contacts, sources


def _contacts(doc: Document, plan: Plan) -> None:
    doc.heading(t("pdf.contacts.title"))
    if not plan.contacts:
        doc.text_block(t("pdf.contacts.none"), colour=GREY)
    for contact in plan.contacts:
        doc.keep(20)
        doc.text_block(contact.label, size=BODY + 0.5, bold=True)
        if contact.phone:
            doc.text_block(t("pdf.contacts.phone", phone=contact.phone), size=H3, bold=True)
        for key, value in (
            ("email", contact.email),
            ("url", contact.url or ""),
            ("address", contact.address),
        ):
            if value:
                doc.text_block(t(f"pdf.contacts.{key}", value=value), size=SMALL + 1)
        doc.text_block(t("pdf.as_of", date=format_date(contact.as_of)), size=SMALL, colour=GREY)
        doc.ln(3)


def _sources(doc: Document, plan: Plan) -> None:
    doc.heading(t("pdf.sources.title", n=len(plan.sources)))
    for n, source in enumerate(plan.sources, 1):
        doc.keep(SMALL_LINE * 2)
        top = doc.get_y()
        doc.text_block(f"{n}.", size=SMALL)
        doc.set_y(top)
        date = t("pdf.as_of", date=format_date(source.as_of)) if source.as_of else t("date.unknown")
        doc.text_block(t("pdf.sources.line", url=source.url, date=date), size=SMALL, indent=8)
        doc.ln(0.6)
    if plan.method:
        doc.ln(3)
        doc.text_block(t("pdf.method", text=plan.method), size=SMALL, colour=GREY)


# ---------------------------------------------------------------------- names


def _source_name(key: str) -> str:
    return _label("pdf.source", key)


def _label(prefix: str, value: str | int) -> str:
    """The catalog's label for a code, or the code itself if the catalog lacks it."""
    key = f"{prefix}.{value}"
    return t(key) if has(key) else str(value)


def _place_name(plan: Plan) -> str:
    place = plan.location
    assert place is not None
    if place.local_name and place.local_name != place.name:
        return f"{place.name} ({place.local_name})"
    return place.name


__all__ = ["render_pdf", "ordered_routes", "urgent_items", "without_personal_notes"]
