"""Exports of a Plan: the printable PDF and the plan file (JSON) that can be reopened.

Names are imported on first use: fpdf takes a good part of a second to import, and most
callers (the CLI without --pdf) never draw a PDF.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "PlanFile": "planner.export.planfile",
    "dump_planfile": "planner.export.planfile",
    "load_planfile": "planner.export.planfile",
    "render_pdf": "planner.export.pdf",
}

__all__ = ["PlanFile", "dump_planfile", "load_planfile", "render_pdf"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
