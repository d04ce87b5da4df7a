"""The plan as plain text for a terminal (every fact with its date and source), and as JSON.

Text from the data, feeds, plan files and the user may hold control characters: an escape
sequence can rewrite a terminal's screen or title, and a bidirectional override can make a
line read backwards. Every line printed goes through `terminal_safe`; the JSON escapes them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Sequence

from planner.advisories import government
from planner.alerts import first_sentence
from planner.changes import Change
from planner.checklist import with_reason
from planner.grouping import split
from planner.messages import t
from planner.models import Advisory, Plan, Reason, RouteOption, SharedGroup

VERDICT = {"go": "GO", "caution": "CAUTION", "blocked": "BLOCKED"}
_WIDTH = 100
SHORT_ROUTES = 5  # routes the short plan shows in full
SHORT_ALERTS = 2
_MARK = {"blocks": "x", "caution": "!", "info": "-"}
# C0 and C1 controls (tab and newline included: a line is one line), DEL, and the
# bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What json.dumps leaves raw inside strings (it escapes C0 itself; newlines outside strings
# are its own layout).
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, *, lines: bool = False) -> str:
    """`text` with every control character shown as a space: safe to print on a terminal
    (with `lines`, its own line breaks are kept)."""
    if lines:
        return "\n".join(_UNSAFE.sub(" ", line) for line in text.split("\n"))
    return _UNSAFE.sub(" ", text)


def json_safe(text: str) -> str:
    """JSON text from json.dumps(ensure_ascii=False) with the control characters it leaves
    raw inside strings (C1, DEL, the bidi controls) \\u-escaped: still the same JSON."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plan_json(plan: Plan) -> str:
    """The whole plan as JSON, safe to print (json_safe)."""
    return json_safe(json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=2))


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _reason(r: Reason, *, with_source: bool = True) -> list[str]:
    mark = _MARK[r.effect]
    flags = []
    if r.confidence in ("low", "unverified"):
        flags.append(r.confidence.upper())
    if r.stale:
        flags.append("STALE")
    tag = f"[{', '.join(flags)}] " if flags else ""
    when = f" (as of {r.as_of.isoformat()})" if r.as_of else ""
    lines = _wrap(f"{mark} {tag}{r.text}{when}", "      ")
    if r.source_url and with_source:
        lines.append(f"        source: {r.source_url}")
    return lines


def _route(
    i: int,
    o: RouteOption,
    shared: tuple[SharedGroup, ...],
    *,
    full: bool,
    said: dict[tuple[str, str | None], int] | None = None,
) -> list[str]:
    """A route: its facts, its own reasons (all, or in short the strongest), and one line per
    shared section it is in (said once, in SHARED FACTS)."""
    local = f" / {o.name_local}" if o.name_local and o.name_local != o.name else ""
    head = f"{i:>2}. [{VERDICT[o.verdict]}] {o.name}{local} ({o.kind} -> {o.to_country_name})"
    if o.added_by_user:
        mine = [t("pdf.route.added_by_user")]
        mine += [t("pdf.route.unsourced")] if o.unsourced else []
        head += f" [{', '.join(mine).upper()}]"
    if o.distance_km is None:
        dist = "distance unknown"
    elif o.hours is None:  # e.g. an exclave: no road time from here
        dist = f"{o.distance_km:,.0f} km away, no road time from here"
    else:
        dist = f"{o.distance_km:,.0f} km, about {o.hours:.1f} h away"
    if o.approximate:
        dist += f" ({t('route.approximate')})"
    wait = (
        f"reported wait {o.wait_hours:g} h ({o.wait_source_type}, {o.wait_as_of.isoformat()})"
        if o.wait_hours is not None
        else "no recent wait report"
    )
    lines = [head, f"      {dist}; {wait}"]
    lines.append(
        f"      show on exit: {o.exit_passport or '-'} passport; "
        f"on entry: {o.entry_passport or '-'} passport ({o.entry_requirement})"
    )
    own, refs = split(o, shared)
    if not full:  # the strongest fact (its gist), and how many more there are
        key = o.reasons[0] if o.reasons else None  # evaluate() puts the strongest first
        said = {} if said is None else said
        if key is not None and (key.text, key.source_url) in said:
            words = " ".join(key.text.split()[:6])
            first = said[key.text, key.source_url]
            lines.append(f"      {_MARK[key.effect]} {words} … (as for route {first})")
        elif key is not None:
            said[key.text, key.source_url] = i
            gist = key.model_copy(update={"text": first_sentence(key.text)})
            lines += _reason(gist, with_source=False)
        more = len(o.reasons) - (1 if key else 0)
        if more:
            in_shared = sum(ref.count for ref in refs)
            lines.append(
                f"      (+ {more} more fact(s), {in_shared} shared with other routes: --full)"
            )
        return lines
    if o.carriers:
        lines += _wrap("carriers: " + ", ".join(o.carriers), "      ")
    for r in own:
        lines += _reason(r)
    for ref in refs:
        effect = {"blocks": "BLOCKS", "caution": "caution", "info": "info"}[ref.effect]
        lines += _wrap(f"+ {ref.count} in \u201c{ref.title}\u201d ({effect})", "      ")
    return lines


