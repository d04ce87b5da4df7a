"""A plan fit for a paper "without personal details": nothing that reveals the traveler's sex,
age, military status, health or family, on any route, in any shared section or change.

The core marks what it said only because of such details (`personal` on reasons, risk notes
and checklist items); the PDF leaves those out, and a route they block keeps its verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from planner.export.wording import STRENGTH
from planner.messages import t
from planner.models import Plan, Reason, RouteOption, SharedGroup

M = TypeVar("M", RouteOption, SharedGroup)

# Notes of these categories concern military service whatever their conditions say.
PERSONAL_RISKS = frozenset({"conscription"})
PERSONAL_ITEMS = frozenset({"military"})


def without_personal_notes(plan: Plan) -> Plan:
    """The plan without what only applies because of the traveler's sex, age, military
    status, health or family: such risk notes and checklist items are left out, and such
    reasons, on a route or in a shared section, become one neutral line with the same
    effect, so each verdict still reads as it is. A notice says how many were withheld.

    The neutral line reads the same everywhere, so a route whose personal reasons were in a
    shared section (the exit rules) still points to that section and not to a fact of its own.
    """
    risks = tuple(r for r in plan.risks if not (r.personal or r.category in PERSONAL_RISKS))
    items = tuple(i for i in plan.checklist if not (i.personal or i.category in PERSONAL_ITEMS))
    withheld: set[str] = set()
    routes = _neutralised(plan.routes, withheld)
    shared = _neutralised(plan.shared, withheld)
    # A personal change is news of a rule or reason counted here already: not counted again.
    changes = tuple(c for c in plan.changes if not c.personal)
    left_out = len(plan.risks) - len(risks) + len(plan.checklist) - len(items) + len(withheld)
    notices = plan.notices
    if left_out:
        notices = (*notices, t("pdf.personal.left_out", count=left_out))
    refs = {r.source_url for o in routes for r in o.reasons} | {r.source_url for r in risks}
    refs |= {r.source_url for g in shared for r in g.reasons}
    refs |= {i.source_url for i in items} | {c.source_url for c in plan.contacts}
    refs |= {n.source_url for c in plan.contacts for n in c.notes}
    refs |= {a.url for a in plan.advisories} | {a.source_url for a in plan.alerts}
    refs |= {c.source_url for c in changes}
    sources = tuple(s for s in plan.sources if s.url in refs)
    return plan.model_copy(
        update={
            "routes": tuple(routes),
            "shared": tuple(shared),
            "risks": risks,
            "checklist": items,
            "changes": changes,
            "notices": notices,
            "sources": sources,
        }
    )


def _neutralised(items: Sequence[M], withheld: set[str]) -> list[M]:
    """Routes or shared sections with their personal reasons made neutral (`_neutral`);
    the texts withheld are added to `withheld`."""
    out = []
    for item in items:
        reasons, mine = _neutral(item.reasons)
        if mine:
            withheld.update(mine)
            item = item.model_copy(update={"reasons": reasons})
        out.append(item)
    return out


def _neutral(reasons: tuple[Reason, ...]) -> tuple[tuple[Reason, ...], set[str]]:
    """The reasons with the personal ones made one neutral line of their strongest effect,
    strongest first, and the texts withheld."""
    mine = [r for r in reasons if r.personal]
    if not mine:
        return reasons, set()
    effect = min((r.effect for r in mine), key=STRENGTH.__getitem__)
    about = mine[0].about if len({r.about for r in mine}) == 1 else "note"
    neutral = Reason(text=t("pdf.personal.reason"), effect=effect, personal=False, about=about)
    kept = [r for r in reasons if not r.personal]
    return tuple(sorted([neutral, *kept], key=lambda r: STRENGTH[r.effect])), {r.text for r in mine}
