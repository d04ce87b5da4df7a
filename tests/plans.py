"""Hand-built plans for the export tests, until `planner.plan.build_plan` exists.

`moscow_plan()` is a US–Russian dual national in Moscow on 2022-09-27, the day of the US
Embassy alert; `stress_plan()` is the same traveler with 60 routes and 120 checklist items,
long texts and long URLs, to test layout and speed. Values are realistic but are test data.
"""

from __future__ import annotations

import datetime as dt

from planner.models import (
    Advisory,
    AdvisoryHeadline,
    ChecklistItem,
    Contact,
    Place,
    Plan,
    Reason,
    RiskNote,
    RouteOption,
    SourceRef,
    Traveler,
    UserRoute,
)

AS_OF = dt.date(2022, 9, 27)
GENERATED = dt.datetime(2022, 9, 27, 14, 5, tzinfo=dt.UTC)

US_ALERT = "https://ru.usembassy.gov/security-alert-u-s-embassy-moscow-september-27-2022/"
US_STATE = "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/russia-travel-advisory.html"
UK_FCDO = "https://www.gov.uk/foreign-travel-advice/russia"
CA_GAC = "https://travel.gc.ca/destinations/russia"
DE_AA = "https://www.auswaertiges-amt.de/de/service/laender/russischefoederation-node/russischefoederationsicherheit-201536"
LARS = "https://www.rferl.org/a/russia-georgia-border-upper-lars-queue-mobilization/32052143.html"
FI_BORDER = "https://raja.fi/en/-/border-traffic-on-the-eastern-border"
# A very long URL without spaces: it must wrap, not run off the page.
LONG_URL = (
    "https://www.example.org/news/2022/09/27/very-long-path-segment-about-mobilisation-and-the-"
    "border-queues-at-the-georgian-crossing-with-many-query-parameters?utm_source=feed&utm_"
    "medium=rss&utm_campaign=mobilisation-coverage-2022-09-27&ref=departure-planner-test"
)

# (id, kind, name, name_local, to, to_name, verdict, exit, entry, km, hours, wait)
_ROUTES = [
    (
        "ru-ge-upper-lars",
        "land",
        "Upper Lars – Dariali",
        "Верхний Ларс – დარიალი",
        "GE",
        "Georgia",
        "caution",
        "RU",
        "US",
        1860.0,
        26.0,
        48.0,
    ),
    (
        "ru-am-svo-evn",
        "air",
        "Moscow Sheremetyevo – Yerevan",
        "Москва Шереметьево – Երևան",
        "AM",
        "Armenia",
        "go",
        "RU",
        "US",
        None,
        3.5,
        None,
    ),
    (
        "ru-fi-vaalimaa",
        "land",
        "Torfyanovka – Vaalimaa",
        "Торфяновка – Ваалимаа",
        "FI",
        "Finland",
        "go",
        "RU",
        "US",
        850.0,
        11.0,
        6.0,
    ),
    (
        "ru-kz-mashtakovo",
        "land",
        "Mashtakovo – Karaozek",
        "Маштаково – Караозек",
        "KZ",
        "Kazakhstan",
        "caution",
        "RU",
        "US",
        1450.0,
        19.0,
        30.0,
    ),
    (
        "ru-ee-ivangorod",
        "land",
        "Ivangorod – Narva",
        "Ивангород – Нарва",
        "EE",
        "Estonia",
        "caution",
        "RU",
        "US",
        780.0,
        10.0,
        4.0,
    ),
    (
        "ru-tr-svo-ist",
        "air",
        "Moscow Sheremetyevo – Istanbul",
        "Москва Шереметьево – Стамбул",
        "TR",
        "Türkiye",
        "go",
        "RU",
        "US",
        None,
        4.0,
        None,
    ),
    (
        "ru-mn-kyakhta",
        "land",
        "Kyakhta – Altanbulag",
        "Кяхта – Алтанбулаг",
        "MN",
        "Mongolia",
        "caution",
        "RU",
        "US",
        5600.0,
        80.0,
        12.0,
    ),
    (
        "ru-no-borisoglebsk",
        "land",
        "Borisoglebsky – Storskog",
        "Борисоглебский – Storskog",
        "NO",
        "Norway",
        "caution",
        "RU",
        "US",
        1950.0,
        26.0,
        2.0,
    ),
    (
        "ru-lv-burachki",
        "land",
        "Burachki – Terehova",
        "Бурачки – Терехова",
        "LV",
        "Latvia",
        "blocked",
        None,
        None,
        620.0,
        8.0,
        None,
    ),
    (
        "ru-pl-mamonovo",
        "land",
        "Mamonovo – Grzechotki",
        "Мамоново – Гжехотки",
        "PL",
        "Poland",
        "blocked",
        None,
        None,
        1250.0,
        15.0,
        None,
    ),
]


