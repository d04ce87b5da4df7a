"""The checklist in print: every task with a tick box, by category, most urgent first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from planner.checklist import CATEGORY_ORDER
from planner.export.layout import (
    BODY,
    FINE,
    GREY,
    LINE,
    SMALL,
    SMALL_LINE,
    Document,
)
from planner.export.outline import Outline
from planner.export.wording import label
from planner.messages import has, t
from planner.models import ChecklistItem


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
