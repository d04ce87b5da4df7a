"""The people of the load test, and what the core says each of their pages must show.

Forty different people leaving Russia, Ukraine and Israel: every place and every plan date is
used once, so the "Found: <place>" line and the caption that names the plan date mark one
session alone; citizenships, sex and age vary so passport lines, routes and checklists differ
too. One Ukrainian man of military age in spring 2022 has no way out at all (martial law),
next to people who have several. The expected page comes from `build_plan`, called as the
page calls it, so a page that shows another session's results differs from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.advisories.report import AdvisoryReport

# The multiselect's and the departure picker's label for each country used here.
NAMES = {
    "AM": "Armenia",
    "DE": "Germany",
    "FR": "France",
    "GB": "United Kingdom",
    "GE": "Georgia",
    "IL": "Israel",
    "KZ": "Kazakhstan",
    "MD": "Moldova",
    "PL": "Poland",
    "RO": "Romania",
    "RU": "Russia",
    "UA": "Ukraine",
    "US": "United States",
}


@dataclass(frozen=True)
class Person:
    departure: str  # ISO code of the country being left
    typed: str  # the place as typed, in any script
    place: str  # the gazetteer's name for it: the page says "Found: <place>, ..."
    citizenships: tuple[str, ...]  # ISO codes, in the order chosen
    sex: str  # "male" / "female"
    age: int
    date: dt.date


def _p(dep: str, typed: str, place: str, cits: str, sex: str, age: int, date: str) -> Person:
    return Person(dep, typed, place, tuple(cits.split()), sex, age, dt.date.fromisoformat(date))


# The canonical traveler of README and BENCHMARKS: plans alone first, stays open throughout.
BASELINE = _p("RU", "Москва", "Moscow", "US RU", "male", 30, "2022-09-28")
PEOPLE = (
    _p("RU", "Казань", "Kazan", "US RU", "male", 30, "2022-09-27"),
    _p("UA", "Київ", "Kyiv", "UA", "female", 29, "2022-02-26"),
    _p("IL", "Haifa", "Haifa", "IL US", "male", 40, "2023-10-12"),
    _p("RU", "Saint Petersburg", "Saint Petersburg", "DE", "female", 45, "2022-10-05"),
    _p("UA", "Kharkiv", "Kharkiv", "UA", "male", 35, "2022-03-01"),  # no way out
    _p("RU", "Novosibirsk", "Novosibirsk", "KZ RU", "male", 22, "2022-09-22"),
    _p("IL", "Tel Aviv", "Tel Aviv", "FR", "female", 33, "2023-10-20"),
    _p("RU", "Yekaterinburg", "Yekaterinburg", "RU", "male", 27, "2022-09-24"),
    _p("UA", "Odesa", "Odesa", "UA PL", "female", 28, "2022-03-10"),
    _p("RU", "Samara", "Samara", "AM RU", "female", 31, "2022-03-05"),
    _p("IL", "ירושלים", "Jerusalem", "IL", "female", 26, "2023-11-02"),
    _p("RU", "Rostov-on-Don", "Rostov-on-Don", "GE", "male", 52, "2023-01-15"),
    _p("UA", "Lviv", "Lviv", "UA PL", "male", 61, "2022-03-03"),
    _p("RU", "Vladivostok", "Vladivostok", "RU", "female", 64, "2022-11-11"),
    _p("IL", "Eilat", "Eilat", "RU IL", "male", 47, "2024-04-14"),
    _p("RU", "Омск", "Omsk", "IL RU", "male", 19, "2022-09-30"),
    _p("UA", "Uzhhorod", "Uzhhorod", "RO UA", "female", 50, "2022-05-09"),
    _p("RU", "Krasnodar", "Krasnodar", "UA", "female", 38, "2022-04-02"),
    _p("IL", "Netanya", "Netanya", "GB IL", "female", 58, "2023-12-01"),
    _p("RU", "Perm", "Perm", "US", "male", 44, "2022-10-20"),
    # 21-40: for --sessions 40
    _p("UA", "Chernivtsi", "Chernivtsi", "US", "male", 33, "2023-06-01"),
    _p("RU", "Ufa", "Ufa", "KZ RU", "female", 36, "2022-09-23"),
    _p("IL", "Beersheba", "Beersheba", "DE", "male", 29, "2023-10-09"),
    _p("RU", "Irkutsk", "Irkutsk", "RU", "male", 24, "2022-09-21"),
    _p("UA", "Dnipro", "Dnipro", "MD UA", "male", 17, "2022-04-15"),
    _p("RU", "Murmansk", "Murmansk", "GB", "female", 41, "2022-08-08"),
    _p("IL", "Ashdod", "Ashdod", "IL FR", "male", 35, "2024-01-20"),
    _p("RU", "Volgograd", "Volgograd", "AM RU", "male", 33, "2022-10-01"),
    _p("UA", "Poltava", "Poltava", "UA", "female", 70, "2022-06-06"),
    _p("RU", "Воронеж", "Voronezh", "GE RU", "female", 27, "2023-03-08"),
    _p("IL", "Nazareth", "Nazareth", "US", "female", 62, "2024-06-30"),
    _p("RU", "Kaliningrad", "Kaliningrad", "PL", "male", 39, "2022-05-20"),
    _p("UA", "Ivano-Frankivsk", "Ivano-Frankivsk", "UA RO", "male", 59, "2022-12-24"),
    _p("RU", "Pskov", "Pskov", "RU", "female", 20, "2022-02-25"),
    _p("IL", "Tiberias", "Tiberias", "RU", "male", 51, "2025-02-10"),
    _p("RU", "Sochi", "Sochi", "DE RU", "male", 46, "2022-09-29"),
    _p("UA", "Sumy", "Sumy", "GB", "female", 34, "2022-02-24"),
    _p("RU", "Chelyabinsk", "Chelyabinsk", "KZ", "female", 55, "2024-02-02"),
    _p("IL", "Ashkelon", "Ashkelon", "IL", "male", 23, "2023-10-08"),
    _p("RU", "Tomsk", "Tomsk", "US RU", "female", 28, "2022-12-12"),
)


@dataclass(frozen=True)
class Expected:
    """What this person's page must show, worked out by the core."""

    inputs: dict[str, object]  # what each input shows once typed (see sessions._READ_PAGE)
    form_boxes: dict[str, bool]  # the form's ticked boxes: the car, a passport per citizenship
    markers: tuple[str, ...]  # lines only this person's inputs produce
    date_marker: str  # the caption naming the plan date: drawn after the summary
    summary: str  # in the summary box: the best route's name, or that none is open
    top: tuple[str, ...]  # the top cards' route names, in order
    route_columns: tuple[str, str, str]  # headers of the routes table: route, exit, entry
    rows: tuple[tuple[str, str, str], ...]  # those columns, every route in order
    advice_column: str  # the advice table's "their words" header
    advice: tuple[str, ...]  # that column, government by government
    checklist: frozenset[str]  # each item's text
    tick: str  # the item this person ticks

    @staticmethod
    def date_marker_for(date: dt.date) -> str:
        from planner.messages import format_date, t

        return t("app.adv.dated_caption", date=format_date(date))