def _reasons(verdict: str, i: int, *, long: bool = False) -> tuple[Reason, ...]:
    reasons = [
        Reason(
            text="Russia lets its own citizens leave only on a Russian passport; show the "
            "Russian passport to the Russian border guard.",
            effect="info",
            source_url="https://www.consultant.ru/document/cons_doc_LAW_12815/",
            as_of=dt.date(2022, 9, 1),
        ),
        Reason(
            text="Reports of men of call-up age being served summonses at the crossing.",
            effect="caution",
            source_url=LARS,
            as_of=dt.date(2022, 9, 26),
            confidence="unverified",
        ),
        Reason(
            text="Queue report is eight days old.",
            effect="caution",
            source_url="https://t.me/s/verhnii_lars_queue",
            as_of=dt.date(2022, 9, 19),
            confidence="low",
            stale=True,
        ),
    ]
    if verdict == "blocked":
        reasons.insert(
            0,
            Reason(
                text="Closed to Russian citizens holding tourist visas since 19 September 2022.",
                effect="blocks",
                source_url="https://www.politsei.ee/en/news/baltic-states-and-poland-restrict-entry",
                as_of=dt.date(2022, 9, 19),
            ),
        )
    if long:
        reasons.append(
            Reason(
                text=(
                    f"Route {i}: a long explanation that has to wrap over several lines without "
                    "being cut off at the right margin. " * 4
                ).strip(),
                effect="info",
                source_url=LONG_URL,
                as_of=dt.date(2022, 9, 25),
            )
        )
    return tuple(reasons)


def _route(row: tuple, i: int = 0, *, long: bool = False, suffix: str = "") -> RouteOption:
    rid, kind, name, local, to, to_name, verdict, exit_p, entry_p, km, hours, wait = row
    return RouteOption(
        id=rid + suffix,
        kind=kind,
        name=name + (f" ({i})" if suffix else ""),
        name_local=local,
        to_country=to,
        to_country_name=to_name,
        verdict=verdict,
        exit_passport=exit_p,
        entry_passport=entry_p,
        entry_requirement="visa-free 90 days on the US passport"
        if verdict != "blocked"
        else "no admission for Russian tourists",
        status="open" if verdict != "blocked" else "restricted",
        status_as_of=dt.date(2022, 9, 26),
        distance_km=km,
        hours=hours,
        wait_hours=wait,
        wait_as_of=dt.date(2022, 9, 26) if wait is not None else None,
        wait_source_type="crowd" if wait is not None else None,
        modes=("car", "bus") if kind == "land" else ("plane",),
        carriers=("Aeroflot", "Pobeda") if kind == "air" else (),
        destinations=(),
        reasons=_reasons(verdict, i, long=long),
        stale=False,
    )


