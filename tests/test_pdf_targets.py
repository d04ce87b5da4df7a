"""Issue 15 on the shipped data: the PDF as people use it, short, each thing said once.

Four real plans (planner.plan.build_plan with the offline advisory snapshot, as the CLI
makes them): a US-Russian dual national and a Russian reservist leaving Moscow on
2022-09-28, a US citizen leaving Kyiv on 2022-03-01 and Tel Aviv on 2023-10-15. Every PDF
is read back with pypdf.

How repeated paragraphs are counted. A paragraph is a text the renderer draws as one block:
one `text_block` call or one table cell (recorded while rendering), and every text of the
plan itself (reasons, risks, tasks and why, alerts, notices, advice summaries). Each one of
80 or more characters is looked for in the PDF's text as pypdf extracts it, with the page
footers removed and all white space taken out (a paragraph wraps anywhere, a URL even inside
a word); it may be found at most twice.

How "every fact stays reachable" is checked. On the full PDF (`full=True`, a card for every
route) every reason of every route (the JSON's `routes[].reasons`) is either on that route's
card, or on an earlier card that the route's card names ("as for route 3"), or in a shared
section that the card names ("+ 2 in A. ...") and that lists the route. On the short default
PDF a route outside the top five keeps its key reason (in short, with its source number) in
its table row, and the letters of its shared sections, each of which lists it by name.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from planner import geo
from planner.advisories.fetch import get_advisories
from planner.export import layout
from planner.export.outline import outline
from planner.export.pdf import render_pdf, urgent_items
from planner.export.pdf_routes import compact_names, reason_again, shared_ref
from planner.export.wording import gist
from planner.grouping import key, split
from planner.messages import t
from planner.plan import build_plan
from planner.traveler import make_traveler

# name: (traveler, plan date, departure, place, most pages on A4)
CASES = {
    "ru-dual": (
        dict(citizenships=("US", "RU"), sex="male", age=30),
        "2022-09-28",
        "RU",
        "Moscow",
        10,
    ),
    "ru-reservist": (
        dict(citizenships=("RU",), sex="male", age=30, military_status="reservist"),
        "2022-09-28",
        "RU",
        "Moscow",
        10,
    ),
    "ua": (dict(citizenships=("US",)), "2022-03-01", "UA", "Kyiv", 6),
    "il": (dict(citizenships=("US",)), "2023-10-15", "IL", "Tel Aviv", 6),
    "lb": (dict(citizenships=("US",)), "2024-10-03", "LB", "Beirut", 6),
}
PAPERS = ("a4", "letter")
_plans: dict = {}
_pdfs: dict = {}


def plan_of(case: str):
    if case not in _plans:
        traveler, on, departure, place, _ = CASES[case]
        _plans[case] = build_plan(
            make_traveler(**traveler),
            dt.date.fromisoformat(on),
            departure,
            location=geo.find_place(place, departure),
            **get_advisories(departure, offline=True).plan_kwargs(),
        )
    return _plans[case]


def pages_of(case: str, paper: str = "a4", **options) -> list[str]:
    key = (case, paper, tuple(sorted(options.items())))
    if key not in _pdfs:
        pdf = render_pdf(plan_of(case), paper=paper, **options)
        _pdfs[key] = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return _pdfs[key]


FOOTER = re.compile(r"\n?Generated [^\n]* · page \d+ of \d+\s*$")


def flat(text: str) -> str:
    """The text with all white space taken out: what wraps where does not matter."""
    return "".join(text.split())


def body(pages: list[str]) -> str:
    """The PDF's text without the footer of each page, white space taken out."""
    return "".join(flat(FOOTER.sub("", page)) for page in pages)


# ---------------------------------------------------------------------- pages


@pytest.mark.parametrize("case", CASES)
def test_the_plan_fits_its_page_target_on_a4(case):
    assert len(pages_of(case)) <= CASES[case][4]


