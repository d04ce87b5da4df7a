"""Tests for planner/export/pdf.py: what the printed plan says, in which order, on which page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from plans import LONG_URL, moscow_plan, stress_plan
from pypdf import PdfReader

from planner.errors import InputError
from planner.export import layout
from planner.export.outline import outline
from planner.export.pdf import ordered_routes, render_pdf, urgent_items, without_personal_notes
from planner.messages import format_date, format_hours, format_km, t

MOSCOW = moscow_plan()
STRESS = stress_plan()


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def norm(text: str) -> str:
    """Text with runs of white space made one space, to find sentences the layout wrapped."""
    return " ".join(text.split())


def flat(text: str) -> str:
    """Text with line breaks removed, to find strings the layout wrapped."""
    return re.sub(r"\s*\n\s*", "", text)


@pytest.fixture(scope="module")
def moscow_pages() -> list[str]:
    pdf = render_pdf(MOSCOW, ticked=frozenset({"cash"}))
    return pages(pdf)


@pytest.fixture(scope="module")
def stress_pdf() -> bytes:
    return render_pdf(STRESS)


def test_route_names_print_in_latin_and_cyrillic(moscow_pages):
    text = "\n".join(moscow_pages)
    assert [o.name for o in MOSCOW.routes if o.name not in text] == []  # the table has all
    detailed = outline(MOSCOW).detailed  # the cards give the local name too
    assert [o.name_local for o in detailed if o.name_local not in text] == []
    full = "\n".join(pages(render_pdf(MOSCOW, full=True)))
    assert [o.name_local for o in MOSCOW.routes if o.name_local not in full] == []
    assert "Верхний Ларс – დარიალი" in full  # Cyrillic and Georgian on one line
    assert "Москва Шереметьево – Երևան" in full  # and Armenian


def test_page_one_stands_alone(moscow_pages):
    first = moscow_pages[0]
    assert "Leaving Russia" in first and "27 Sep 2022" in first
    assert "LEAVE NOW" in first and "level 4 of 4" in first
    assert "United States (State Department) (27 Sep 2022)" in flat(first) or (
        "United States (State Department) (27 Sep 2022)" in first.replace("\n", " ")
    )
    for option in ordered_routes(MOSCOW.routes)[:3]:
        assert option.name in first
    assert first.count("Exit: show RU passport") == 3
    assert "Entry: show US passport" in first
    assert "reported wait 2 days (26 Sep 2022, crowd report)" in first.replace("\n", " ")
    for item in urgent_items(MOSCOW.checklist):
        assert item.text in first
    assert "page 1 of" in first


def test_page_one_fits_for_the_stress_plan_on_letter_paper():
    first = pages(render_pdf(STRESS, paper="letter"))[0]
    for item in urgent_items(STRESS.checklist):
        assert item.text in first
    assert first.count("Exit:") == 3


def test_sections_come_in_order(moscow_pages):
    """As people use it (issue 15): act now, tick off, choose a route, then look things up."""
    text = "\n".join(moscow_pages)
    out = outline(MOSCOW)
    headings = [
        t("pdf.top_routes.title", n=3),
        t("pdf.urgent.title"),
        t("pdf.checklist.title", n=len(MOSCOW.checklist)),
        t("pdf.routes.title", n=len(MOSCOW.routes)),
        t("pdf.details.title", n=len(out.detailed)),
        t("pdf.advisories.title"),
        t("pdf.risks.title"),
        t("pdf.contacts.title"),
        t("pdf.sources.title", n=len(out.sources)),
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert t("pdf.checklist.title", n=len(MOSCOW.checklist)) in moscow_pages[1]


def test_advisory_table_lists_every_source(moscow_pages):
    text = " ".join(moscow_pages).replace("\n", " ")
    for name in ("United Kingdom (FCDO)", "Canada (Global Affairs)", "Reisewarnung"):
        assert name in text
    assert "live" in text and "snapshot" in text


def test_blocked_routes_print_last(stress_pdf):
    text = "\n".join(pages(stress_pdf))
    rows = re.findall(r"^(\d+) (GO|CAUTION|BLOCKED) (.+)$", text, flags=re.M)
    assert [int(n) for n, _, _ in rows] == list(range(1, 61))  # one table row per route
    verdicts = [verdict for _, verdict, _ in rows]
    first_blocked = verdicts.index("BLOCKED")
    assert set(verdicts[first_blocked:]) == {"BLOCKED"}
    names = [name for _, _, name in rows]
    assert [
        o.name
        for o in ordered_routes(STRESS.routes)
        if not any(n.startswith(o.name) for n in names)
    ] == []


def test_reasons_show_dates_staleness_and_unverified(moscow_pages):
    text = " ".join(moscow_pages).replace("\n", " ")
    assert "(26 Sep 2022, unverified)" in text
    assert "(19 Sep 2022, low confidence, may be out of date)" in text
    assert "Blocks: Closed to Russian citizens holding tourist visas" in text


def test_checklist_is_grouped_with_boxes_priorities_and_reasons(moscow_pages):
    text = "\n".join(moscow_pages)
    checklist = text[text.index(t("pdf.checklist.title", n=len(MOSCOW.checklist))) :]
    for item in MOSCOW.checklist:
        assert item.text in checklist
    assert "Documents (2)" in checklist and "Military service (1)" in checklist
    assert "Do now · Why: Russian bank cards do not work abroad" in checklist
    # one tick for "cash" on page 1 and one in the full checklist
    assert text.count("✓") == 2


def test_contacts_and_sources_are_printed(moscow_pages):
    text = "\n".join(moscow_pages)
    assert "+7 495 728-5000" in text and "112" in text
    joined = flat(text)
    listed = outline(MOSCOW).sources
    assert [s.url for s in listed if flat(s.url) not in joined] == []
    # Each URL once, numbered, at the end; before it only a contact's own web address shows.
    heading = t("pdf.sources.title", n=len(listed))
    before, after = text.split(heading)
    for n, source in enumerate(listed, 1):
        assert flat(after).count(flat(f"[{n}] {source.url}")) == 1
    shown = re.findall(r"https?://\S+", before)
    assert shown and all(any(c.url.startswith(u) for c in MOSCOW.contacts if c.url) for u in shown)
    # Facts cite the numbers, and every number cited is listed.
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", before)}
    assert cited and cited <= set(range(1, len(listed) + 1))
    assert "(as of 27 Sep 2022)" in text
    full = flat("\n".join(pages(render_pdf(MOSCOW, full=True))))
    assert [s.url for s in MOSCOW.sources if flat(s.url) not in full] == []
    assert flat(LONG_URL) in full  # wrapped over lines, but all there


def test_a_route_the_person_added_is_marked_wherever_it_prints():
    own = MOSCOW.routes[0].model_copy(
        update={
            "id": "user-boat",
            "name": "Friend's boat",
            "added_by_user": True,
            "unsourced": True,
        }
    )
    moscow_pages = pages(render_pdf(MOSCOW.model_copy(update={"routes": (own, *MOSCOW.routes)})))
    first = norm(moscow_pages[0])
    assert "Friend's boat" in first and "added by you · no source given" in first
    rest = norm("\n".join(moscow_pages[1:]))
    assert "1. Friend's boat" in rest and "added by you · no source given" in rest


def test_every_page_has_the_footer():
    texts = pages(render_pdf(STRESS, full=True))
    assert len(texts) > 10
    for n, text in enumerate(texts, 1):
        assert f"page {n} of {len(texts)}" in text
        assert "Not an official source: check the links." in text
        assert "Generated 27 Sep 2022, 14:05 UTC" in text


def test_stress_plan_prints_every_route_and_item(stress_pdf):
    text = norm("\n".join(pages(stress_pdf)))
    assert [o.name for o in STRESS.routes if o.name not in text] == []
    assert [i.text for i in STRESS.checklist if i.text not in text] == []


def test_no_line_runs_off_the_page(overflows):
    for paper in layout.PAPERS:
        render_pdf(STRESS, paper=paper)
    assert overflows == []


def test_personal_details_are_left_out_on_request():
    personal = "\n".join(pages(render_pdf(MOSCOW)))
    private = "\n".join(pages(render_pdf(MOSCOW, personal=False)))
    assert "reservist" in personal and "age 34" in personal and "Москва)" in personal
    for detail in ("reservist", "age 34", "male", "citizen of", "starting from"):
        assert detail not in private
    assert "Exit: show RU passport" in private  # the passport advice stays


def test_letter_paper_has_letter_pages():
    reader = PdfReader(io.BytesIO(render_pdf(MOSCOW, paper="letter")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    box = PdfReader(io.BytesIO(render_pdf(MOSCOW))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_unknown_paper_is_an_input_error():
    with pytest.raises(InputError, match="a4, letter"):
        render_pdf(MOSCOW, paper="a3")


def test_a_plan_without_routes_advisories_or_contacts_still_prints():
    empty = MOSCOW.model_copy(
        update={"routes": (), "headline": None, "advisories": (), "contacts": (), "risks": ()}
    )
    text = "\n".join(pages(render_pdf(empty)))
    assert t("pdf.routes.none") in text and t("pdf.headline.none") in text


def test_shortcuts_draw_what_plain_fpdf_draws(monkeypatch):
    """Font cache, lean font files and our own text rows against plain fpdf2 and cell().

    The pages are the same bytes; the embedded fonts differ only in the bounds in their
    head/hhea/maxp tables and in how glyphs are encoded, so they are compared by content.
    """
    fast = PdfReader(io.BytesIO(render_pdf(MOSCOW)))
    monkeypatch.setattr(layout, "_CACHEABLE", False)
    plain = PdfReader(io.BytesIO(render_pdf(MOSCOW)))
    assert len(fast.pages) == len(plain.pages)
    for ours, theirs in zip(fast.pages, plain.pages, strict=True):
        assert ours.get_contents().get_data() == theirs.get_contents().get_data()
    assert _embedded_fonts(fast) == _embedded_fonts(plain)
    assert len(_embedded_fonts(fast)) == 2


def _embedded_fonts(reader: PdfReader) -> dict:
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            cid = font["/DescendantFonts"][0].get_object()
            program = TTFont(io.BytesIO(cid["/FontDescriptor"]["/FontFile2"].get_data()))
            glyf = program["glyf"]
            fonts[font["/BaseFont"]] = (
                font["/ToUnicode"].get_data(),
                list(cid["/W"]),
                program.getGlyphOrder(),
                program.getBestCmap(),
                program["hmtx"].metrics,
                sorted(program.keys()),
                [glyf[name].getCoordinates(glyf)[:2] for name in program.getGlyphOrder()],
            )
    return fonts


@pytest.mark.parametrize("style", sorted(layout.FONT_FILES))
def test_bundled_font_covers_the_scripts_we_print(style):
    cmap = TTFont(layout.FONT_FILES[style]).getBestCmap()
    text = "Верхний Ларс Торфяновка დარიალი Երևան Türkiye ✓☎✖▲•→–·"
    assert [c for c in text if c != " " and ord(c) not in cmap] == []
    assert (layout.FONT_DIR / "LICENSE-DejaVu.txt").is_file()


def test_formatting_helpers():
    import datetime as dt

    assert format_date(dt.date(2022, 9, 27)) == "27 Sep 2022"
    assert format_date(None) == "date unknown"
    assert format_hours(0.5) == "30 min"
    assert format_hours(3.5) == "3 h 30 min"
    assert format_hours(26) == "26 h"
    assert format_hours(48) == "2 days"
    assert format_hours(80) == "3 days 8 h"
    assert format_km(1860) == "1,860 km"
    assert format_km(8.54) == "8.5 km"


def test_every_page_renders_to_png(tmp_path: Path, stress_pdf):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing: apt-get install poppler-utils (CI installs it)")
    for name, pdf in (("moscow", render_pdf(MOSCOW, paper="letter")), ("stress", stress_pdf)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            ["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "Error" not in result.stderr, result.stderr
        pngs = sorted(tmp_path.glob(f"{name}-*.png"))
        assert len(pngs) == len(PdfReader(io.BytesIO(pdf)).pages)
        assert all(p.stat().st_size > 1000 for p in pngs)


def _reservist_plan():
    import datetime as dt

    from planner import geo
    from planner.models import Traveler
    from planner.plan import build_plan

    reservist = Traveler(citizenships=("US", "RU"), sex="male", age=30, military_status="reservist")
    return build_plan(reservist, dt.date(2022, 9, 28), "RU", location=geo.find_place("Moscow"))


def test_no_personal_leaves_out_every_note_chosen_by_sex_age_or_service_and_says_so():
    plan = _reservist_plan()
    personal = {r.text for o in plan.routes for r in o.reasons if r.personal}
    personal |= {n.title for n in plan.risks if n.personal or n.category == "conscription"}
    personal |= {i.text for i in plan.checklist if i.personal or i.category == "military"}
    assert len(personal) > 5  # mobilisation rules, call-up risks, deferment papers, ...
    text = norm(" ".join(pages(render_pdf(plan, personal=False))))
    assert [p for p in personal if norm(p)[:60] in text] == []
    assert "reservist" not in text.casefold()
    assert "left out of this paper (no personal details)" in text
    assert t("pdf.personal.reason") in text  # in place of the rule, on every route it blocks


def test_no_personal_keeps_each_verdict_and_passport_and_counts_what_it_withheld():
    plan = _reservist_plan()
    private = without_personal_notes(plan)
    assert [(o.id, o.verdict, o.exit_passport, o.entry_passport) for o in private.routes] == [
        (o.id, o.verdict, o.exit_passport, o.entry_passport) for o in plan.routes
    ]
    for before, after in zip(plan.routes, private.routes, strict=True):
        strongest = min((r.effect for r in before.reasons), key=["blocks", "caution", "info"].index)
        assert min((r.effect for r in after.reasons), key=["blocks", "caution", "info"].index) == (
            strongest
        )
        assert not any(r.personal for r in after.reasons)
    withheld = {r.text for o in plan.routes for r in o.reasons if r.personal}
    withheld_notes = [n for n in plan.risks if n.personal or n.category == "conscription"]
    withheld_items = [i for i in plan.checklist if i.personal or i.category == "military"]
    count = len(withheld) + len(withheld_notes) + len(withheld_items)
    assert t("pdf.personal.left_out", count=count) in private.notices
    # The sources of what was withheld are not listed either (a decree's URL says enough).
    only_personal = {r.source_url for o in plan.routes for r in o.reasons if r.personal}
    only_personal -= {r.source_url for o in private.routes for r in o.reasons}
    assert only_personal and not only_personal & {s.url for s in private.sources}


def test_no_personal_neutralises_the_shared_sections_too():
    """The exit rules chosen by sex, age or military service are a shared section (said once,
    planner/grouping.py): they become the neutral line there, with the same effect, and every
    route still points to the same sections with the same strongest effect."""
    from planner.grouping import split

    plan = _reservist_plan()
    assert any(r.personal for g in plan.shared for r in g.reasons)
    private = without_personal_notes(plan)
    assert not any(r.personal for g in private.shared for r in g.reasons)
    neutral = [r for g in private.shared for r in g.reasons if r.text == t("pdf.personal.reason")]
    assert len(neutral) == 1
    for before, after in zip(plan.routes, private.routes, strict=True):
        was = [(r.group, r.effect) for r in split(before, plan.shared)[1]]
        assert [(r.group, r.effect) for r in split(after, private.shared)[1]] == was


def test_hebrew_and_arabic_names_are_shaped_right_to_left():
    import datetime as dt

    from planner import geo
    from planner.models import Traveler
    from planner.plan import build_plan

    plan = build_plan(
        Traveler(citizenships=("US", "IL"), sex="male", age=40),
        dt.date(2023, 10, 15),
        "IL",
        location=geo.find_place("Tel Aviv", country="IL"),
    )
    text = pages(render_pdf(plan))[0]
    # Read back in logical order, which pypdf can only do if the glyphs were laid out
    # right to left by the shaping engine (unshaped, the letters come back reversed).
    assert "מסוף נהר הירדן – جسر الشيخ حسين" in text


def test_every_advisory_source_has_a_printed_name():
    from planner.advisories import SOURCES
    from planner.messages import has

    assert [s for s in SOURCES if not has(f"pdf.source.{s}")] == []


def test_wording_helpers():
    from planner.export.outline import letter
    from planner.export.pdf import first_sentence
    from planner.export.wording import gist

    assert [letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
    assert gist("short text") == "short text"
    cut = gist("word " * 40, 30)
    assert len(cut) <= 30 and cut.endswith("…") and not cut.endswith(" …")
    assert first_sentence("Leave now. Flights are full.") == "Leave now. …"
    # An abbreviation's stops end no sentence.
    said = "U.S. citizens should depart now. Ukraine closed its airspace."
    assert first_sentence(said) == "U.S. citizens should depart now. …"
    assert first_sentence("No stop at all") == "No stop at all"


def test_shared_sections_name_routes_with_one_head_said_once():
    from planner.export.pdf_routes import compact_names

    routes = ordered_routes(MOSCOW.routes)[:3]
    out = outline(MOSCOW)
    names = compact_names(routes, out)
    for option in routes:
        head, _, tail = option.name.partition(" – ")
        assert f"{tail} ({out.number(option)})" in names
    odd = routes[0].model_copy(update={"name": "A name without a dash"})
    assert compact_names([odd], outline(MOSCOW.model_copy(update={"routes": (odd,)}))) == (
        "A name without a dash (1)"
    )


def test_a_wrapped_line_starting_with_a_date_before_arabic_keeps_left_to_right_order():
    # A line that starts with digits and then Arabic must not take Arabic's direction: the
    # page is English, so "2024) / مقاعد" stays in that order, not "مقاعد / (2024".
    doc = layout.Document("a4", "test")
    doc.add_page()
    head = "Canada-arranged seats on commercial flights from Beirut to Istanbul (from 27 Sept"
    doc.text_block(head + " 2024) / مقاعد بترتيب الحكومة الكندية", size=12)
    lines = PdfReader(io.BytesIO(bytes(doc.output()))).pages[0].extract_text().splitlines()
    wrapped = next(line for line in lines if "مقاعد" in line)
    assert wrapped.startswith("2024) / ")


def _russian_with_finnish_visa(on: str, **extra):
    import datetime as dt

    from planner import geo
    from planner.plan import build_plan
    from planner.traveler import make_traveler

    traveler = make_traveler(citizenships=("RU",), visas=("FI",), sex="male", age=30, **extra)
    return build_plan(
        traveler, dt.date.fromisoformat(on), "RU", location=geo.find_place("Moscow", "RU")
    )


def test_page_two_says_what_changed_in_the_last_week_with_sources():
    plan = _russian_with_finnish_visa("2022-10-05")
    out = outline(plan)
    text = pages(render_pdf(plan))
    second = norm(text[1])
    assert second.startswith(t("pdf.changes.title", days=7))
    cite = out.cite("https://en.interfax.com.ua/news/general/861920.html")
    assert "30 Sep 2022 · Verdict · Torfyanovka – Vaalimaa: GO → CAUTION: Restricted" in second
    assert re.search(r"Torfyanovka – Vaalimaa: GO → CAUTION: [^\[]*" + re.escape(cite), second)
    assert len(out.changes) == len(_lines(plan)) == 6  # a quiet week: all of it


def test_a_busy_week_prints_the_weightiest_lines_and_says_how_many_more():
    plan = _russian_with_finnish_visa("2022-09-28")
    out = outline(plan)
    lines = _lines(plan)
    assert len(out.changes) == 6 and out.changes_left == len(lines) - 6 > 0
    kinds = [g[0].kind for g in out.changes]
    assert "wait" not in kinds and "verdict" in kinds  # turned verdicts before queue reports
    second = norm(pages(render_pdf(plan))[1])
    assert t("pdf.changes.more", n=out.changes_left) in second
    assert second.index(t("pdf.changes.title", days=7)) < second.index("Checklist (")


def _lines(plan) -> list:
    from planner.changes import merged

    return merged(plan.changes)


def test_no_personal_details_leaves_out_changes_said_for_the_profile():
    plan = _russian_with_finnish_visa("2022-09-28", military_status="reservist")
    personal = [c for c in plan.changes if c.personal]
    assert personal, "exit rules for reservists began that week"
    anonymous = without_personal_notes(plan)
    assert [c for c in anonymous.changes if c.personal] == []
    assert len(anonymous.changes) == len(plan.changes) - len(personal)
