"""The checklist in print: the section of the full PDF, and the checklist-only PDF (one or two
pages for the fridge door and the pocket: the tasks with tick boxes, the plan's date and
country, the best three routes in a line each and the emergency numbers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from planner.checklist import CATEGORY_ORDER
from planner.export.layout import (
    BODY,
    FINE,
    GREY,
    H2,
    LINE,
    SMALL,
    SMALL_LINE,
    Cell,
    Document,
    plan_document,
)
from planner.export.outline import Outline, ordered_routes
from planner.export.private import without_personal_notes
from planner.export.wording import label
from planner.messages import format_date, format_datetime, format_hours, has, t
from planner.models import ChecklistItem, Contact, Plan, RouteOption

TOP_ROUTES = 3


def checklist_section(
    doc: Document, items: Sequence[ChecklistItem], ticked: frozenset[str], out: Outline
) -> None:
    """Every task with a tick box, by category, most urgent first, each with why and where
    that comes from."""
    doc.heading(t("pdf.checklist.title", n=len(items)))
    doc.text_block(t("pdf.checklist.note"), size=SMALL, colour=GREY, after=1)
    for category, group in by_category(items):
        category_heading(doc, f"{label('pdf.category', category)} ({len(group)})")
        for item in group:
            cite = out.cite(item.source_url)
            checklist_item(doc, item, item.id in ticked, why=True, cite=cite, size=BODY - 1)


def category_heading(doc: Document, text: str) -> None:
    """A category's name over its tasks, kept with the first of them."""
    doc.keep(22)
    doc.ln(1)
    doc.text_block(text, size=BODY, bold=True, after=0.6)


def by_category(items: Iterable[ChecklistItem]) -> list[tuple[str, list[ChecklistItem]]]:
    """The items by category in the checklist's category order (unknown ones after), each
    category most urgent first."""
    items = list(items)
    categories = [c for c in CATEGORY_ORDER if any(i.category == c for i in items)]
    categories += list(dict.fromkeys(i.category for i in items if i.category not in categories))
    return [
        (c, sorted((i for i in items if i.category == c), key=lambda i: i.priority))
        for c in categories
    ]


def checklist_item(
    doc: Document,
    item: ChecklistItem,
    ticked: bool,
    *,
    why: bool,
    brief: bool = False,
    cite: str = "",
    size: float = BODY,
) -> None:
    """A tick box, the task (bold if it is priority 1), then its priority and, with `why`,
    the reason for it."""
    doc.keep(LINE * 2 + (SMALL_LINE if why else 0))
    doc.set_x(doc.l_margin)
    doc.tick_box(ticked)
    doc.set_x(doc.l_margin)
    doc.text_block(item.text, size=size, indent=8, bold=item.priority == 1)
    key = f"pdf.priority.{item.priority}"
    priority = t(key) if has(key) else t("pdf.priority.other", n=item.priority)
    if why:
        when = f"pdf.when.{item.priority}"  # short: it prints under every task
        line = t(
            "pdf.checklist.why", priority=t(when) if has(when) else priority, reason=item.reason
        )
        doc.text_block(f"{line} {cite}".strip(), size=FINE - 0.5, colour=GREY, indent=8)
    elif not brief:
        doc.text_block(priority, size=SMALL, colour=GREY, indent=8)
    doc.ln(1.4 if why else 1.6)


# ---------------------------------------------------------------------- checklist only


def render_checklist_pdf(
    plan: Plan,
    *,
    paper: str = "a4",
    personal: bool = True,
    ticked: frozenset[str] = frozenset(),
) -> bytes:
    """The checklist alone as PDF bytes: what to print for the fridge door and the pocket.

    The tasks with tick boxes (no reasons: the full plan has them), the plan's date and
    country, the best three routes in one line each, and the emergency numbers.
    `personal=False` leaves out what `without_personal_notes` leaves out of the full plan.
    """
    if not personal:
        plan = without_personal_notes(plan)
    doc = plan_document(
        paper,
        title=t("pdf.meta.checklist_title", country=plan.departure_country_name),
        footer=t("pdf.footer.text", generated=format_datetime(plan.generated)),
        created=plan.generated,
    )
    doc.add_page()
    doc.text_block(t("pdf.only.title", country=plan.departure_country_name), size=H2 + 1, bold=True)
    subtitle = t("pdf.subtitle", date=format_date(plan.as_of))
    if personal and plan.location is not None:
        subtitle += " · " + t("pdf.from_place", place=plan.location.name)
    if plan.headline is not None and plan.headline.level:
        subtitle += " · " + t("pdf.level", level=plan.headline.level)
        if plan.headline.leave_now:
            subtitle += " · " + t("pdf.headline.leave_now")
    doc.text_block(subtitle, size=BODY, colour=GREY, after=2)
    _best_routes(doc, ordered_routes(plan.routes)[:TOP_ROUTES])
    _numbers(doc, plan.contacts)
    doc.heading(t("pdf.checklist.title", n=len(plan.checklist)), keep=20)
    doc.text_block(t("pdf.checklist.note"), size=SMALL, colour=GREY, after=1)
    for category, group in by_category(plan.checklist):
        category_heading(doc, f"{label('pdf.category', category)} ({len(group)})")
        for item in group:
            checklist_item(doc, item, item.id in ticked, why=False, brief=True, size=BODY - 0.5)
    doc.ln(2)
    doc.text_block(t("pdf.only.more"), size=SMALL, colour=GREY)
    return bytes(doc.output())


def _best_routes(doc: Document, routes: list[RouteOption]) -> None:
    doc.heading(t("pdf.top_routes.title", n=len(routes)), keep=20)
    if not routes:
        doc.text_block(t("pdf.routes.none"), after=2)
        return
    widths = [6, 18, doc.epw - 24]
    for n, option in enumerate(routes, 1):
        doc.table_row(
            [
                Cell(f"{n}.", bold=True),
                Cell(t(f"pdf.verdict.{option.verdict}"), badge=option.verdict),
                Cell(_route_line(option)),
            ],
            widths,
            size=SMALL + 0.5,
            rule=False,
        )


def _route_line(option: RouteOption) -> str:
    """ "Upper Lars – Dariali → Georgia · RU → US · 26 h + wait 2 days"."""
    parts = [t("pdf.only.route", name=option.name, country=option.to_country_name)]
    if option.exit_passport or option.entry_passport:
        parts.append(
            t(
                "pdf.only.passports",
                exit=option.exit_passport or "—",
                entry=option.entry_passport or "—",
            )
        )
    else:
        parts.append(t("pdf.route.passports.none"))
    if option.hours is not None:
        parts.append(t("pdf.route.hours", hours=format_hours(option.hours)))
    if option.wait_hours is not None:
        parts.append(t("pdf.only.wait", hours=format_hours(option.wait_hours)))
    return " · ".join(parts)


def _numbers(doc: Document, contacts: Sequence[Contact]) -> None:
    """Each contact with a phone number, one line each, the number first."""
    phones = [c for c in contacts if c.phone]
    if not phones:
        return
    doc.heading(t("pdf.only.numbers"), keep=20)
    for contact in phones:
        doc.text_block(
            t("pdf.only.number", phone=contact.phone, label=contact.label), size=BODY - 0.5
        )
        doc.ln(0.8)