def _shared(plan: Plan) -> list[str]:
    """Each shared section once: the routes it is about, then its facts."""
    if not plan.shared:
        return []
    names = {o.id: o.name for o in plan.routes}
    out = ["", "SHARED FACTS (said once; each route above names the ones that apply to it)"]
    for group in plan.shared:
        out.append(f"  == {group.title} ==")
        routes = [names[i] for i in group.route_ids if i in names]
        if group.about == "routes":
            out += _wrap(f"for: {'; '.join(routes)}", "    ")
        for r in group.reasons:
            out += _reason(r)
    return out


def _alerts(plan: Plan, *, full: bool) -> list[str]:
    if not plan.alerts:
        return []
    out = ["", t("alerts.title", date=plan.as_of.isoformat()).upper()]
    shown = plan.alerts if full else plan.alerts[:SHORT_ALERTS]
    for alert in shown:
        who = f" ({alert.issuer})" if alert.issuer else ""
        sure = f" [{alert.confidence.upper()}]" if alert.confidence not in ("high",) else ""
        text = alert.text if full else first_sentence(alert.text)
        out += _wrap(f"! {alert.as_of.isoformat()}{who}{sure}: {text}", "  ")
        out.append(f"      source: {alert.source_url}")
    if len(shown) < len(plan.alerts):
        out.append(f"  ({len(plan.alerts) - len(shown)} more in force: --full)")
    return out


def _advice_state(a: Advisory) -> list[str]:
    """Where an advisory row stands on the plan date, in a few words for the CLI line."""
    state = []
    if a.level_since:
        state.append(f"level known since {a.level_since.isoformat()}")
    if a.after_plan_date:
        state.append("AFTER YOUR PLAN DATE, does not count")
    elif a.in_force is True:
        state.append("in force")
    elif a.in_force is False:
        state.append("NOT IN FORCE: too old to count")
    if a.confidence in ("medium", "low", "unverified"):
        state.append(f"confidence {a.confidence}")
    return state


def format_plan(plan: Plan, *, full: bool = False) -> str:
    """The plan for a terminal. In short (the default, about a screenful or two): the alerts'
    gist, the advice, the best routes with their key reason, what to do now and where the
    rest is. `full`: everything, each shared fact once."""
    out = _header(plan)
    out += _alerts(plan, full=full)
    if full:
        out += [f"NOTE: {n}" for n in plan.notices]
    out += _advice(plan, full=full)
    shown = plan.routes if full else plan.routes[:SHORT_ROUTES]
    title = "ROUTES" if full else f"BEST WAYS OUT ({len(shown)} of {len(plan.routes)})"
    out += ["", title]
    if full and plan.ordering:
        out += _wrap(plan.ordering, "  ")
    if not plan.routes:
        out.append("  none in the data for this country")
    said: dict[tuple[str, str | None], int] = {}  # a key fact is said once, then pointed to
    for i, o in enumerate(shown, 1):
        out += _route(i, o, plan.shared, full=full, said=said)
    if not full:
        out += _do_now(plan)
        out += ["", *_wrap(_rest(plan, len(shown)), "")]
        return "\n".join(terminal_safe(line) for line in out)
    out += _shared(plan)
    out += ["", "RISKS FOR YOU (most severe first)"]
    for n in plan.risks:
        flags = " [UNVERIFIED]" if n.confidence == "unverified" else ""
        flags += " [STALE]" if n.stale else ""
        out += _wrap(f"[{n.severity.upper()}]{flags} {n.title}: {n.text}", "  ")
        out.append(f"      source: {n.source_url} (as of {n.as_of.isoformat()})")
    out += ["", "CHECKLIST (priority 1 = do now)"]
    for item in plan.checklist:
        out += _wrap(f"[ ] P{item.priority} {item.category}: {with_reason(item)}", "  ")
        out.append(f"      source: {item.source_url} (as of {item.as_of.isoformat()})")
    if plan.contacts:
        out += ["", "CONTACTS"]
        for c in plan.contacts:
            parts = [p for p in (c.phone, c.email, c.address) if p]
            out += _wrap(f"{c.label}: {'; '.join(parts)}", "  ")
            for n in c.notes:
                out += _wrap(f"- {n.text} ({n.as_of.isoformat()})", "    ")
    out += ["", "Method: " + plan.method, f"Sources cited: {len(plan.sources)} (see --json)"]
    return "\n".join(terminal_safe(line) for line in out)


