"""Validated models: the data files' schema (input side) and the plan (output side).

Data files in data/ are validated against the input models on load (catalog.py); the
planner builds the output models. Every fact carries a source URL, an as-of date and a
confidence grade, so every screen and the PDF can show where it came from and how old it is.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Literal
from urllib.parse import urlsplit

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

# Kosovo has a user-assigned code that pycountry lacks but visa data uses.
_EXTRA_CODES = {"XK"}


def _country_code(value: str) -> str:
    # ASCII letters only: "ß".upper() is "SS" (South Sudan), "ﬁ".upper() is "FI" (Finland).
    code = value.strip()
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise ValueError(f"{value[:20]!r} is not an ISO 3166-1 alpha-2 country code")
    code = code.upper()
    if code not in _EXTRA_CODES and pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


MAX_URL = 2048
MAX_NAME = 200  # a name or a title
MAX_TEXT = 4000  # a note, a rule's text (the longest in the data is about 800)


def is_safe_url(value: object) -> bool:
    """Whether `value` may become a link: an http(s) URL with a host, parsed (not matched on
    its prefix), with no whitespace, control or format characters anywhere in it and no
    user name before the host (`https://gov.example@evil.example` shows one host and opens
    another)."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        return False
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc


def _url(value: str) -> str:
    if not is_safe_url(value):
        raise ValueError(f"{value[:100]!r} is not a plain http(s) link")
    return value


