"""The printed plan: a PDF a frightened person can act on with no phone and no network.

In the order people use it (issue 15): page 1 stands alone (advice, alerts, best three
routes, the five most urgent tasks); then the checklist with tick boxes; all routes as a
compact table; details for the top routes (and any the person added or starred); the facts
several routes share, each said once; the government advice; risks; contacts; and every
source once, numbered, so a fact prints "[12]" instead of its URL. `full=True` prints a
details card for every route. Every string comes from `planner.messages`; this module only
reads the Plan, it decides nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.alerts import first_sentence
from planner.changes import DEFAULT_DAYS, subjects
from planner.export.layout import (
    BODY,
    FINE,
    FONT,
    GREY,
    H1,
    H3,
    SMALL,
    SMALL_LINE,
    Cell,
    Document,
    leading,
    plan_document,
)
from planner.export.outline import Outline, ordered_routes, outline
from planner.export.pdf_checklist import checklist_item, checklist_section, render_checklist_pdf
from planner.export.pdf_routes import (
    reason_again,
    route_details,
    routes_table,
    shared_sections,
)
from planner.export.private import without_personal_notes
from planner.export.wording import (
    label,
    own_marks,
    passports,
    reason_line,
    strongest,
    travel_line,
)
from planner.grouping import key
from planner.messages import format_date, format_datetime, t
from planner.models import ChecklistItem, Plan, RouteOption, Traveler
from planner.routes import country_name

TOP_ROUTES = 3
URGENT_ITEMS = 5
# What page 1 leaves out, one more thing at each density, the least needed first, until it
# fits on one page: the notes on the data (in full in the advice section), the priority line
# under each task, the second alert, the routes' local names, the entry rule (the passports
# line says which passport), the reason under each route, room around the routes, and the
# fifth and fourth urgent tasks (the whole checklist starts on page 2).
SPARE = (
    "notices",
    "priorities",
    "second_alert",
    "local_names",
    "entry_rule",
    "main_reason",
    "compact",
    "fifth_task",
    "fourth_task",
)
DENSEST = len(SPARE)


def render_pdf(
    plan: Plan,
    *,
    paper: str = "a4",
    personal: bool = True,
    ticked: frozenset[str] = frozenset(),
    starred: Iterable[str] = (),
    full: bool = False,
) -> bytes:
    """The plan as PDF bytes on A4 or Letter paper.

    `personal=False` leaves out age, sex, military status, health, family, citizenships and
    location, and every note chosen by them (`without_personal_notes`); the verdicts and the
    passport to show per route stay: they are the advice. `ticked` checklist ids print ticked.
    Details cards go to the best five routes, every route the person added, and the route ids
    in `starred`; with `full`, to every route (the short default keeps each route's key
    reason in the table and its shared facts in their sections).
    """
    if not personal:
        plan = without_personal_notes(plan)
    out = outline(plan, starred=starred, full=full)
    # Page 1 must stand alone: if it spills over, start again with a denser page 1. Only
    # page 1 has been drawn when we check, and fonts are cached, so a retry is cheap.
    for density in range(DENSEST + 1):
        doc = _new_document(plan, paper)
        doc.add_page()
        _first_page(doc, plan, out, personal=personal, ticked=ticked, density=density)
        if doc.page == 1:
            break
    doc.add_page()
    _recent_changes(doc, plan, out)
    checklist_section(doc, plan.checklist, ticked, out)
    routes_table(doc, plan, out)
    route_details(doc, plan, out)
    shared_sections(doc, plan, out)
    _advisories(doc, plan, out)
    _risks(doc, plan, out)
    _contacts(doc, plan, out)
    _sources(doc, plan, out)
    return bytes(doc.output())


def _new_document(plan: Plan, paper: str) -> Document:
    return plan_document(
        paper,
        title=t("pdf.meta.title", country=plan.departure_country_name),
        footer=t("pdf.footer.text", generated=format_datetime(plan.generated)),
        created=plan.generated,
    )


def urgent_items(items: Iterable[ChecklistItem], n: int = URGENT_ITEMS) -> list[ChecklistItem]:
    """The `n` most urgent items: lowest priority number first, then the core's order."""
    return sorted(items, key=lambda item: item.priority)[:n]


# ---------------------------------------------------------------------- page 1