@pytest.mark.parametrize("case", CASES)
def test_letter_takes_at_most_one_page_more(case):
    """Letter is 18 mm shorter than A4: the same plan may need one more page, no more."""
    assert len(pages_of(case, "letter")) <= CASES[case][4] + 1


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("case", CASES)
def test_page_one_stands_alone_and_the_checklist_follows(case, paper):
    plan = plan_of(case)
    pages = pages_of(case, paper)
    first = " ".join(pages[0].split())
    assert t("pdf.urgent.title") in first
    assert sum(item.text in first for item in urgent_items(plan.checklist)) >= 3
    # The pointer to the checklist is the last thing on page 1: nothing spilled over.
    assert " ".join(t("pdf.urgent.more", n=len(plan.checklist)).split()) in first
    top = outline(plan).routes[:3]
    assert [o.name for o in top if o.name not in first] == []
    # Page 2: what changed in the last days, in a few lines, then the checklist.
    checklist = t("pdf.checklist.title", n=len(plan.checklist))
    changed = t("pdf.changes.title", days=7)
    assert checklist not in first and pages[1].lstrip().startswith(changed)
    assert checklist in pages[1]


# ---------------------------------------------------------------------- said once


def _record(monkeypatch) -> list[tuple[object, str]]:
    """Every paragraph the renderer draws, with the document it draws in: each text_block,
    and each table cell. (Page 1 may be drawn more than once, denser each time, until it
    fits: only the last document counts.)"""
    drawn: list[tuple[object, str]] = []
    text_block, table_row = layout.Document.text_block, layout.Document.table_row

    def recorded_block(doc, text, **kwargs):
        drawn.append((doc, text))
        return text_block(doc, text, **kwargs)

    def recorded_row(doc, cells, widths, **kwargs):
        for cell in [*cells, *kwargs.get("below", ())]:
            drawn.extend((doc, part) for part in (cell.text, cell.more) if part)
        return table_row(doc, cells, widths, **kwargs)

    monkeypatch.setattr(layout.Document, "text_block", recorded_block)
    monkeypatch.setattr(layout.Document, "table_row", recorded_row)
    return drawn


def _printed(drawn: list[tuple[object, str]]) -> list[str]:
    final = drawn[-1][0]
    return [text for doc, text in drawn if doc is final]


def _plan_texts(plan) -> list[str]:
    texts = [r.text for o in plan.routes for r in o.reasons]
    texts += [r.text for g in plan.shared for r in g.reasons]
    texts += [r.text for r in plan.risks]
    texts += [i.text for i in plan.checklist] + [i.reason for i in plan.checklist]
    texts += [a.text for a in plan.alerts] + list(plan.notices)
    texts += [n for a in plan.advisories for n in (a.summary, *a.regional_notes) if n]
    texts += [plan.ordering, plan.method]
    if plan.headline is not None:
        texts.append(plan.headline.text)
    return texts


RTL = re.compile("[\u0590-\u08ff]")  # pypdf reads shaped Hebrew and Arabic back reordered


@pytest.mark.parametrize("full", [False, True], ids=["short", "full"])
@pytest.mark.parametrize("case", CASES)
def test_no_paragraph_of_80_characters_prints_more_than_twice(case, full, monkeypatch):
    """On the full PDF only the paragraphs as drawn are counted: the data gives three Latvian
    crossings status notes that start with the same 358 characters and end differently, and
    each card prints its own note whole."""
    plan = plan_of(case)
    drawn = _record(monkeypatch)
    pdf = render_pdf(plan, full=full)
    text = body([page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages])
    printed = _printed(drawn)
    long = {flat(p) for p in printed if len(" ".join(p.split())) >= 80 and not RTL.search(p)}
    # The counting sees what was drawn (else it would find nothing and pass).
    assert long and [p[:60] for p in long if p not in text] == []
    if not full:
        long |= {flat(p) for p in _plan_texts(plan) if len(" ".join(p.split())) >= 80}
    repeated = {p[:60]: text.count(p) for p in long if text.count(p) > 2}
    assert repeated == {}