CountryCode = Annotated[str, AfterValidator(_country_code)]
Url = Annotated[str, AfterValidator(_url)]
Name = Annotated[str, Field(max_length=MAX_NAME)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Confidence = Literal["high", "medium", "low", "unverified"]
Mode = Literal["car", "bus", "foot", "bicycle", "train", "plane", "ship"]
RouteKind = Literal["land", "air", "sea", "rail"]
Status = Literal["open", "restricted", "closed"]
Sex = Literal["male", "female"]
MilitaryStatus = Literal["none", "conscript", "reservist", "reserve_officer", "serving", "exempt"]
MILITARY_STATUSES: tuple[str, ...] = MilitaryStatus.__args__  # type: ignore[attr-defined]

# Facts graded low or unverified are shown, labelled, and never decide a verdict alone.
DECISIVE: frozenset[str] = frozenset({"high", "medium"})


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Fact(_Strict):
    """Anything stated as true: where it comes from, how sure we are."""

    source_url: Url
    more_sources: tuple[Url, ...] = ()
    confidence: Confidence = "high"


class Note(Fact):
    """A sourced, dated statement shown as it is."""

    text: Text
    as_of: dt.date


class Claim(Note):
    """A sourced yes/no fact, e.g. whether a country recognises other citizenships."""

    value: bool


class AllExcept(_Strict):
    all_except: tuple[CountryCode, ...]


# `all`, a list of nationalities, or `{all_except: [...]}`.
AppliesTo = Literal["all"] | tuple[CountryCode, ...] | AllExcept


def applies_to(rule: AppliesTo, passport: str) -> bool:
    """Whether a rule scoped by nationality covers a holder of `passport`."""
    if rule == "all":
        return True
    if isinstance(rule, AllExcept):
        return passport not in rule.all_except
    return passport in rule


class Dated(Fact):
    """A fact in force from `date` (its as-of date) until `until` (inclusive) or later news.

    `date_precision` says how exactly a source dates it: "month" ("in late September") and
    "year" put `date` on the period's first day, and such a record does not decide a verdict
    before the period it names is over (`decides_from`): it is shown, as reported for that
    month or year, but a crossing is not closed weeks early on a guessed day."""

    date: dt.date
    until: dt.date | None = None
    date_precision: Literal["day", "month", "year"] = "day"

    @model_validator(mode="after")
    def _ordered(self) -> Dated:
        if self.until is not None and self.until < self.date:
            raise ValueError(f"until {self.until} is before date {self.date}")
        if self.date_precision == "month" and self.date.day != 1:
            raise ValueError("a date known to the month is written as its first day")
        if self.date_precision == "year" and (self.date.month, self.date.day) != (1, 1):
            raise ValueError("a date known to the year is written as 1 January")
        return self

    def in_force(self, on: dt.date) -> bool:
        return self.date <= on and (self.until is None or on <= self.until)

    @property
    def decides_from(self) -> dt.date:
        """The first day this fact may decide a verdict: its date, or the day after the
        month or year a roughly dated fact names."""
        if self.date_precision == "month":
            year, month = divmod(self.date.month, 12)
            return dt.date(self.date.year + year, month + 1, 1)
        if self.date_precision == "year":
            return dt.date(self.date.year + 1, 1, 1)
        return self.date

    def dated_as(self) -> str:
        """The date as precisely as it is known: 2024-10-04, "October 2024", "2024"."""
        if self.date_precision == "month":
            return self.date.strftime("%B %Y")
        if self.date_precision == "year":
            return str(self.date.year)
        return self.date.isoformat()


class StatusRecord(Dated):
    """A route's status for some passports. `side: exit` scopes it to the document shown to
    the departure country (e.g. a crossing closed to that country's own citizens); `entry`
    (the default) to the passport shown on arrival."""

    status: Status
    applies_to: AppliesTo = "all"
    side: Literal["entry", "exit"] = "entry"
    note: Text = ""


class ModeRecord(Dated):
    """Which means of crossing are allowed from `date`: e.g. foot stopped at a crossing."""

    modes: tuple[Mode, ...]
    note: Text = ""


class WaitReport(Fact):
    date: dt.date
    hours: float = Field(ge=0, le=24 * 14)
    direction: Literal["exit", "entry"]
    source_type: Literal["official", "media", "crowd"]
    note: Text = ""


class RouteNote(Note):
    """A note on a route, shown to a traveler holding any citizenship it `applies_to`
    (e.g. "no US embassy in Syria" for US citizens only)."""

    applies_to: AppliesTo = "all"


class Place(_Strict):
    name: Name
    local_name: Name = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    country: CountryCode | None = None
    # "approximate": no source gives the position; the gazetteer's town of that name does
    # (planner/positions.py), never in a data file.
    precision: Literal[
        "crossing", "airport", "port", "settlement", "nearby_town", "city", "approximate", "none"
    ] = "none"

    @model_validator(mode="after")
    def _both_or_neither(self) -> Place:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class Arranged(Fact):
    """A departure arranged by a government (charter flight, ship): who may board, at what cost."""

    government: CountryCode
    eligible: tuple[CountryCode, ...]  # citizenships that may board
    residents: bool = False  # the government's permanent residents may board too
    family: bool = False  # close family of an eligible citizen, any nationality, with them
    cost: Name
    text: Text
    as_of: dt.date


class Area(_Strict):
    """A box of latitudes and longitudes (south, west, north, east), e.g. around an exclave."""

    south: float = Field(ge=-90, le=90)
    west: float = Field(ge=-180, le=180)
    north: float = Field(ge=-90, le=90)
    east: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _ordered(self) -> Area:
        if self.south >= self.north or self.west >= self.east:
            raise ValueError("an area needs south < north and west < east")
        return self

    def holds(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


class Reach(Note):
    """Where a route can be reached from by road without crossing another border (`area`,
    e.g. an exclave or an island), and how from anywhere else (`by`; `text` says more).
    From outside the area the route gets no road time and a caution."""

    area: Area
    by: tuple[Literal["flight", "ferry", "transit visa"], ...] = Field(min_length=1)


class Route(_Strict):
    """A way out: a land crossing, a flight connection, a sea or rail route."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: RouteKind
    name: Name
    name_local: Name = ""
    departure: Place
    to_country: CountryCode
    arrival: Place | None = None
    modes: tuple[ModeRecord, ...] = Field(min_length=1)
    iata: tuple[str, ...] = ()
    carriers: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    status: tuple[StatusRecord, ...] = ()
    waits: tuple[WaitReport, ...] = ()
    notes: tuple[RouteNote, ...] = ()
    arranged: Arranged | None = None
    reach: Reach | None = None  # only from within an area by road (an exclave, an island)
    # Set only for a route a person added themselves (planner/user_routes.py); data files may
    # not set them (catalog.py refuses both, and ids starting "user-").
    added_by_user: bool = False
    unsourced: bool = False  # added without a source link


USER_ROUTE_PREFIX = "user-"


class UserRoute(_Strict):
    """A route a person heard about and added (on the page, or from a plan file): only what a
    person can say about it. It holds no status, wait or arranged departure, so it can never
    pass for curated data; planner/user_routes.py makes it a Route marked as theirs."""

    id: str = Field(pattern=r"^user-[a-z0-9][a-z0-9-]{0,59}$")
    name: Name = Field(min_length=1)
    kind: RouteKind
    to_country: CountryCode
    place: Place
    note: Text = ""
    source_url: Url | None = None
    added: dt.date  # the plan date it was added for

    @field_validator("place")
    @classmethod
    def _placed(cls, place: Place) -> Place:
        if place.lat is None:
            raise ValueError("give the place it leaves from with its latitude and longitude")
        return place


class Period(Dated):
    """A sourced statement in force between two dates, e.g. an exception to a rule."""

    text: Text


class Alert(Note):
    """A dated alert or declaration about the departure country (an embassy's "leave now",
    martial law declared): shown at the top of a plan while in force (planner/alerts.py):
    from its date until `until`, until a later alert `replaces` it, or until it is older
    than alerts.ALERT_DAYS."""

    id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    issuer: CountryCode | None = None  # the government that issued it, if one did
    replaces: tuple[str, ...] = ()  # ids of earlier alerts it takes the place of
    until: dt.date | None = None


class Circumstance(_Strict):
    """A personal circumstance a country's rules turn on (e.g. raising a child alone), declared
    in country.yaml so the form and the CLI can ask about it without code changes."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: Name


class Condition(_Strict):
    """Who a rule applies to; every field given must match (an empty condition matches all)."""

    national: bool | None = None  # holds the departure country's citizenship
    dual_national: bool | None = None  # holds it and at least one other
    citizenship_any: tuple[CountryCode, ...] = ()
    sex: Sex | None = None
    age_min: int | None = None
    age_max: int | None = None
    military_status: tuple[MilitaryStatus, ...] = ()
    has_car: bool | None = None
    children_min: int | None = None  # children travelling with the traveler
    children_under_18_min: int | None = None  # children under 18 (travelling or not)
    disability: bool | None = None
    carer: bool | None = None
    pets: bool | None = None
    holds_visa_for_departure: bool | None = None  # a visa/permit of the departure country
    circumstance_any: tuple[str, ...] = ()  # ids declared in the country's `circumstances`


class Exemption(Fact):
    """Who a rule does not apply to, e.g. fathers of three or more children under 18."""

    when: Condition
    text: Text
    as_of: dt.date
    until: dt.date | None = None


class ExitRule(Dated):
    """A restriction on leaving: `banned` blocks every route (of `kinds`, if given), `risk`
    flags them; a traveler matching an exemption in force is not covered."""

    id: str
    when: Condition
    effect: Literal["banned", "risk"]
    text: Text
    kinds: tuple[RouteKind, ...] = ()  # empty: every way out (e.g. [air]: a bar on flying out)
    exemptions: tuple[Exemption, ...] = ()


class RiskRule(Dated):
    id: str
    when: Condition = Condition()
    category: Literal[
        "dual_nationality", "conscription", "exit", "documents", "consular", "money", "safety"
    ]
    severity: Literal["high", "medium", "low"]
    title: Name
    text: Text


class Contact(Fact):
    label: Name
    phone: Name = ""
    email: Name = ""
    url: Url | None = None
    address: Name = ""
    as_of: dt.date
    notes: tuple[Note, ...] = ()


class ExitDocument(Note):
    """The document a national must leave on; `known: false` when no source says (the plan
    then offers each passport the traveler holds and says the rule was not found)."""

    known: bool = True


class Country(_Strict):
    """country.yaml: the departure country's rules."""

    code: CountryCode
    name: str
    local_name: str = ""
    data_begins: dt.date
    # Set when the data describes a past crisis and is not kept current (e.g. "The data
    # describes the crisis of September-October 2024."): plans say so, and the data check
    # warns once instead of for every fact that would need re-confirming today.
    historical: Text = ""
    recognises_other_citizenships: Claim
    exit_document: ExitDocument
    # Periods in which a national without a valid national passport may leave on another.
    foreign_passport_exit: tuple[Period, ...] = ()
    circumstances: tuple[Circumstance, ...] = ()
    # Territories on whose borders this country also runs crossings (map data draws them apart).
    border_territories: tuple[CountryCode, ...] = ()
    internal_id_accepted_by: tuple[CountryCode, ...] = ()
    internal_id_note: Note | None = None
    exit_rules: tuple[ExitRule, ...] = ()
    risks: tuple[RiskRule, ...] = ()
    alerts: tuple[Alert, ...] = ()
    emergency_numbers: tuple[Contact, ...] = ()


class Embassy(Contact):
    """data/embassies.yaml: who helps a citizen of `citizenship` in `country`, and the limits."""

    citizenship: CountryCode
    country: CountryCode
    limits: tuple[Note, ...] = ()


class ChecklistRule(_Strict):
    """data/checklist.yaml: one item, the condition that adds it, and why."""

    id: str
    category: Literal[
        "documents", "money", "transport", "military", "family", "health", "communication", "safety"
    ]
    priority: int = Field(ge=1, le=3)  # 1 = do now
    text: Text
    reason: Text
    when: Condition = Condition()
    countries: tuple[CountryCode, ...] = ()  # empty: any departure country
    needs_route_kind: RouteKind | None = None  # only if a usable route of this kind exists
    date: dt.date | None = None  # in force from (e.g. a rule that began in 2023)
    until: dt.date | None = None
    source_url: Url
    as_of: dt.date


class EntryOverride(Dated):
    """A dated crisis change to entry that the visa data set does not know about: a
    tightening replaces the data set's answer when stricter, a relaxation when laxer."""

    id: str
    destination: CountryCode
    passports: AppliesTo
    departures: tuple[CountryCode, ...] = ()  # only when leaving these countries; empty: any
    kinds: tuple[RouteKind, ...] = ()  # empty: every way in
    # `visa free` relaxes (e.g. temporary protection); the others tighten.
    requirement: Literal["visa free", "visa required", "restricted", "no admission"]
    note: Text
    # The visa data set's answer is wrong here (a stale cell): the override replaces it
    # whether stricter or laxer, with its own source.
    corrects_data: bool = False


# ---------------------------------------------------------------- traveler (input)


MAX_CITIZENSHIPS = 10  # more than anyone holds; a plan file may not claim 10,000


def _unique(codes: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if codes is not None and len(set(codes)) != len(codes):
        twice = next(c for c in codes if codes.count(c) > 1)
        raise ValueError(f"{twice} is given twice")
    return codes


Codes = Annotated[tuple[CountryCode, ...], AfterValidator(_unique)]


class Traveler(_Strict):
    citizenships: Codes = Field(min_length=1, max_length=MAX_CITIZENSHIPS)
    passports: Codes | None = Field(
        default=None, max_length=MAX_CITIZENSHIPS
    )  # valid passports held; None: one per citizenship
    visas: Codes = Field(default=(), max_length=300)  # visas or residence permits held
    residences: Codes = Field(default=(), max_length=MAX_CITIZENSHIPS)  # permanent resident of
    # travelling with a family member (spouse, child, parent) who is a citizen of
    family_of: Codes = Field(default=(), max_length=MAX_CITIZENSHIPS)
    sex: Sex | None = None
    age: int | None = Field(default=None, ge=0, le=120)
    military_status: MilitaryStatus = "none"
    has_car: bool = True
    children: int = Field(default=0, ge=0, le=20)  # travelling with the traveler
    children_under_18: int = Field(default=0, ge=0, le=20)  # all minor children, for exemptions
    disability: bool = False
    carer: bool = False  # cares for a person with a disability
    # ids from the departure country's `circumstances`
    circumstances: tuple[Name, ...] = Field(default=(), max_length=50)
    pets: bool = False
    near: Name = ""

    @property
    def valid_passports(self) -> tuple[str, ...]:
        return self.citizenships if self.passports is None else self.passports


# ---------------------------------------------------------------- plan (output)

Verdict = Literal["go", "caution", "blocked"]


class Reason(_Strict):
    text: str
    effect: Literal["blocks", "caution", "info"]
    source_url: str | None = None
    as_of: dt.date | None = None
    confidence: Confidence = "high"
    stale: bool = False
    # Said only because of the traveler's sex, age, military service, health or family
    # (rules.is_personal): a PDF without personal details leaves it out.
    personal: bool = False
    # What the fact is about: grouping.py keeps entry, exit document and danger with their
    # route, and shows exit rules and facts many routes share once.
    about: Literal[
        "exit_rule",
        "exit_document",
        "status",
        "entry",
        "danger",
        "means",
        "arranged",
        "note",
        "wait",
    ] = "note"


class RouteOption(_Strict):
    id: str
    kind: RouteKind
    name: str
    name_local: str = ""
    to_country: str
    to_country_name: str
    verdict: Verdict
    exit_passport: str | None
    entry_passport: str | None
    entry_requirement: str
    status: Status | Literal["unknown"]
    status_as_of: dt.date | None
    distance_km: float | None
    hours: float | None
    wait_hours: float | None
    wait_as_of: dt.date | None = None
    wait_source_type: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: str = ""  # the place it leaves from, as the data names it
    modes: tuple[str, ...] = ()
    carriers: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    reasons: tuple[Reason, ...]
    stale: bool = False
    approximate: bool = False  # the position is the town the place is named after
    added_by_user: bool = False
    unsourced: bool = False  # added by the user without a source link


class RiskNote(_Strict):
    id: str
    category: str
    severity: Literal["high", "medium", "low"]
    title: str
    text: str
    source_url: str
    as_of: dt.date
    confidence: Confidence
    stale: bool = False
    personal: bool = False  # see Reason.personal


class ChecklistItem(_Strict):
    id: str
    category: str
    priority: int
    text: str
    reason: str
    source_url: str
    as_of: dt.date
    personal: bool = False  # see Reason.personal


class SharedGroup(_Strict):
    """Facts several routes share, shown once (planner/grouping.py): the departure
    country's exit rules, or notes and statuses the data attaches to a set of routes."""

    id: str
    title: str
    about: Literal["exit_rules", "routes"]
    reasons: tuple[Reason, ...]
    route_ids: tuple[str, ...]


class SharedRef(_Strict):
    """On a route: a shared section that applies to it, how many of its reasons are there,
    and the strongest of their effects."""

    group: str
    title: str
    count: int
    effect: Literal["blocks", "caution", "info"]


class AlertNote(_Strict):
    """An alert in force on the plan date, as the plan shows it."""

    text: str
    source_url: str
    as_of: dt.date
    confidence: Confidence
    issuer: str | None = None


class SourceRef(_Strict):
    url: str
    as_of: dt.date | None


AdvisoryOrigin = Literal["live", "snapshot", "history", "curated"]


class Advisory(_Strict):
    """One government's advice for one country, on the common 1..4 scale.

    `origin`: a live fetch, a recorded feed payload (snapshot), a GOV.UK change history
    (history) or a curated, sourced level (data/advisories/levels.yaml). Judged for a plan
    date (planner/advisories/history.py), a row also says whether it was in force then, or is
    newer than that date and shown for reference only."""

    source: str
    country: str
    level: int | None = Field(default=None, ge=1, le=4)
    label: str
    regional_notes: tuple[str, ...] = ()
    summary: str = ""
    updated: dt.datetime | None = None
    fetched: dt.datetime | None = None
    url: Url  # parsed: a plain http(s) link (feeds fall back to their own page)
    origin: AdvisoryOrigin = "snapshot"
    level_since: dt.date | None = None  # the earliest day a source shows this level standing
    in_force: bool | None = None  # None: not judged against a date (a feed as fetched)
    after_plan_date: bool = False  # dated after the plan date: never counts for it
    confidence: Confidence | None = None  # curated levels only: a feed is the government itself
    more_sources: tuple[str, ...] = ()


class AdvisoryHeadline(_Strict):
    level: int | None
    sources: tuple[str, ...]
    leave_now: bool
    text: str


ChangeKind = Literal["verdict", "status", "wait", "exit_rule", "risk", "alert", "advisory", "entry"]


class Change(_Strict):
    """One dated change that matters to this traveler, with the record that says so
    (planner/changes.py)."""

    date: dt.date
    kind: ChangeKind
    subject: str  # what changed: a route's name, a country, a government's advice
    text: str
    source_url: str
    confidence: str = "high"
    route_id: str | None = None
    # For changes to a route: its verdict the day before and on the day (None: not known).
    verdict_before: str | None = None
    verdict_after: str | None = None
    personal: bool = False  # said only because of sex, age, military status, health, family


class Plan(_Strict):
    as_of: dt.date
    generated: dt.datetime
    departure_country: str
    departure_country_name: str
    has_route_data: bool
    countries_with_data: tuple[str, ...]
    traveler: Traveler
    location: Place | None
    routes: tuple[RouteOption, ...]
    risks: tuple[RiskNote, ...]
    checklist: tuple[ChecklistItem, ...]
    contacts: tuple[Contact, ...] = ()
    alerts: tuple[AlertNote, ...] = ()  # in force on the plan date, newest first
    changes: tuple[Change, ...] = ()  # in the last days up to the plan date, oldest first
    advisories: tuple[Advisory, ...] = ()
    headline: AdvisoryHeadline | None = None
    notices: tuple[str, ...] = ()
    method: str
    ordering: str = ""  # how the routes were put in order
    shared: tuple[SharedGroup, ...] = ()  # facts several routes share, said once
    sources: tuple[SourceRef, ...]