def expected(people: list[Person]) -> list[Expected]:
    """Each person's page as the core has it; each ticks an item no one before ticked, while
    any is left (items common to all, like copying documents, get ticked once)."""
    _check_distinct(people)
    ticked: set[str] = set()
    wants = []
    for n, p in enumerate(people):
        want = _expected(p)
        items = sorted(want.checklist)
        items = items[n % len(items) :] + items[: n % len(items)]
        tick = next((i for i in items if i not in ticked), items[0])
        ticked.add(tick)
        wants.append(dataclasses.replace(want, tick=tick))
    return wants


def _expected(p: Person) -> Expected:
    """build_plan with what the page passes for these inputs: a valid passport for every
    citizenship, a car, no children, military status none, the bundled advice snapshot."""
    from planner import geo
    from planner.messages import t
    from planner.plan import build_plan
    from planner.traveler import make_traveler

    traveler = make_traveler(
        citizenships=p.citizenships,
        passports=p.citizenships,
        sex=p.sex,
        age=p.age,
        near=p.typed,
    )
    report = _report(p.departure)
    plan = build_plan(
        traveler,
        p.date,
        p.departure,
        location=geo.find_place(p.typed, country=p.departure),
        **report.plan_kwargs(),
    )
    usable = [o for o in plan.routes if o.verdict != "blocked"]
    # The advice table's rows as the page makes them (which advice counts on a date is the
    # page's business; whether each session gets its own rows is this test's).
    from ui.advisories import _row, _rows

    advice = [_row(s, a, p.date)["label"] for s, a in _rows(report.for_date(p.date))]
    items = sorted(i.text for i in plan.checklist)
    date_marker = Expected.date_marker_for(p.date)
    return Expected(
        inputs={
            "from_country": t("app.form.country_with_data", name=NAMES[p.departure]),
            "near": p.typed,
            "as_of": p.date.isoformat(),
            "citizenships": [NAMES[c] for c in p.citizenships],
            "sex": t(f"app.sex.{p.sex}"),
            "age": str(p.age),
        },
        form_boxes={
            t("app.form.has_car"): True,
            **{t("app.form.passport_valid", country=NAMES[c]): True for c in p.citizenships},
        },
        markers=(
            f"Found: {p.place}",
            f"What governments say about {NAMES[p.departure]}",
            date_marker,
            *(f"I have a valid {NAMES[c]} passport" for c in p.citizenships),
            *([_alerts_title(p.date)] if plan.alerts else []),
        ),
        date_marker=date_marker,
        summary=usable[0].name if usable else t("app.summary.none"),
        top=tuple(o.name for o in plan.routes[:3]),
        route_columns=(t("app.col.route"), t("app.col.exit"), t("app.col.entry")),
        rows=tuple((o.name, o.exit_passport or "—", o.entry_passport or "—") for o in plan.routes),
        advice_column=t("app.adv.col.label"),
        advice=tuple(advice),
        checklist=frozenset(items),
        tick="",
    )


