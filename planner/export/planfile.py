"""The plan file: what a person entered, their ticks and their own routes, as JSON.

A person saves it to carry the plan to another device or print it later, and people pass
these files to each other in chats: a plan file is untrusted input. So it is read back as
*inputs only* (departure, date, traveler, place, ticks, the person's own routes, the routes
they starred), each
validated with the same models and limits as the form, the CLI and the data, and the plan is
always built again from the curated data. The plan as it was printed is stored beside the
inputs for people and scripts to read; this program never reads it back, so nothing in a
file can pass for curated data.

Loading checks size, format and version before the schema, and never mutates anything: a
bad file is refused whole with one sentence that names the field, and leaves the caller's
current plan as it was. Ticks and stars for items or routes the data no longer has are
left out and counted, not refused: the data changes between versions of the program.
Version 1 files (which held the whole plan and full routes) are still read: only their
inputs, and what a person could have said about their routes. Version 2 files are version 3
files without stars (an older program must say "update", not "damaged", when it meets them).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planner.catalog import Catalog
from planner.errors import InputError, PlannerError
from planner.models import CountryCode, Place, Plan, Traveler, UserRoute
from planner.plan import check_country, check_date, check_traveler
from planner.user_routes import MAX_USER_ROUTES, check_user_routes

FORMAT = "departure-planner-plan"
VERSION = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_TICKS = 1000
MAX_STARRED = 500  # more than any country's routes and MAX_USER_ROUTES together
MAX_CLOCK_SKEW = dt.timedelta(days=1)

TickId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,99}$")]
RouteId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlanInputs(_Strict):
    """Everything the plan is built from, as the person gave it."""

    departure: CountryCode
    as_of: dt.date
    traveler: Traveler
    location: Place | None = None
    rank_user_routes: bool = False


class PlanFile(_Strict):
    """What a plan file holds, once loaded and checked."""

    inputs: PlanInputs
    saved: dt.datetime | None = None  # None: a version 1 file, which did not say
    ticked: frozenset[TickId] = Field(default=frozenset(), max_length=MAX_TICKS)
    user_routes: tuple[UserRoute, ...] = Field(default=(), max_length=MAX_USER_ROUTES)
    starred: frozenset[RouteId] = Field(default=frozenset(), max_length=MAX_STARRED)
    dropped_ticks: int = 0  # ticks for items the checklist no longer has
    dropped_stars: int = 0  # stars for routes the data (or the file's own routes) lack


def inputs_of(plan: Plan, *, rank_user_routes: bool = False) -> PlanInputs:
    return PlanInputs(
        departure=plan.departure_country,
        as_of=plan.as_of,
        traveler=plan.traveler,
        location=plan.location,
        rank_user_routes=rank_user_routes,
    )


def dump_planfile(
    plan: Plan,
    *,
    ticked: Iterable[str] = (),
    user_routes: Sequence[UserRoute] = (),
    rank_user_routes: bool = False,
    starred: Iterable[str] = (),
    saved: dt.datetime | None = None,
) -> bytes:
    """The plan file as UTF-8 JSON; ticked and starred ids are sorted so equal plans give
    equal bytes. Only stars of the plan's routes are kept (a page's stars outlive a change
    of country)."""
    routes = {option.id for option in plan.routes}
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "saved": (saved or dt.datetime.now(dt.UTC)).isoformat(),
        "inputs": inputs_of(plan, rank_user_routes=rank_user_routes).model_dump(mode="json"),
        "ticked": sorted(ticked),
        "user_routes": [route.model_dump(mode="json") for route in user_routes],
        "starred": sorted(routes.intersection(starred)),
        # For people and scripts: never read back (the plan is built again from the data).
        "plan": plan.model_dump(mode="json"),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def load_planfile(data: bytes, catalog: Catalog, *, now: dt.datetime | None = None) -> PlanFile:
    """Read and check a plan file, or raise InputError saying in one sentence what is wrong
    with it and where. `catalog` is the data the plan will be built from: the date must lie
    in its range, circumstances must be declared, own routes must not shadow its routes."""
    if len(data) > MAX_BYTES:
        raise InputError(
            "This file is larger than 5 MB, the limit for plan files, so it was not opened."
        )
    doc = _parse_json(data)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(
            f"This file is not a Departure Planner plan file (its format is not {FORMAT!r})."
        )
    version = doc.get("version")
    if isinstance(version, bool):  # True == 1 in Python, not in a plan file
        version = repr(version)
    if version == 1:
        body = _from_version_1(doc)
    elif version in (2, VERSION):
        body = {k: v for k, v in doc.items() if k not in ("format", "version", "plan")}
    else:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        hint = "update Departure Planner to open it" if newer else "it cannot be opened"
        raise InputError(
            f"This plan file has version {_short(version)} but this program reads versions "
            f"1 to {VERSION}; {hint}."
        )
    try:
        loaded = PlanFile.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(map(str, err["loc"])) or "top level"
        raise InputError(f"This plan file is damaged at {where}: {_message(err)}.") from None
    return _checked(loaded, catalog, now or dt.datetime.now(dt.UTC))


def _checked(loaded: PlanFile, catalog: Catalog, now: dt.datetime) -> PlanFile:
    """What the models alone cannot check: against the data and the clock."""
    inputs = loaded.inputs
    today = now.date()
    try:
        _at("inputs.departure", check_country, inputs.departure)
        _at("inputs.as_of", check_date, inputs.as_of, catalog, inputs.departure, today)
        _at("inputs.traveler", check_traveler, inputs.traveler, catalog, inputs.departure)
        for i, route in enumerate(loaded.user_routes):
            _at(f"user_routes.{i}.added", check_date, route.added, catalog, inputs.departure, today)
        curated = [route.id for route in catalog.routes_from(inputs.departure)]
        check_user_routes(loaded.user_routes, curated)
    except PlannerError as exc:
        raise InputError(f"This plan file cannot be opened: {exc}.") from None
    saved = loaded.saved
    if saved is not None:
        # The page counts "what changed" from this day: it must be a day a plan could be saved.
        aware = saved if saved.tzinfo else saved.replace(tzinfo=dt.UTC)
        if aware > now + MAX_CLOCK_SKEW:
            raise InputError(
                f"This plan file cannot be opened: saved: {saved.isoformat()} is in the future."
            )
        try:
            _at("saved", check_date, saved.date(), catalog, inputs.departure, today)
        except PlannerError as exc:
            raise InputError(f"This plan file cannot be opened: {exc}.") from None
    known = {rule.id for rule in catalog.checklist}
    ticked = frozenset(loaded.ticked & known)
    routes = {*curated, *(route.id for route in loaded.user_routes)}
    starred = frozenset(loaded.starred & routes)
    return loaded.model_copy(
        update={
            "ticked": ticked,
            "dropped_ticks": len(loaded.ticked) - len(ticked),
            "starred": starred,
            "dropped_stars": len(loaded.starred) - len(starred),
        }
    )


def _at(field: str, check, *args: Any) -> None:
    try:
        check(*args)
    except PlannerError as exc:
        raise InputError(f"{field}: {exc}") from None


def _from_version_1(doc: dict[str, Any]) -> dict[str, Any]:
    """A version 1 file's inputs and own routes; the rest of its plan is not read."""
    plan = doc.get("plan")
    if not isinstance(plan, dict):
        raise InputError("This plan file is damaged at plan: it is not an object.")
    body: dict[str, Any] = {
        "inputs": {
            "departure": plan.get("departure_country"),
            "as_of": plan.get("as_of"),
            "traveler": plan.get("traveler"),
            "location": plan.get("location"),
        },
        "ticked": doc.get("ticked", []),
    }
    routes = doc.get("user_routes", [])
    if not isinstance(routes, list):
        raise InputError("This plan file is damaged at user_routes: it is not a list.")
    body["user_routes"] = [_user_route_1(route) for route in routes[: MAX_USER_ROUTES + 1]]
    return body


