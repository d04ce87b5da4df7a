"""Exports of a Plan: the printable PDF and the plan file (JSON) that can be reopened."""

from planner.export.pdf import render_pdf
from planner.export.planfile import PlanFile, dump_planfile, load_planfile

__all__ = ["PlanFile", "dump_planfile", "load_planfile", "render_pdf"]