def _alerts_title(date: dt.date) -> str:
    """The alerts box's title, naming the plan date (the box is kept per content)."""
    from planner.messages import format_date, t

    return t("alerts.title", date=format_date(date))


@cache
def _report(departure: str) -> AdvisoryReport:
    """The bundled snapshot, as the page reads it until someone asks for live advice."""
    from planner.advisories.fetch import get_advisories

    return get_advisories(departure, offline=True)


def _check_distinct(people: list[Person]) -> None:
    """Places and dates must each mark one person, or a leak could pass unseen."""
    for attr in ("place", "date"):
        values = [getattr(p, attr) for p in people]
        twice = sorted({str(v) for v in values if values.count(v) > 1})
        if twice:
            raise ValueError(f"{attr} used by more than one person: {', '.join(twice)}")
    places = [p.place for p in people]
    nested = [(a, b) for a in places for b in places if a != b and b.startswith(a)]
    if nested:
        raise ValueError(f"'Found: {nested[0][0]}' would also match {nested[0][1]!r}")


def leak_markers(other: Person, me: Person) -> list[str]:
    """Text that can be on `me`'s page only if something of `other`'s session leaked there."""
    markers = []
    if other.place != me.place:
        markers.append(f"Found: {other.place}")
    if other.date != me.date:
        markers += [Expected.date_marker_for(other.date), _alerts_title(other.date)]
    if other.departure != me.departure:
        markers.append(f"What governments say about {NAMES[other.departure]}")
    extra = [c for c in other.citizenships if c not in me.citizenships]
    return markers + [f"I have a valid {NAMES[c]} passport" for c in extra]
