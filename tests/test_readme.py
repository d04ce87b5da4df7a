"""The README's data table: every source it names in the repository must be there, since a
user has only the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# A link target or a code span that names a file or folder (has a slash or an extension).
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_CODE = re.compile(r"`([^`\s]+)`")


def data_table() -> list[str]:
    """The rows of the table under "## Data and its dates"."""
    section = README.read_text(encoding="utf-8").split("## Data and its dates", 1)[1]
    rows = []
    for line in section.split("\n")[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|") and not line.startswith("|---"):
            rows.append(line)
    return rows[1:]  # without the header


def cited_paths(row: str) -> list[str]:
    """Relative paths a row links to or names as code, e.g. `data/gazetteer/PROVENANCE.md`."""
    links = [t for t in _LINK.findall(row) if not re.match(r"[a-z]+:", t)]
    names = [c for c in _CODE.findall(row) if "/" in c or re.search(r"\.[a-z]{2,4}$", c)]
    return links + names


def test_the_data_table_has_rows_citing_paths():
    rows = data_table()
    assert len(rows) >= 8
    assert sum(len(cited_paths(row)) for row in rows) >= 8


def test_every_path_the_data_table_cites_is_in_the_repository():
    missing = [p for row in data_table() for p in cited_paths(row) if not (ROOT / p).exists()]
    assert missing == []


def test_no_citation_leaves_the_repository():
    outside = [p for row in data_table() for p in cited_paths(row) if p.startswith("..")]
    outside += [row for row in data_table() if "shared/" in row]
    assert outside == []
