"""Section 3, "Ways out": the top routes as cards, then every route in a table.

A card says the verdict in a big coloured word, which passport to show on exit and on entry,
distance, time and wait, and every reason with its source and date (old facts marked).
The ranking is the core's; this module only filters what is shown.
"""

from __future__ import annotations

import functools
import json

import streamlit as st

from planner.grouping import split
from planner.messages import format_date, format_hours, format_km, t
from planner.models import Plan, Reason, RouteOption, SharedGroup, SharedRef
from ui import resources
from ui.labels import (
    KINDS,
    VERDICT_HEX,
    esc,
    label,
    level_badge,
    say,
    source_link,
    verdict_badge,
    verdict_word,
)
from ui.memo import per_object
from ui.replay import replay

TOP = 3
EFFECT_ICON = {"blocks": "✖", "caution": "▲", "info": "•"}


def filters() -> tuple[list[str], bool]:
    st.session_state.setdefault("route_kinds", list(KINDS))
    st.session_state.setdefault("hide_blocked", False)
    left, right = st.columns([3, 2])
    with left:
        kinds = st.multiselect(
            t("app.routes.kinds"),
            list(KINDS),
            key="route_kinds",
            format_func=lambda k: label("app.kind", k),
        )
    with right:
        hide = st.checkbox(t("app.routes.hide_blocked"), key="hide_blocked")
    return kinds, hide


def shown_routes(plan: Plan, kinds: list[str], hide_blocked: bool) -> list[RouteOption]:
    return [
        o for o in plan.routes if o.kind in kinds and not (hide_blocked and o.verdict == "blocked")
    ]


def render(plan: Plan, options: list[RouteOption]) -> None:
    if not plan.routes:
        st.info(say("app.routes.none", country=plan.departure_country_name))
        return
    if not options:
        st.info(say("app.routes.none_shown"))
        return
    counts = {v: sum(o.verdict == v for o in plan.routes) for v in ("go", "caution", "blocked")}
    st.markdown(
        " ".join(
            f"{verdict_badge(v, big=False)} {counts[v]}&nbsp;&nbsp;" for v in counts if counts[v]
        ),
        unsafe_allow_html=True,
    )
    shared(plan)
    st.subheader(say("app.routes.top", n=min(TOP, len(options))))
    for n, option in enumerate(options[:TOP], 1):
        card(option, n, plan)


def shared(plan: Plan) -> None:
    """The facts several routes share, once, above the routes (planner/grouping.py): each a
    disclosure; the exit rules open, since they decide for every route they cover."""
    if plan.shared:
        st.markdown(_shared_markdown(plan.shared, _names(plan)), unsafe_allow_html=True)


def _names(plan: Plan) -> tuple[tuple[str, str], ...]:
    return tuple((o.id, o.name) for o in plan.routes)


@functools.lru_cache(maxsize=16)
def _shared_markdown(groups: tuple[SharedGroup, ...], names: tuple[tuple[str, str], ...]) -> str:
    """The exit rules open (they decide for every route they cover); the other sections in
    one closed box, so the best routes stay near the top of the page."""
    named = dict(names)
    rules = [g for g in groups if g.about == "exit_rules"]
    others = [g for g in groups if g.about != "exit_rules"]
    parts = [_group(g, named, opened=True) for g in rules]
    if others:
        inner = "\n\n".join(_group(g, named, opened=False) for g in others)
        title = say("app.shared.heading", n=len(others))
        parts.append(f'<details class="dp-why"><summary>{title}</summary>\n\n{inner}\n\n</details>')
    return "\n\n".join(parts)


def _group(group: SharedGroup, named: dict[str, str], *, opened: bool) -> str:
    reasons = "\n\n".join(_reason(r) for r in group.reasons)
    routes = ""
    if group.about == "routes":
        listed = "; ".join(named[i] for i in group.route_ids if i in named)
        routes = f'<span class="dp-muted">{say("app.shared.for", routes=listed)}</span>\n\n'
    title = say("app.shared.title", title=group.title, n=len(group.reasons))
    return (
        f'<details class="dp-why"{" open" if opened else ""}><summary>{title}</summary>\n\n'
        f"{routes}{reasons}\n\n</details>"
    )