_CHECKLIST = [
    (
        "passports",
        "documents",
        1,
        "Put both passports (Russian and US) in your hand luggage.",
        "Russia lets its citizens leave only on the Russian passport; you enter the next country "
        "on the US one.",
    ),
    (
        "cash",
        "money",
        1,
        "Withdraw cash in US dollars and euros before leaving.",
        "Russian bank cards do not work abroad since March 2022.",
    ),
    (
        "call-up-papers",
        "military",
        1,
        "Do not sign for any summons; do not go to the military enlistment office.",
        "A summons signed at the border can stop you there.",
    ),
    (
        "fuel",
        "transport",
        2,
        "Fill the tank and carry water and food for two days of queueing.",
        "Queues at Верхний Ларс were over 24 hours on 26 September.",
    ),
    (
        "tell-family",
        "family",
        1,
        "Tell one person you trust your route and when you will call.",
        "So someone knows where to look if you stop answering.",
    ),
    (
        "medicines",
        "health",
        2,
        "Pack a month of any medicine you take, with the prescription.",
        "Pharmacies on the way may not have it.",
    ),
    (
        "offline-maps",
        "communication",
        2,
        "Download offline maps of the route and the border area.",
        "Mobile data is slow or absent near crossings.",
    ),
    (
        "phone-clean",
        "safety",
        3,
        "Review what is on your phone before the border.",
        "Phones are sometimes checked at exit.",
    ),
    (
        "embassy-register",
        "communication",
        2,
        "Enrol in STEP with the US Department of State.",
        "The embassy can contact you with updates.",
    ),
    (
        "copies",
        "documents",
        2,
        "Keep paper copies of both passports apart from the originals.",
        "If a passport is lost or taken, a copy speeds up a replacement.",
    ),
]


def _checklist(n: int) -> tuple[ChecklistItem, ...]:
    items = []
    for i in range(n):
        iid, cat, prio, text, reason = _CHECKLIST[i % len(_CHECKLIST)]
        suffix = "" if i < len(_CHECKLIST) else f"-{i}"
        items.append(
            ChecklistItem(
                id=iid + suffix,
                category=cat,
                priority=prio if i < len(_CHECKLIST) else 1 + i % 3,
                text=text if not suffix else f"{text} (item {i})",
                reason=reason,
                source_url=US_ALERT,
                as_of=AS_OF,
            )
        )
    return tuple(items)


def _risks() -> tuple[RiskNote, ...]:
    return (
        RiskNote(
            id="ru-dual-national",
            category="dual_nationality",
            severity="high",
            title="Russia treats you as a Russian citizen only",
            text="Russia does not recognise your US citizenship; the US Embassy may be denied "
            "access to you if you are detained.",
            source_url=US_ALERT,
            as_of=AS_OF,
            confidence="high",
        ),
        RiskNote(
            id="ru-mobilisation",
            category="conscription",
            severity="high",
            title="You may be called up",
            text="Russia may conscript dual nationals; men of 18–65 in the reserve are "
            "being mobilised since 21 September 2022.",
            source_url="http://kremlin.ru/acts/news/69391",
            as_of=dt.date(2022, 9, 21),
            confidence="high",
        ),
        RiskNote(
            id="ru-cards",
            category="money",
            severity="medium",
            title="Cards may not work",
            text="Visa and Mastercard cards issued in Russia do not work abroad.",
            source_url="https://www.reuters.com/business/finance/visa-mastercard-suspend-russia",
            as_of=dt.date(2022, 3, 6),
            confidence="medium",
            stale=True,
        ),
    )


def _advisories() -> tuple[Advisory, ...]:
    def adv(source: str, level: int, label: str, url: str, day: int, origin: str) -> Advisory:
        return Advisory(
            source=source,
            country="RU",
            level=level,
            label=label,
            summary="",
            updated=dt.datetime(2022, 9, day, 12, 0, tzinfo=dt.UTC),
            fetched=GENERATED,
            url=url,
            origin=origin,
        )

    return (
        adv("us_state_rss", 4, "Do Not Travel", US_STATE, 27, "live"),
        adv("uk_fcdo", 4, "Advise against all travel", UK_FCDO, 21, "snapshot"),
        adv("canada", 4, "Avoid all travel", CA_GAC, 22, "snapshot"),
        adv("germany", 4, "Reisewarnung", DE_AA, 24, "snapshot"),
    )


