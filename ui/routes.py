"""Section 3, "Ways out": the top routes as cards, then every route in a table.

A card says the verdict in a big coloured word, which passport to show on exit and on entry,
distance, time and wait, and every reason with its source and date (old facts marked).
The ranking is the core's; this module only filters what is shown.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from planner.messages import format_date, format_hours, format_km, t
from planner.models import Plan, RouteOption
from ui import resources
from ui.labels import KINDS, VERDICT_HEX, label, md, source_link, verdict_badge, verdict_word
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
        st.info(t("app.routes.none", country=plan.departure_country_name))
        return
    if not options:
        st.info(t("app.routes.none_shown"))
        return
    counts = {v: sum(o.verdict == v for o in plan.routes) for v in ("go", "caution", "blocked")}
    st.markdown(
        " ".join(
            f"{verdict_badge(v, big=False)} {counts[v]}&nbsp;&nbsp;" for v in counts if counts[v]
        ),
        unsafe_allow_html=True,
    )
    st.subheader(t("app.routes.top", n=min(TOP, len(options))))
    for n, option in enumerate(options[:TOP], 1):
        card(option, n)


def rest(options: list[RouteOption]) -> None:
    """Every shown route in a table, and any one of them as a card on request."""
    st.subheader(t("app.routes.all", n=len(options)))
    st.caption(t("app.routes.order"))
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
            card(picked, options.index(picked) + 1)


def _option_title(option: RouteOption) -> str:
    return f"{verdict_word(option.verdict)} · {option.name} → {option.to_country_name}"


def card(option: RouteOption, number: int) -> None:
    """The option's card; drawn once per option and position, replayed after that."""
    replay("card", f"{number}|{option.model_dump_json()}", lambda: _card(option, number))


def _card(option: RouteOption, number: int) -> None:
    with st.container(border=True):
        name = html.escape(option.name)
        local = f' <span class="dp-muted">{html.escape(option.name_local)}</span>'
        st.markdown(
            f"{verdict_badge(option.verdict)} "
            f'<div class="dp-card-title">{number}. {name}'
            f"{local if option.name_local else ''}</div>",
            unsafe_allow_html=True,
        )
        facts = [
            t(
                "app.route.to",
                country=md(option.to_country_name),
                kind=md(label("app.kind", option.kind)),
            ),
        ]
        if option.added_by_user:
            facts.append(f"**{md(t('pdf.route.added_by_user'))}**")
        if option.stale:
            facts.append(f"**{md(t('app.route.stale'))}**")
        st.markdown(" · ".join(facts))
        cells = (
            (t("app.route.exit"), _passport(option.exit_passport)),
            (t("app.route.entry"), _passport(option.entry_passport)),
            (t("app.route.time"), format_hours(option.hours)),
        )
        for column, (name, value) in zip(st.columns(3), cells, strict=True):
            column.markdown(
                f'<div class="dp-muted">{html.escape(name)}</div>'
                f'<div class="dp-fact">{html.escape(value)}</div>',
                unsafe_allow_html=True,
            )
        details = [
            t("app.route.distance", km=format_km(option.distance_km)),
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
        st.markdown(" · ".join(md(d) for d in details))
        if option.carriers:
            st.caption(md(t("pdf.route.carriers", names=", ".join(option.carriers))))
        if option.verdict == "blocked":
            st.markdown(f"**{md(t('app.route.blocked_help'))}**")
        with st.expander(t("app.route.reasons", n=len(option.reasons)), expanded=number <= 1):
            # One block, a paragraph per reason: ~20 elements a card cost more than their text.
            st.markdown("\n\n".join(_reason(r) for r in option.reasons), unsafe_allow_html=True)


def _reason(reason) -> str:
    link = source_link(
        reason.source_url, reason.as_of, stale=reason.stale, confidence=reason.confidence
    )
    return f"{EFFECT_ICON[reason.effect]} {md(reason.text)}" + (
        f"  \n<small>{link}</small>" if link else ""
    )


def _passport(code: str | None) -> str:
    if not code:
        return t("app.route.no_passport")
    return t("app.route.passport", country=resources.country_name(code))


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
    rows = [
        {
            "verdict": verdict_word(o.verdict),
            "route": o.name + (f" ({t('pdf.route.added_by_user')})" if o.added_by_user else ""),
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
        for o in options
    ]
    replay("routes-table", json.dumps(rows, default=str), lambda: _table(rows))


def _table(rows: list[dict]) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows)
    words = {verdict_word(v): v for v in VERDICT_HEX}
    styled = frame.style.map(
        lambda w: (
            f"background-color: {VERDICT_HEX[words[w]]}; color: white; font-weight: 700;"
            if w in words
            else ""
        ),
        subset=["verdict"],
    )
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        column_config={
            "verdict": st.column_config.TextColumn(t("app.col.verdict"), width="small"),
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
    """One line at the top: the best way out now, or that there is none."""
    usable = [o for o in plan.routes if o.verdict != "blocked"]
    if not plan.routes:
        return
    if not usable:
        st.markdown(
            f"{verdict_badge('blocked')} **{md(t('app.summary.none'))}**", unsafe_allow_html=True
        )
        return
    best = usable[0]
    st.markdown(
        f"{verdict_badge(best.verdict)} "
        f"**{md(_summary_name(best))}** "
        + md(
            t(
                "app.summary.passports",
                exit=_passport(best.exit_passport),
                entry=_passport(best.entry_passport),
            )
        ),
        unsafe_allow_html=True,
    )


def _summary_name(option: RouteOption) -> str:
    if option.to_country_name in option.name:
        return t("app.summary.best_named", name=option.name)
    return t("app.summary.best", name=option.name, country=option.to_country_name)


def section(plan: Plan) -> None:
    from ui import map as route_map
    from ui import user_routes

    st.header(t("app.routes.title"))
    if not plan.routes:
        st.info(t("app.routes.none", country=plan.departure_country_name))
        user_routes.render()
        return
    kinds, hide = filters()
    options = shown_routes(plan, kinds, hide)
    render(plan, options)
    if options:
        st.subheader(t("app.map.title"))
        route_map.render(plan, options)
        rest(options)
    user_routes.render()