def rest(plan: Plan, options: list[RouteOption]) -> None:
    """Every shown route in a table, and any one of them as a card on request."""
    st.subheader(say("app.routes.all", n=len(options)))
    st.caption(esc(plan.ordering or t("app.routes.order")))
    table(options)
    rest = options[TOP:]
    if rest:
        titles = {o.id: _option_title(o) for o in rest}
        st.selectbox(
            t("app.routes.detail"),
            [o.id for o in rest],
            key="route_detail",
            index=None,
            format_func=lambda i: titles[i],
            placeholder=t("app.routes.detail_ph"),
        )
        chosen = st.session_state.get("route_detail")
        picked = next((o for o in rest if o.id == chosen), None)
        if picked is not None:
            card(picked, options.index(picked) + 1, plan)


def _option_title(option: RouteOption) -> str:
    mine = "".join(f" ({word})" for word in own_words(option))
    return f"{verdict_word(option.verdict)} · {option.name}{mine} → {option.to_country_name}"


def own_words(option: RouteOption) -> list[str]:
    """ "added by you" (and "no source given") wherever a route the person added is named."""
    if not option.added_by_user:
        return []
    return [t("pdf.route.added_by_user")] + ([t("pdf.route.unsourced")] if option.unsourced else [])


def card(option: RouteOption, number: int, plan: Plan) -> None:
    """The option's card, as one element: a rerun pays for each element about as much as for
    its text, so the box, its facts and its reasons are one block of markdown and HTML."""
    own, refs = split(option, plan.shared)
    st.markdown(_card_markdown(option, number, tuple(own), tuple(refs)), unsafe_allow_html=True)


SHORT_WHY = 2  # the route's own facts shown before "more"


@functools.lru_cache(maxsize=64)
def _card_markdown(
    option: RouteOption, number: int, own: tuple[Reason, ...], refs: tuple[SharedRef, ...]
) -> str:
    """The card: its facts, its strongest own reasons, a line for each shared section that
    applies (shown once above the routes), and its other reasons one click away. Options are
    frozen: a later plan's equal option (most, when only the date changed) finds its card
    here, for the price of comparing them."""
    first = "\n\n".join(_reason(r) for r in own[:SHORT_WHY])
    pointers = ""
    if refs:  # one line for all the sections that apply: they are shown once, above
        strongest = min((ref.effect for ref in refs), key=list(EFFECT_ICON).index)
        listed = " · ".join(_ref(ref) for ref in refs)
        pointers = f"{EFFECT_ICON[strongest]} {say('app.shared.also')} {listed}"
    more = ""
    if len(own) > SHORT_WHY:
        label = say("app.route.more_reasons", n=len(own) - SHORT_WHY)
        rest = "\n\n".join(_reason(r) for r in own[SHORT_WHY:])
        more = f'<details class="dp-why"><summary>{label}</summary>\n\n{rest}\n\n</details>'
    # Blank lines around the tags keep the markdown between them markdown.
    return (
        f'<div class="dp-card">\n\n{_card_body(option, number)}\n\n'
        f"{first}\n\n{pointers}\n\n{more}\n\n</div>"
    )


def _ref(ref: SharedRef) -> str:
    """A shared section that applies: how many of the route's facts are there, and their
    effect when it is more than information (in bold when it blocks the route)."""
    where = say("app.shared.ref", count=ref.count, title=ref.title)
    if ref.effect == "info":
        return where
    effect = say(f"app.shared.effect.{ref.effect}")
    return f"{where} (**{effect}**)" if ref.effect == "blocks" else f"{where} ({effect})"