def _first_page(
    doc: Document,
    plan: Plan,
    out: Outline,
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
    spare = frozenset(SPARE[:density])

    _headline(doc, plan)
    _alerts(doc, plan, out, brief=True, one="second_alert" in spare)
    if "notices" not in spare or len(plan.notices) <= 1:
        _notices(doc, plan)
    else:  # a crowded page 1 points to them (they are all in the advice section)
        doc.text_block(t("pdf.notices.see", n=len(plan.notices)), size=SMALL + 0.5, colour=GREY)
    if personal:
        doc.text_block(_traveler_line(plan.traveler), size=SMALL + 0.5, colour=GREY)

    routes = out.routes
    doc.heading(t("pdf.top_routes.title", n=min(TOP_ROUTES, len(routes))), keep=40)
    doc.text_block(t("pdf.verdict.legend"), size=SMALL, colour=GREY, after=2.5)
    if not routes:
        doc.text_block(t("pdf.routes.none"), after=2)
    said: dict[tuple[str, str | None], int] = {}
    for option in routes[:TOP_ROUTES]:
        _top_route(doc, option, out, spare, said)

    doc.heading(t("pdf.urgent.title"), keep=30)
    urgent = urgent_items(plan.checklist, URGENT_ITEMS - len(spare & {"fifth_task", "fourth_task"}))
    for item in urgent:
        checklist_item(doc, item, item.id in ticked, why=False, brief="priorities" in spare)
    doc.text_block(t("pdf.urgent.more", n=len(plan.checklist)), size=SMALL, colour=GREY)


def _top_route(
    doc: Document,
    option: RouteOption,
    out: Outline,
    spare: frozenset[str],
    said: dict[tuple[str, str | None], int],
) -> None:
    """A route on page 1: verdict, names, passports, the trip in one line, the main reason."""
    compact = "compact" in spare
    badge = 9 if compact else 11
    top = doc.get_y()
    verdict = t(f"pdf.verdict.{option.verdict}")
    doc.badge(option.verdict, verdict, width=31, height=badge, size=13 if compact else 14)
    doc.set_xy(doc.l_margin, top)
    indent = 35
    doc.text_block(option.name, size=H3 if compact else H3 + 1, bold=True, indent=indent)
    if "local_names" not in spare and option.name_local and option.name_local != option.name:
        doc.text_block(option.name_local, size=BODY, indent=indent)
    doc.text_block(passports(option), bold=True, indent=indent)
    trip = [t("pdf.route.to", country=option.to_country_name), t(f"pdf.kind.{option.kind}")]
    trip += own_marks(option)
    doc.text_block(" · ".join([*trip, travel_line(option)]), size=SMALL + 1, indent=indent)
    if "entry_rule" not in spare and option.entry_requirement:
        doc.text_block(
            t("pdf.route.entry", text=option.entry_requirement), size=SMALL + 1, indent=indent
        )
    if "main_reason" not in spare:
        main = _main_reason(option, out, said)
        if main:
            doc.text_block(main, size=SMALL + 1, indent=indent, bold=main.startswith("✖"))
    doc.set_y(max(doc.get_y(), top + badge))
    doc.ln(2 if compact else 3.5)


def _main_reason(option: RouteOption, out: Outline, said: dict[tuple[str, str | None], int]) -> str:
    """Why the verdict, in a line or two: the route's strongest reason, its own or a shared
    one; one already given for a route above is named, not repeated (the shared section
    says it once more, and no more)."""
    main = strongest(list(option.reasons))
    if main is None or main.effect == "info":
        return ""
    earlier = said.setdefault(key(main), out.number(option))
    if earlier != out.number(option):
        return reason_again(main, earlier)
    return reason_line(main, out.cite(main.source_url))


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
    if traveler.residences:
        parts.append(t("pdf.traveler.resident", codes=", ".join(traveler.residences)))
    if traveler.family_of:
        parts.append(t("pdf.traveler.family", codes=", ".join(traveler.family_of)))
    return t("pdf.traveler.line", details=" · ".join(parts))


# ---------------------------------------------------------------------- page 2


def _recent_changes(doc: Document, plan: Plan, out: Outline) -> None:
    """What changed for this traveler in the days up to the plan date, at the top of page 2
    in a few one-line entries (the weightiest, newest day first), each with its date and
    source: the paper stays within its pages; the app and the CLI list them all in full."""
    doc.heading(t("pdf.changes.title", days=DEFAULT_DAYS), level=3, keep=20)
    if not out.changes:
        doc.text_block(t("pdf.changes.none", days=DEFAULT_DAYS), size=SMALL, colour=GREY)
    for group in out.changes:
        first = group[0]  # a turned verdict's text begins "GO → CAUTION: why"
        head = f"{format_date(first.date)} · {t(f'changes.kind.{first.kind}')} · {subjects(group)}"
        line = _one_line(doc, f"{head}: {first_sentence(first.text)}", out.cite(first.source_url))
        doc.text_block(line, size=SMALL)
    if out.changes_left:
        doc.text_block(t("pdf.changes.more", n=out.changes_left), size=SMALL, colour=GREY)
    doc.ln(1)


def _one_line(doc: Document, text: str, tail: str) -> str:
    """`text` cut to one printed line (at a word, with "…") so that `tail` still fits."""
    doc.set_font(FONT, "", SMALL)
    width = doc.epw - doc.get_string_width(f" … {tail}")
    rows = doc.wrap(text, width)
    return f"{rows[0]}{' …' if len(rows) > 1 else ''} {tail}".strip()


# ---------------------------------------------------------------------- advisories


def _alerts(doc: Document, plan: Plan, out: Outline, *, brief: bool, one: bool = False) -> None:
    """The alerts in force on the plan date, newest first: on page 1 the newest one or two
    (`one`, on a crowded page), in the advice section all of them."""
    if not plan.alerts:
        return
    doc.heading(t("alerts.title", date=format_date(plan.as_of)), level=3, keep=20)
    shown = plan.alerts[: (1 if one else 2)] if brief else plan.alerts
    for alert in shown:
        doc.keep(SMALL_LINE * 3)
        who = f"{country_name(alert.issuer)} · " if alert.issuer else ""
        tags = [format_date(alert.as_of)]
        if alert.confidence in ("unverified", "low", "medium"):
            tags.append(label("pdf.confidence", alert.confidence))
        text = first_sentence(alert.text) if brief else alert.text
        line = f"! {who}{text} ({', '.join(tags)}) {out.cite(alert.source_url)}"
        doc.text_block(line.strip(), size=SMALL + 1 if brief else FINE, bold=brief)
        doc.ln(0.8 if brief else 0.5)
    if len(plan.alerts) > len(shown):
        more = len(plan.alerts) - len(shown)
        doc.text_block(t("alerts.more", n=more), size=SMALL, colour=GREY)
    doc.ln(1.5)


def _notices(doc: Document, plan: Plan) -> None:
    for notice in plan.notices:
        doc.text_block("• " + notice, size=SMALL + 0.5, colour=GREY)


def _advisories(doc: Document, plan: Plan, out: Outline) -> None:
    """Every government's advice as it stood on the plan date (in force or too old), each
    with its date, origin and source. Advice dated after the plan date does not count: the
    short plan says how much there is, the full plan lists it."""
    from planner.advisories.history import IN_FORCE_DAYS  # the threshold the note states

    doc.heading(t("pdf.advisories.title"))
    _alerts(doc, plan, out, brief=False)
    for notice in plan.notices:
        doc.text_block("• " + notice, size=FINE - 0.5, colour=GREY)
    doc.ln(1.5)
    rows = [a for a in plan.advisories if out.full or not a.after_plan_date]
    if not plan.advisories:
        doc.text_block(t("pdf.advisories.none"), colour=GREY)
        return
    columns = ("source", "level", "label", "date", "origin", "state")
    widths = _advice_widths(doc)
    doc.table_row([Cell(t(f"pdf.advisories.col.{c}"), bold=True) for c in columns], widths)
    for adv in rows:
        state = "after" if adv.after_plan_date else "unjudged"
        if not adv.after_plan_date and adv.in_force is not None:
            state = "in_force" if adv.in_force else "not_in_force"
        text = adv.label
        if adv.level_since:
            text += f" ({t('pdf.advisories.since', date=format_date(adv.level_since))})"
        if adv.confidence in ("medium", "low", "unverified"):
            text += f" [{label('pdf.confidence', adv.confidence)}]"
        cells = [
            f"{_source_name(adv.source)} {out.cite(adv.url)}".strip(),
            str(adv.level) if adv.level else "?",
            text,
            format_date(adv.updated),
            label("pdf.origin", adv.origin),
            t(f"pdf.state.{state}"),
        ]
        doc.table_row([Cell(c) for c in cells], widths, size=FINE)
    doc.ln(1.5)
    newer = len(plan.advisories) - len(rows)
    if newer:
        doc.text_block(t("pdf.advisories.newer", n=newer), size=FINE, colour=GREY)
    for adv in plan.advisories:
        if adv.after_plan_date:
            continue  # newer than the plan: its date and level are in the table, enough
        for note in (adv.summary, *adv.regional_notes):
            if note:
                doc.text_block(f"{_source_name(adv.source)}: {note}", size=FINE - 0.5)
    notes = [t("pdf.advisories.origin_note")]
    notes.append(t("pdf.advisories.state_note", years=IN_FORCE_DAYS // 365))
    doc.text_block(" ".join(notes), size=FINE - 0.5, colour=GREY)


# ---------------------------------------------------------------------- risks


def _advice_widths(doc: Document) -> list[float]:
    widths = [42, 10, 0, 20, 20, 24]
    widths[2] = doc.epw - sum(widths)
    return widths


def _risks(doc: Document, plan: Plan, out: Outline) -> None:
    doc.heading(t("pdf.risks.title"))
    if not plan.risks:
        doc.text_block(t("pdf.risks.none"), colour=GREY)
    for risk in plan.risks:
        doc.keep(16)
        top = doc.get_y()
        doc.badge(risk.severity, t(f"pdf.severity.{risk.severity}"), width=18, height=5, size=8)
        doc.set_xy(doc.l_margin, top)
        doc.text_block(risk.title, size=BODY - 0.5, bold=True, indent=21)
        doc.set_y(max(doc.get_y(), top + 5))
        tags = [format_date(risk.as_of)]
        if risk.confidence in ("unverified", "low"):
            tags.append(t(f"pdf.confidence.{risk.confidence}"))
        if risk.stale:
            tags.append(t("pdf.stale"))
        text = f"{risk.text} ({', '.join(tags)}) {out.cite(risk.source_url)}"
        doc.text_block(text.strip(), size=FINE, indent=4)
        doc.ln(1.8)


# ---------------------------------------------------------------------- contacts, sources


def _contacts(doc: Document, plan: Plan, out: Outline) -> None:
    """Each contact: its name and phone number in one bold line, then how else to reach it."""
    doc.heading(t("pdf.contacts.title"))
    if not plan.contacts:
        doc.text_block(t("pdf.contacts.none"), colour=GREY)
    for contact in plan.contacts:
        doc.keep(12)
        parts = [
            t(f"pdf.contacts.{name}", value=value)
            for name, value in (
                ("email", contact.email),
                ("url", contact.url or ""),
                ("address", contact.address),
            )
            if value
        ]
        date = t("pdf.as_of", date=format_date(contact.as_of))
        cite = out.cite(contact.source_url)
        if not contact.phone:
            doc.text_block(contact.label, size=BODY, bold=True)
        elif not parts:  # an emergency number: the number, what it is for, its date
            head = t("pdf.contacts.head", label=contact.label, phone=contact.phone)
            doc.text_block(f"{head} ({date}) {cite}".strip(), size=BODY, bold=True)
            doc.ln(1)
            continue
        else:
            head = t("pdf.contacts.head", label=contact.label, phone=contact.phone)
            doc.text_block(head, size=BODY, bold=True)
        doc.text_block(f"{' · '.join([*parts, date])} {cite}".strip(), size=FINE)
        doc.ln(1)


def _sources(doc: Document, plan: Plan, out: Outline) -> None:
    """Every source once, numbered as the facts cite them."""
    doc.heading(t("pdf.sources.title", n=len(out.sources)))
    size = FINE - 1  # footnote size: looked up, rarely typed
    for n, source in enumerate(out.sources, 1):
        doc.keep(leading(size) * 2)
        top = doc.get_y()
        doc.text_block(t("pdf.cite", n=n), size=size, bold=True)
        doc.set_y(top)
        date = t("pdf.as_of", date=format_date(source.as_of)) if source.as_of else t("date.unknown")
        doc.text_block(t("pdf.sources.line", url=source.url, date=date), size=size, indent=8)
    if plan.method:
        doc.ln(2)
        doc.text_block(t("pdf.method", text=plan.method), size=FINE, colour=GREY)


# ---------------------------------------------------------------------- names


def _source_name(source: str) -> str:
    return label("pdf.source", source)


def _place_name(plan: Plan) -> str:
    place = plan.location
    assert place is not None
    if place.local_name and place.local_name != place.name:
        return f"{place.name} ({place.local_name})"
    return place.name


__all__ = [
    "render_pdf",
    "render_checklist_pdf",
    "ordered_routes",
    "urgent_items",
    "without_personal_notes",
]