def _header(plan: Plan) -> list[str]:
    t = plan.traveler
    profile = [f"citizen of {', '.join(t.citizenships)}"]
    if t.sex:
        profile.append(t.sex)
    if t.age is not None:
        profile.append(f"age {t.age}")
    profile.append(f"military status: {t.military_status}")
    profile.append("has a car" if t.has_car else "no car")
    if t.children:
        profile.append(f"{t.children} children")
    if t.residences:
        profile.append(f"permanent resident of {', '.join(t.residences)}")
    if t.family_of:
        profile.append(f"with family who are citizens of {', '.join(t.family_of)}")
    out = [
        f"DEPARTURE PLAN: leaving {plan.departure_country_name} on {plan.as_of.isoformat()}",
        "Not an official source: check every link before you act.",
        "Traveler: " + "; ".join(profile),
    ]
    if plan.location is not None:
        loc = plan.location
        out.append(f"From: {loc.name}, {loc.country} ({loc.lat:.3f}, {loc.lon:.3f})")
    return out


def _advice(plan: Plan, *, full: bool) -> list[str]:
    if plan.headline is None:
        return []
    out = [
        "",
        f"ADVISORIES (as they stood on {plan.as_of.isoformat()})",
        f"  {plan.headline.text}",
    ]
    for a in plan.advisories:
        if a.after_plan_date and not full:
            continue  # newer than the plan date: does not count; --full shows it
        level = f"level {a.level}" if a.level else "level unknown"
        when = a.updated.date().isoformat() if a.updated else "date unknown"
        facts = [when, a.origin, *_advice_state(a)]
        label = f" {a.label}" if full else ""
        out.append(f"  {government(a.source):<15} {level:<14}{label} ({', '.join(facts)})")
        if full:
            out.append(f"                  {a.url}")
    return out


def _do_now(plan: Plan) -> list[str]:
    now = [i for i in plan.checklist if i.priority == 1]
    out = ["", f"DO NOW ({len(now)} of {len(plan.checklist)} checklist items)"]
    for item in now:
        out += _wrap(f"[ ] {item.text}", "  ")
    return out


def _rest(plan: Plan, shown: int) -> str:
    high = sum(n.severity == "high" for n in plan.risks)
    return (
        f"THE REST: {len(plan.routes) - shown} more route(s), {len(plan.shared)} shared "
        f"section(s), {len(plan.risks)} risk note(s) ({high} high), the whole checklist, "
        f"contacts and {len(plan.sources)} sources: run again with --full (all of it here), "
        "--pdf FILE (to print) or --json."
    )


def changes_json(found: Sequence[Change]) -> str:
    """The changes as a JSON list, oldest first, safe to print (json_safe)."""
    rows = [c.model_dump(mode="json") for c in found]
    return json_safe(json.dumps(rows, ensure_ascii=False, indent=2))


def format_changes(found: Sequence[Change], since: dt.date, until: dt.date, country: str) -> str:
    """The changes for a terminal, oldest first, each with its source."""
    out = [
        f"WHAT CHANGED for you leaving {country}: after {since.isoformat()} up to "
        f"{until.isoformat()} ({len(found)})",
        "Not an official source: check every link before you act.",
    ]
    if not found:
        out.append("  nothing in the data changed for you in these days")
    for c in found:
        flag = f" [{c.confidence.upper()}]" if c.confidence in ("low", "unverified") else ""
        out += _wrap(f"{c.date.isoformat()} {c.kind.upper()}{flag} {c.subject}: {c.text}", "")
        out.append(f"      source: {c.source_url}")
    return "\n".join(terminal_safe(line) for line in out)
