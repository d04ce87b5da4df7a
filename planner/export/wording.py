"""How the printed plan words a route's facts: passports, the trip, a reason and its source.

Shared by the full PDF (pdf.py, pdf_routes.py) and the checklist-only PDF, so a route reads
the same on every paper. Every string comes from `planner.messages`; nothing here draws.
"""

from __future__ import annotations

from planner.messages import format_date, format_hours, format_km, has, t
from planner.models import Reason, RouteOption

# A gist, with its effect and source, stays under 80 characters, the length from which a
# paragraph counts as repeated text (issue 15): a table cell or a back-reference may be said
# of many routes, a whole paragraph at most twice.
GIST = 79
STRENGTH = {"blocks": 0, "caution": 1, "info": 2}


def label(prefix: str, value: str | int) -> str:
    """The catalog's label for a code, or the code itself if the catalog lacks it."""
    key = f"{prefix}.{value}"
    return t(key) if has(key) else str(value)


def gist(text: str, limit: int = GIST) -> str:
    """The text cut at a word to at most `limit` characters, with "…" if anything was cut:
    enough to recognise a fact whose whole text is printed elsewhere."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.(") + "…"


def strongest(reasons: list[Reason]) -> Reason | None:
    """The reason with the strongest effect (blocks, then caution, then note), the first of
    equals: the core lists a route's reasons in the order it weighs them."""
    return min(reasons, key=lambda r: STRENGTH[r.effect], default=None)


def passports(option: RouteOption) -> str:
    """ "Exit: show RU passport → Entry: show US passport", or that none gets through."""
    if option.exit_passport is None and option.entry_passport is None:
        return t("pdf.route.passports.none")
    return t(
        "pdf.route.passports",
        exit=_passport(option.exit_passport),
        entry=_passport(option.entry_passport),
    )


def passport_codes(option: RouteOption) -> str:
    """ "RU → US" for a table cell; "—" for a side no passport of the person's gets through."""
    if option.exit_passport is None and option.entry_passport is None:
        return t("pdf.table.no_passport")
    return t(
        "pdf.table.passports",
        exit=option.exit_passport or "—",
        entry=option.entry_passport or "—",
    )


def _passport(code: str | None) -> str:
    return t("pdf.route.passport", code=code) if code else t("pdf.route.passport.none")


def travel_line(option: RouteOption) -> str:
    """Distance, travel time and the reported wait with its date and kind of report."""
    parts = []
    if option.distance_km is not None:
        approximate = f" ({t('route.approximate')})" if option.approximate else ""
        parts.append(format_km(option.distance_km) + approximate)
    if option.hours is not None:
        parts.append(t("pdf.route.hours", hours=format_hours(option.hours)))
    if option.wait_hours is not None:
        parts.append(t("pdf.route.wait", hours=format_hours(option.wait_hours), when=_when(option)))
    else:
        parts.append(t("pdf.route.wait.none"))
    return " · ".join(parts)


def _when(option: RouteOption) -> str:
    when = [format_date(option.wait_as_of)]
    if option.wait_source_type:
        when.append(label("pdf.wait_source", option.wait_source_type))
    return ", ".join(when)


def own_marks(option: RouteOption) -> list[str]:
    """ "added by you" (and "no source given") for a route the person added: never curated."""
    if not option.added_by_user:
        return []
    return [t("pdf.route.added_by_user")] + ([t("pdf.route.unsourced")] if option.unsourced else [])


def reason_line(reason: Reason, source: str = "") -> str:
    """ "▲ Caution: text (26 Sep 2022, unverified) [12]": effect, text, date, how sure, where."""
    tags = [format_date(reason.as_of)]
    if reason.confidence in ("unverified", "low"):
        tags.append(t(f"pdf.confidence.{reason.confidence}"))
    if reason.stale:
        tags.append(t("pdf.stale"))
    line = t(
        "pdf.reason",
        effect=t(f"pdf.effect.{reason.effect}"),
        text=reason.text,
        tags=", ".join(tags),
    )
    return f"{line} {source}" if source else line
