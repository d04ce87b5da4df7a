"""Say each fact once: which of a plan's route reasons are shared by several routes.

A route's reasons hold what is its own (its status, means, waits and notes when no other
route carries them, the entry answer and the danger at its destination) and what it shares:
the departure country's exit rules, and notes or statuses that the data attaches to many
routes (an airline note on every flight, a queue report on every crossing into one
country). Shared facts are shown once, in their own section ("Leaving Russia: rules that
apply to you", "All flights from Moscow"), and each route names the sections that apply to
it; the verdict still carries their strongest effect. The page, the PDF, the CLI and the
JSON all take this grouping from here; the JSON keeps every reason on every route too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from planner.messages import t
from planner.models import Reason, RouteOption, SharedGroup, SharedRef

# Reasons that stay with their route whatever other routes say: short, and about this route
# or its destination alone (the entry answer, the exit document, danger at the destination).
OWN = frozenset({"entry", "exit_document", "danger"})
_STRENGTH = {"blocks": 0, "caution": 1, "info": 2}


def key(reason: Reason) -> tuple[str, str | None]:
    """Two reasons say the same fact when they say it in the same words from the same source."""
    return reason.text, reason.source_url


def shared_groups(options: Sequence[RouteOption], country: str) -> tuple[SharedGroup, ...]:
    """The shared sections of a plan: the exit rules first, then the facts several routes
    share, grouped by the routes they are on (largest group first)."""
    carriers: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    first: dict[tuple[str, str | None], Reason] = {}
    for option in options:
        for reason in option.reasons:
            k = key(reason)
            if option.id not in carriers[k]:
                carriers[k].append(option.id)
            first.setdefault(k, reason)
    rules = [r for k, r in first.items() if r.about == "exit_rule"]
    groups: list[SharedGroup] = []
    if rules:
        keys = _keys(rules)
        on = tuple(o.id for o in options if any(key(r) in keys for r in o.reasons))
        groups.append(
            SharedGroup(
                id="exit-rules",
                title=t("shared.exit_rules", country=country),
                about="exit_rules",
                reasons=tuple(sorted(rules, key=_strength)),
                route_ids=on,
            )
        )
    by_set: dict[tuple[str, ...], list[Reason]] = defaultdict(list)
    for k, ids in carriers.items():
        reason = first[k]
        # A sentence of the planner's own (no source: "no confirmed status ...") is about
        # each route in turn, however many routes it is said of.
        sourced = reason.source_url is not None
        if len(ids) >= 2 and sourced and reason.about not in OWN and reason.about != "exit_rule":
            by_set[tuple(ids)].append(reason)
    named = {o.id: o for o in options}
    ordered = sorted(by_set.items(), key=lambda item: (-len(item[0]), item[0]))
    titles: dict[str, int] = {}
    for ids, reasons in ordered:
        title = _title([named[i] for i in ids], options)
        titles[title] = titles.get(title, 0) + 1
        if titles[title] > 1:
            title = f"{title} ({titles[title]})"
        groups.append(
            SharedGroup(
                id=f"shared-{len(groups)}",
                title=title,
                about="routes",
                reasons=tuple(sorted(reasons, key=_strength)),
                route_ids=ids,
            )
        )
    return tuple(groups)


def split(
    option: RouteOption, groups: Sequence[SharedGroup]
) -> tuple[list[Reason], list[SharedRef]]:
    """The route's own reasons, and a reference to each shared section that applies to it
    (how many of its reasons are there, and the strongest effect among them)."""
    refs: list[SharedRef] = []
    shared: set[tuple[str, str | None]] = set()
    for group in groups:
        if option.id not in group.route_ids:
            continue
        keys = _keys(group.reasons)
        mine = [r for r in option.reasons if key(r) in keys]
        if not mine:
            continue
        shared |= {key(r) for r in mine}
        strongest = min((r.effect for r in mine), key=_STRENGTH.__getitem__)
        refs.append(SharedRef(group=group.id, title=group.title, count=len(mine), effect=strongest))
    own = [r for r in option.reasons if key(r) not in shared]
    return own, refs


def _keys(reasons) -> set[tuple[str, str | None]]:
    return {key(r) for r in reasons}


def _strength(reason: Reason) -> int:
    return _STRENGTH[reason.effect]


def _title(members: list[RouteOption], options: Sequence[RouteOption]) -> str:
    """Words for a set of routes: "All flights from Moscow", "All land crossings into
    Kazakhstan", "3 flights", "5 routes"."""
    kinds = {o.kind for o in members}
    if len(kinds) != 1:
        return t("shared.routes", n=len(members))
    kind = kinds.pop()
    same_kind = [o for o in options if o.kind == kind]
    what = t(f"shared.kind.{kind}")
    for field, word in (("to_country_name", "shared.into"), ("start", "shared.from")):
        values = {_value(o, field) for o in members}
        if len(values) == 1 and None not in values:
            value = values.pop()
            everyone = [o for o in same_kind if _value(o, field) == value]
            place = t(word, place=value)
            if len(everyone) == len(members):
                return t("shared.all", what=what, where=place)
            return t("shared.some", n=len(members), what=what, where=place)
    if len(same_kind) == len(members):
        return t("shared.all", what=what, where="").strip()
    return t("shared.some", n=len(members), what=what, where="").strip()


def _value(option: RouteOption, field: str) -> str | None:
    if field == "start":  # "Moscow (SVO, DME, VKO)": the town is enough for a title
        return option.start.split(" (")[0].strip() or None
    return getattr(option, field)
