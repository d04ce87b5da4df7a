"""The checklist-only PDF (planner/export/pdf_checklist.py) and `--checklist-only`: one or two
pages for the fridge door and the pocket, on the four plans of issue 15."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_pdf_targets import CASES, PAPERS, plan_of
from test_planfile import parser

from planner.export import command
from planner.export.outline import ordered_routes
from planner.export.pdf import render_checklist_pdf
from planner.export.planfile import dump_planfile
from planner.messages import format_date, t


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("case", CASES)
def test_the_checklist_alone_fits_on_one_or_two_pages_with_all_it_needs(case, paper):
    plan = plan_of(case)
    ticked = frozenset(item.id for item in plan.checklist[:2])
    texts = pages(render_checklist_pdf(plan, paper=paper, ticked=ticked))
    assert 1 <= len(texts) <= 2
    text = norm("\n".join(texts))
    assert t("pdf.only.title", country=plan.departure_country_name) in text
    assert format_date(plan.as_of) in text
    assert [i.text for i in plan.checklist if norm(i.text) not in text] == []
    assert text.count("✓") == 2  # the ticked boxes print ticked
    for option in ordered_routes(plan.routes)[:3]:
        assert norm(option.name) in text
    phones = [c.phone for c in plan.contacts if c.phone]
    assert phones and [p for p in phones if norm(p) not in text] == []
    # Only the tasks: not the reasons, routes table or sources of the full plan.
    assert "Why:" not in text and "Sources (" not in text and "[1]" not in text


def test_the_checklist_alone_without_personal_details():
    plan = plan_of("ru-reservist")
    private = norm("\n".join(pages(render_checklist_pdf(plan, personal=False))))
    military = [i.text for i in plan.checklist if i.personal or i.category == "military"]
    assert military and [m for m in military if norm(m) in private] == []
    assert t("pdf.from_place", place="Moscow") not in private
    assert t("pdf.from_place", place="Moscow") in norm("\n".join(pages(render_checklist_pdf(plan))))


# ---------------------------------------------------------------------- CLI


def test_plan_pdf_checklist_only_writes_the_short_paper(tmp_path: Path):
    plan = plan_of("ru-dual")
    out = tmp_path / "fridge.pdf"
    args = parser().parse_args(["plan", "--pdf", str(out), "--checklist-only", "--paper", "letter"])
    assert command.after_plan(plan, args) == [out]
    texts = pages(out.read_bytes())
    assert len(texts) <= 2
    assert t("pdf.only.title", country="Russia") in texts[0]
    box = PdfReader(io.BytesIO(out.read_bytes())).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_pdf_command_checklist_only_prints_a_saved_plan(tmp_path: Path):
    plan = plan_of("ru-dual")
    planfile = tmp_path / "plan.json"
    planfile.write_bytes(dump_planfile(plan, ticked=frozenset({plan.checklist[0].id})))
    out = tmp_path / "fridge.pdf"
    args = parser().parse_args(["pdf", str(planfile), "-o", str(out), "--checklist-only"])
    assert args.func(args) == 0
    text = norm("\n".join(pages(out.read_bytes())))
    assert t("pdf.only.title", country="Russia") in text and text.count("✓") == 1
    args = parser().parse_args(["pdf", str(planfile), "-o", str(tmp_path / "all.pdf")])
    assert args.func(args) == 0  # without the option: the whole plan
    assert len(pages((tmp_path / "all.pdf").read_bytes())) > 2


def test_checklist_only_defaults_to_off():
    assert parser().parse_args(["plan"]).checklist_only is False
    assert parser().parse_args(["pdf", "p.json", "-o", "x.pdf"]).checklist_only is False