def test_the_old_pdf_would_have_failed_the_count():
    """The check finds repeats where there are some: the same exit rule under every route."""
    plan = plan_of("ru-reservist")
    rule = next(r for r in plan.shared[0].reasons if len(r.text) >= 80)
    assert sum(rule in o.reasons for o in plan.routes) > 2  # the JSON says it per route
    assert body(pages_of("ru-reservist", full=True)).count(flat(rule.text)) == 1


# ---------------------------------------------------------------------- reachable


def _cards(text: str, plan, out) -> dict[str, str]:
    """Each details card's text, found in order after the details heading."""
    title = "pdf.details.all" if out.full else "pdf.details.title"
    start = text.index(flat(t(title, n=len(out.detailed))))
    end = text.index(flat(t("pdf.advisories.title")), start)
    if plan.shared:
        end = text.index(flat(t("pdf.shared.title", n=len(plan.shared))), start)
    heads = []
    for option in out.detailed:
        start = text.index(flat(f"{out.number(option)}. {option.name}"), start)
        heads.append((option.id, start))
    bounds = [*(s for _, s in heads[1:]), end]
    return {rid: text[s:e] for (rid, s), e in zip(heads, bounds, strict=True)}


def _sections(text: str, plan, out) -> dict[str, str]:
    """Each shared section's text: from its letter and title to the next one."""
    start = text.index(flat(t("pdf.shared.title", n=len(plan.shared))))
    heads = []
    for group in plan.shared:
        start = text.index(flat(f"{out.letters[group.id]}. {group.title}"), start)
        heads.append((group.id, start))
    end = text.index(flat(t("pdf.advisories.title")), start)
    bounds = [*(s for _, s in heads[1:]), end]
    return {gid: text[s:e] for (gid, s), e in zip(heads, bounds, strict=True)}


def unreachable(plan, text: str, out) -> list[tuple[str, str]]:
    """(route, reason) pairs the PDF text does not give for a route with a card."""
    cards, sections = _cards(text, plan, out), _sections(text, plan, out) if plan.shared else {}
    members = {g.id: [o for o in out.routes if o.id in g.route_ids] for g in plan.shared}
    missing = []
    for option in out.detailed:
        card = cards[option.id]
        own, refs = split(option, plan.shared)
        for reason in own:
            said = flat(reason.text) in card or any(
                flat(reason.text) in cards[other.id]
                and flat(reason_again(reason, out.number(other))) in card
                for other in out.detailed[: out.detailed.index(option)]
            )
            if not said:
                missing.append((option.id, reason.text[:50]))
        for ref in refs:
            group = next(g for g in plan.shared if g.id == ref.group)
            section = sections[group.id]
            listed = (
                flat(compact_names(members[group.id], out)) in section
                or flat(t("pdf.shared.applies_all", n=len(group.route_ids))) in section
            )
            keys = {key(r) for r in group.reasons}
            for reason in option.reasons:
                if key(reason) in keys:
                    said = flat(reason.text) in section
                    if not (said and listed and flat(shared_ref(ref, out)) in card):
                        missing.append((option.id, reason.text[:50]))
    return missing


@pytest.mark.parametrize("case", CASES)
def test_every_reason_of_every_route_is_reachable_in_the_full_pdf(case):
    plan = plan_of(case)
    out = outline(plan, full=True)
    assert len(out.detailed) == len(plan.routes)
    text = body(pages_of(case, full=True))
    assert unreachable(plan, text, out) == []
    reasons = sum(len(o.reasons) for o in plan.routes)
    assert reasons > len(plan.routes)  # and there were many to reach