def _user_route_1(route: Any) -> Any:
    """What a person could have said about a version 1 route: statuses, waits and arranged
    departures in the file are not read."""
    if not isinstance(route, dict):
        return route  # the model names it
    notes = route.get("notes")
    note = notes[0] if isinstance(notes, list) and notes and isinstance(notes[0], dict) else {}
    modes = route.get("modes")
    first = modes[0] if isinstance(modes, list) and modes and isinstance(modes[0], dict) else {}
    sourced = note.get("confidence") not in (None, "unverified", "low")
    return {
        "id": route.get("id"),
        "name": route.get("name"),
        "kind": route.get("kind"),
        "to_country": route.get("to_country"),
        "place": route.get("departure"),
        "note": note.get("text", ""),
        "source_url": note.get("source_url") if sourced else None,
        "added": note.get("as_of") or first.get("date"),
    }


def _message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    return msg[:300]


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _parse_json(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("This plan file is not UTF-8 text, so it is not a plan file.") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"This plan file is not valid JSON: {str(exc)[:200]}.") from None


def _reject_constant(name: str) -> None:
    # NaN and Infinity are not JSON, and would slip through float fields.
    raise ValueError(f"{name} is not allowed")


def _finite(text: str) -> float:
    value = float(text)  # 1e999 is valid JSON, and Python reads it as infinity
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text[:20]} is too large a number")
    return value