def _card_body(option: RouteOption, number: int) -> str:
    """The card's facts as paragraphs: title, destination, the three big facts, details."""
    name = esc(option.name)
    local = f' <span class="dp-muted">{esc(option.name_local)}</span>'
    title = (
        f"{verdict_badge(option.verdict)} "
        f'<div class="dp-card-title">{number}. {name}{local if option.name_local else ""}</div>'
    )
    facts = [
        say("app.route.to", country=option.to_country_name, kind=label("app.kind", option.kind))
    ]
    facts += [f"**{esc(word)}**" for word in own_words(option)]
    if option.stale:
        facts.append(f"**{say('app.route.stale')}**")
    cells = (
        (t("app.route.exit"), _passport(option.exit_passport)),
        (t("app.route.entry"), _passport(option.entry_passport)),
        (t("app.route.time"), format_hours(option.hours)),
    )
    # Side by side on a wide screen, one under another on a phone (see .dp-facts in CSS).
    boxes = "".join(
        f'<div><div class="dp-muted">{esc(name)}</div><div class="dp-fact">{esc(value)}</div></div>'
        for name, value in cells
    )
    grid = f'<div class="dp-facts">{boxes}</div>'
    details = [
        t("app.route.distance", km=format_km(option.distance_km))
        + (f" ({t('route.approximate')})" if option.approximate else ""),
        t("app.route.entry_rule", text=option.entry_requirement),
        _wait(option),
        t(
            "app.route.status",
            status=label("pdf.status", option.status),
            date=format_date(option.status_as_of),
        ),
    ]
    if option.modes:
        details.append(
            t("app.route.modes", modes=", ".join(label("pdf.mode", m) for m in option.modes))
        )
    parts = [title, " · ".join(facts), grid, " · ".join(esc(d) for d in details)]
    if option.carriers:
        carriers = say("pdf.route.carriers", names=", ".join(option.carriers))
        parts.append(f'<span class="dp-muted">{carriers}</span>')
    if option.verdict == "blocked":
        parts.append(f"**{say('app.route.blocked_help')}**")
    # Blank lines keep each part its own paragraph (or HTML block) in the markdown.
    return "\n\n".join(parts)


def _reason(reason) -> str:
    link = source_link(
        reason.source_url, reason.as_of, stale=reason.stale, confidence=reason.confidence
    )
    return f"{EFFECT_ICON[reason.effect]} {esc(reason.text)}" + (
        f"  \n<small>{link}</small>" if link else ""
    )


def _passport(code: str | None) -> str:
    """ "Russia passport", "Russia (internal ID) passport", "Lebanon or United States
    passport" (the rule is not known: either may be asked for)."""
    if not code:
        return t("app.route.no_passport")
    named = []
    for one in code.split(" or "):
        head, _, rest = one.partition(" ")
        named.append(" ".join(filter(None, (resources.country_name(head), rest))))
    return t("app.route.passport", country=" or ".join(named))


def _wait(option: RouteOption) -> str:
    if option.wait_hours is None:
        return t("pdf.route.wait.none")
    return t(
        "app.route.wait",
        hours=format_hours(option.wait_hours),
        date=format_date(option.wait_as_of),
        source=label("pdf.wait_source", option.wait_source_type or ""),
    )


def table(options: list[RouteOption]) -> None:
    rows = [per_object(_row, o) for o in options]
    key = "[" + ",".join(text for _, text in rows) + "]"
    replay("routes-table", key, lambda: _table([row for row, _ in rows]))


def _row(o: RouteOption) -> tuple[dict, str]:
    """The option's row in the table, and the row as JSON (the table's replay key)."""
    row = {
        "verdict": verdict_word(o.verdict),
        "route": o.name + "".join(f" ({word})" for word in own_words(o)),
        "to": o.to_country_name,
        "kind": label("app.kind", o.kind),
        "exit": o.exit_passport or "—",
        "entry": o.entry_passport or "—",
        "km": o.distance_km,
        "hours": o.hours,
        "wait": format_hours(o.wait_hours) if o.wait_hours is not None else "—",
        "status": label("pdf.status", o.status),
        "as_of": format_date(o.status_as_of) if o.status_as_of else "",
        "stale": o.stale,
    }
    return row, json.dumps(row, default=str)