def _contacts() -> tuple[Contact, ...]:
    return (
        Contact(
            label="US Embassy Moscow – American Citizen Services",
            phone="+7 495 728-5000",
            email="moscowwarden@state.gov",
            url="https://ru.usembassy.gov/",
            address="Bolshoy Deviatinsky Pereulok No. 8, Moscow 121099 "
            "(Большой Девятинский пер., 8)",
            source_url="https://ru.usembassy.gov/embassy/moscow/",
            as_of=AS_OF,
        ),
        Contact(
            label="Emergency (all services)",
            phone="112",
            source_url="https://www.mchs.gov.ru/",
            as_of=dt.date(2022, 1, 1),
        ),
        Contact(
            label="US State Department, calls from abroad",
            phone="+1 202-501-4444",
            source_url="https://travel.state.gov/",
            as_of=AS_OF,
        ),
    )


def _sources(routes: tuple[RouteOption, ...]) -> tuple[SourceRef, ...]:
    urls = {US_ALERT: AS_OF, US_STATE: AS_OF, UK_FCDO: dt.date(2022, 9, 21), LONG_URL: None}
    for option in routes:
        for reason in option.reasons:
            if reason.source_url:
                urls.setdefault(reason.source_url, reason.as_of)
    return tuple(SourceRef(url=u, as_of=d) for u, d in urls.items())


def _plan(routes: tuple[RouteOption, ...], checklist: tuple[ChecklistItem, ...]) -> Plan:
    return Plan(
        as_of=AS_OF,
        generated=GENERATED,
        departure_country="RU",
        departure_country_name="Russia",
        has_route_data=True,
        countries_with_data=("RU",),
        traveler=Traveler(
            citizenships=("US", "RU"),
            sex="male",
            age=34,
            military_status="reservist",
            has_car=True,
            near="Moscow",
        ),
        location=Place(
            name="Moscow",
            local_name="Москва",
            lat=55.7558,
            lon=37.6173,
            country="RU",
            precision="city",
        ),
        routes=routes,
        risks=_risks(),
        checklist=checklist,
        contacts=_contacts(),
        advisories=_advisories(),
        headline=AdvisoryHeadline(
            level=4,
            sources=("us_state_rss", "uk_fcdo", "canada", "germany"),
            leave_now=True,
            text="The US Embassy tells US citizens to leave Russia immediately while "
            "commercial options remain.",
        ),
        notices=("Wait times come from crowd reports and may be out of date.",),
        method="Routes ranked by verdict, then travel time plus reported wait.",
        sources=_sources(routes),
    )


def moscow_plan() -> Plan:
    """The realistic case: 10 routes (2 blocked, last), 10 checklist items."""
    return _plan(tuple(_route(row) for row in _ROUTES), _checklist(len(_CHECKLIST)))


def stress_plan(n_routes: int = 60, n_items: int = 120) -> Plan:
    """Many routes and items with long texts and URLs; blocked routes still last."""
    rows = [_ROUTES[i % len(_ROUTES)] for i in range(n_routes)]
    options = [_route(row, i, long=i % 3 == 0, suffix=f"-{i}") for i, row in enumerate(rows)]
    options.sort(key=lambda o: o.verdict == "blocked")
    return _plan(tuple(options), _checklist(n_items))


def user_route() -> UserRoute:
    """A route the user typed in: a friend's boat from Sochi."""
    return UserRoute(
        id="user-sochi-batumi",
        kind="sea",
        name="Sochi – Batumi (friend's boat)",
        place=Place(
            name="Sochi", local_name="Сочи", country="RU", lat=43.6, lon=39.73, precision="city"
        ),
        to_country="GE",
        note="A friend's boat leaves at night.",
        added=AS_OF,
    )
