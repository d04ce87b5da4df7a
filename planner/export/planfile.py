"""The plan file: a plan, its ticked checklist items and the user's own routes, as JSON.

A person saves it to carry the plan to another device or print it later. Loading checks
size, format and version before the schema, and never mutates anything, so a bad file
leaves the caller's current plan as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from planner.errors import InputError
from planner.models import Plan, Route

FORMAT = "departure-planner-plan"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024


class PlanFile(BaseModel):
    """What a plan file holds, once loaded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    plan: Plan
    ticked: frozenset[str] = frozenset()
    user_routes: tuple[Route, ...] = ()


def dump_planfile(
    plan: Plan, *, ticked: frozenset[str] = frozenset(), user_routes: Sequence[Route] = ()
) -> bytes:
    """The plan file as UTF-8 JSON; ticked ids are sorted so equal plans give equal bytes."""
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "plan": plan.model_dump(mode="json"),
        "ticked": sorted(ticked),
        "user_routes": [route.model_dump(mode="json") for route in user_routes],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def load_planfile(data: bytes) -> PlanFile:
    """Read a plan file, or raise InputError saying in one sentence what is wrong with it."""
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
    if version != VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        hint = "update Departure Planner to open it" if newer else "it cannot be opened"
        raise InputError(
            f"This plan file has version {version!r} but this program reads version "
            f"{VERSION}; {hint}."
        )
    body = {k: v for k, v in doc.items() if k not in ("format", "version")}
    try:
        return PlanFile.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(map(str, err["loc"])) or "top level"
        raise InputError(f"This plan file is damaged at {where}: {err['msg']}.") from None


def _parse_json(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("This plan file is not UTF-8 text, so it is not a plan file.") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"This plan file is not valid JSON: {exc}.") from None


def _reject_constant(name: str) -> None:
    # NaN and Infinity are not JSON, and would slip through float fields.
    raise ValueError(f"{name} is not allowed")