@pytest.mark.parametrize("case", CASES)
def test_the_short_pdf_keeps_each_route_its_key_reason_and_shared_sections(case):
    plan = plan_of(case)
    out = outline(plan)
    text = body(pages_of(case))
    assert unreachable(plan, text, out) == []  # the top routes, in full
    table = text[text.index(flat(t("pdf.routes.title", n=len(out.routes)))) :]
    for option in out.routes:
        own, refs = split(option, plan.shared)
        main = min(own, key=lambda r: ["blocks", "caution", "info"].index(r.effect), default=None)
        row = table[
            table.index(flat(f"{out.number(option)}{t(f'pdf.verdict.{option.verdict}')}")) :
        ]
        row = row[: row.index(flat(option.name)) + 400]
        if main is not None:
            assert flat(gist(main.text, 40)).rstrip("…")[:30] in row, option.id
            assert out.cite(main.source_url) in row, option.id
        letters = "".join(out.letters[r.group] for r in refs)
        assert letters in re.sub(r"[▲✖]", "", row), option.id


def test_shared_sections_name_their_routes_compactly():
    plan = plan_of("ru-dual")
    out = outline(plan)
    group = next(g for g in plan.shared if 2 < len(g.route_ids) < len(plan.routes))
    members = [o for o in out.routes if o.id in group.route_ids]
    names = compact_names(members, out)
    for option in members:  # each by its number and the part of its name not said before
        head, _, tail = option.name.partition(" – ")
        assert f"{tail or head} ({out.number(option)})" in names
    assert flat(names) in body(pages_of("ru-dual"))


# ---------------------------------------------------------------------- which cards


def test_details_go_to_the_top_five_and_to_routes_starred_or_added():
    plan = plan_of("ru-dual")
    late = outline(plan).routes[40]
    default = body(pages_of("ru-dual"))
    card = flat(f"{outline(plan).number(late)}. {late.name}")
    assert card not in default
    starred = render_pdf(plan, starred=[late.id])
    text = body([p.extract_text() for p in PdfReader(io.BytesIO(starred)).pages])
    assert card in text and flat(t("pdf.details.title", n=6)) in text
    added = late.model_copy(update={"added_by_user": True, "unsourced": True})
    routes = tuple(added if o.id == late.id else o for o in plan.routes)
    own = render_pdf(plan.model_copy(update={"routes": routes}))
    text = body([p.extract_text() for p in PdfReader(io.BytesIO(own)).pages])
    assert card in text and flat(t("pdf.route.added_by_user")) in text


# ---------------------------------------------------------------------- no personal details


def test_no_personal_details_in_shared_sections_either():
    plan = plan_of("ru-reservist")
    personal = {r.text for g in plan.shared for r in g.reasons if r.personal}
    assert personal  # the mobilisation rules are a shared section for a reservist
    for full in (False, True):
        text = body(pages_of("ru-reservist", personal=False, full=full))
        assert [p[:50] for p in personal if flat(p)[:60] in text] == []
        assert "reservist" not in text.casefold()
        sections = _sections(text, plan, outline(plan, full=full))
        exit_rules = sections[plan.shared[0].id]
        assert flat(t("pdf.personal.reason")) in exit_rules  # the section keeps its effect
    withheld = {r.text for o in plan.routes for r in o.reasons if r.personal} | personal
    risks = [r for r in plan.risks if r.personal or r.category == "conscription"]
    items = [i for i in plan.checklist if i.personal or i.category == "military"]
    count = len(withheld) + len(risks) + len(items)
    assert flat(t("pdf.personal.left_out", count=count)) in body(
        pages_of("ru-reservist", personal=False)
    )


@pytest.mark.parametrize("case", ["ru-dual", "il"])
def test_no_line_of_a_real_plan_runs_off_the_page(case, overflows):
    """The table's cells and the cards, full and short, on both papers (and Hebrew)."""
    for paper in PAPERS:
        for full in (False, True):
            render_pdf(plan_of(case), paper=paper, full=full)
    assert overflows == []
