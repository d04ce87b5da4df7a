"""Say each fact once (planner/grouping.py): on the real plans of RU, UA and IL."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from planner import geo
from planner.grouping import OWN, key, split
from planner.plan import build_plan
from planner.traveler import make_traveler

CASES = {
    "RU dual": ("RU", "Moscow", dt.date(2022, 9, 28), ("US", "RU")),
    "RU reservist": ("RU", "Moscow", dt.date(2022, 9, 28), ("RU",)),
    "UA man": ("UA", "Kyiv", dt.date(2022, 3, 1), ("UA",)),
    "IL American": ("IL", "Tel Aviv", dt.date(2023, 10, 15), ("US",)),
    "LB dual": ("LB", "Beirut", dt.date(2024, 10, 5), ("LB", "US")),
}


def plan_of(case: str):
    departure, near, on, citizenships = CASES[case]
    status = "reservist" if case == "RU reservist" else "none"
    traveler = make_traveler(citizenships=citizenships, sex="male", age=30, military_status=status)
    return build_plan(traveler, on, departure, location=geo.find_place(near, departure))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_reason_is_the_routes_own_or_in_a_section_it_names(case):
    plan = plan_of(case)
    groups = {g.id: g for g in plan.shared}
    for option in plan.routes:
        own, refs = split(option, plan.shared)
        reached = Counter(key(r) for r in own)
        for ref in refs:
            group = groups[ref.group]
            assert option.id in group.route_ids
            keys = {key(r) for r in group.reasons}
            mine = [r for r in option.reasons if key(r) in keys]
            assert ref.count == len(mine)
            reached.update(key(r) for r in mine)
        assert reached == Counter(key(r) for r in option.reasons), option.id


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_shared_section_holds_sourced_facts_of_several_routes_never_a_routes_own(case):
    plan = plan_of(case)
    for group in plan.shared:
        assert group.reasons and group.title
        if group.about == "routes":
            assert len(group.route_ids) >= 2
        for reason in group.reasons:
            assert reason.about not in OWN and reason.source_url
    ids = [g.id for g in plan.shared]
    assert len(ids) == len(set(ids))


def test_each_fact_is_said_once_not_on_every_route():
    plan = plan_of("RU dual")
    every = sum(len(o.reasons) for o in plan.routes)
    once = sum(len(split(o, plan.shared)[0]) for o in plan.routes)
    once += sum(len(g.reasons) for g in plan.shared)
    assert once < every / 2  # 354 reasons on the routes; said once, about 170
    titles = [g.title for g in plan.shared]
    assert "All flights from Moscow" in titles and "All land crossings into Kazakhstan" in titles


def test_exit_rules_come_first_and_each_route_they_cover_names_them():
    plan = plan_of("UA man")
    rules = plan.shared[0]
    assert rules.id == "exit-rules" and rules.title == "Leaving Ukraine: rules that apply to you"
    assert all(r.about == "exit_rule" for r in rules.reasons)
    for option in plan.routes:
        own, refs = split(option, plan.shared)
        assert not any(r.about == "exit_rule" for r in own)
        if option.id in rules.route_ids:
            ref = next(r for r in refs if r.group == "exit-rules")
            assert ref.effect == "blocks" and option.verdict == "blocked"  # martial law