def _table(rows: list[dict]) -> None:
    import pyarrow as pa

    # The verdict as a coloured label: a read-only multiselect column draws each word on its
    # colour without pandas' Styler (~60 ms to render this table, plus jinja2 to import).
    words = [verdict_word(v) for v in VERDICT_HEX]
    st.dataframe(
        pa.Table.from_pylist(rows),  # ~4x faster to send than a pandas DataFrame
        hide_index=True,
        width="stretch",
        column_config={
            "verdict": st.column_config.MultiselectColumn(
                t("app.col.verdict"), options=words, color=list(VERDICT_HEX.values())
            ),
            "route": st.column_config.TextColumn(t("app.col.route"), width="large"),
            "to": st.column_config.TextColumn(t("app.col.to")),
            "kind": st.column_config.TextColumn(t("app.col.kind"), width="small"),
            "exit": st.column_config.TextColumn(
                t("app.col.exit"), help=t("app.col.exit_help"), width="small"
            ),
            "entry": st.column_config.TextColumn(
                t("app.col.entry"), help=t("app.col.entry_help"), width="small"
            ),
            "km": st.column_config.NumberColumn(t("app.col.km"), format="%.0f km"),
            "hours": st.column_config.NumberColumn(t("app.col.hours"), format="%.0f h"),
            "wait": st.column_config.TextColumn(t("app.col.wait"), width="small"),
            "status": st.column_config.TextColumn(t("app.col.status"), width="small"),
            "as_of": st.column_config.TextColumn(t("app.col.as_of")),
            "stale": st.column_config.CheckboxColumn(
                t("app.col.stale"), help=t("app.col.stale_help"), width="small"
            ),
        },
    )


def summary(plan: Plan) -> None:
    """One line at the top, in a box: the best way out now, or that there is none."""
    usable = [o for o in plan.routes if o.verdict != "blocked"]
    if not plan.routes:
        return
    if not usable:
        line = f"{verdict_badge('blocked')} **{say('app.summary.none')}**"
    else:
        best = usable[0]
        mine = "".join(f" · **{esc(word)}**" for word in own_words(best))
        line = f"{verdict_badge(best.verdict)} **{esc(_summary_name(best))}**{mine} " + say(
            "app.summary.passports",
            exit=_passport(best.exit_passport),
            entry=_passport(best.entry_passport),
        )
    advice = _advice_line(plan)
    # Blank lines around the tags keep the markdown between them markdown.
    st.markdown(f'<div class="dp-box">\n\n{line}\n\n{advice}\n\n</div>', unsafe_allow_html=True)


def _advice_line(plan: Plan) -> str:
    """Beside the best way out: what governments said on the plan date (the headline over
    the advice in force then), its level as a badge."""
    top, when = plan.headline, format_date(plan.as_of)
    if top is None or top.level is None:
        return f'<span class="dp-muted">{say("app.summary.no_advice", date=when)}</span>'
    words = say("app.summary.advice", level=top.level, date=when)
    leave = f"**{say('app.adv.leave_now')}** · " if top.leave_now else ""
    return f"{level_badge(top.level)} {leave}{words}"


def _summary_name(option: RouteOption) -> str:
    if option.to_country_name in option.name:
        return t("app.summary.best_named", name=option.name)
    return t("app.summary.best", name=option.name, country=option.to_country_name)


def section(plan: Plan) -> None:
    from ui import map as route_map
    from ui import user_routes

    st.header(say("app.routes.title"))
    if not plan.routes:
        st.info(say("app.routes.none", country=plan.departure_country_name))
        user_routes.render()
        return
    kinds, hide = filters()
    options = shown_routes(plan, kinds, hide)
    render(plan, options)
    if options:
        st.subheader(say("app.map.title"))
        route_map.render(plan, options)
        rest(plan, options)
    user_routes.render()
