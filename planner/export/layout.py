"""Drawing primitives for the printed plan: page set-up, fonts, headings, badges, tick boxes.

The fonts are DejaVu Sans from `data/fonts/` (Latin, Cyrillic, Georgian, Armenian), found
from the package location and never from the fonts installed on the machine.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import fpdf
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.util import escape_parens

from planner.errors import InputError
from planner.export.papers import PAPERS
from planner.messages import t
from planner.paths import DATA_DIR

_NEEDS_SHAPING = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic
FONT_DIR = DATA_DIR / "fonts"
FONT = "DejaVu"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}

# Sizes in points; line heights in mm (about 1.45 x the type size, for easy reading).
BODY, SMALL, H1, H2, H3 = 10.5, 8.5, 20, 13, 12.5
# Reference text after page 1 (reasons, why a task matters, the routes table, sources): read
# when looking something up, so set smaller than what to act on.
FINE, TABLE = 7.5, 7
LINE_PER_PT = 0.52
LINE, SMALL_LINE = BODY * LINE_PER_PT, SMALL * LINE_PER_PT
# Reference text (FINE and smaller) and table rows are set tighter, about 1.33 x the size:
# lines read as one fact, and a plan of 60 routes stays within ten pages.
FINE_LINE_PER_PT = 0.47


def leading(size: float) -> float:
    """The line height in mm for text of `size` points."""
    return size * (LINE_PER_PT if size > FINE else FINE_LINE_PER_PT)


MARGIN = 12

BLACK = (0, 0, 0)
GREY = (85, 85, 85)
RULE = (170, 170, 170)
# Badge colours: a dark fill under white text, or a light fill under black text, so the word
# stays readable when printed in black and white.
BADGE = {
    "go": ((0, 115, 55), (255, 255, 255)),
    "caution": ((245, 170, 0), BLACK),
    "blocked": ((185, 20, 20), (255, 255, 255)),
    "high": ((185, 20, 20), (255, 255, 255)),
    "medium": ((245, 170, 0), BLACK),
    "low": ((215, 215, 215), BLACK),
    "leave_now": ((185, 20, 20), (255, 255, 255)),
}


_GAP = 1.6  # mm between table columns


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and style, and `more` text under it in regular weight (a
    route's local name under its name); `badge` draws the text as a filled verdict word."""

    text: str
    bold: bool = False
    colour: tuple[int, int, int] = BLACK
    badge: str | None = None
    more: str = ""


class _GlyphCodes(dict):
    """For str.translate: a character to its code in this document's font subset.

    Asks the subset (which adds the glyph to it) once per character; a character the font
    lacks maps to None and is left out, as fpdf2 does.
    """

    def __init__(self, pick) -> None:
        super().__init__()
        self._pick = pick

    def __missing__(self, char: int) -> str | None:
        code = self._pick(char)
        self[char] = chr(code) if code else None
        return self[char]


class Document(FPDF):
    """An FPDF page with the plan's footer on every page."""

    def __init__(self, paper: str, footer_text: str) -> None:
        if paper not in PAPERS:
            valid = ", ".join(sorted(PAPERS))
            raise InputError(f"Unknown paper size {paper!r}; choose one of: {valid}.")
        super().__init__(orientation="portrait", unit="mm", format=PAPERS[paper])
        self._footer_text = footer_text
        self._widths: dict[tuple, dict[str, float]] = {}
        self._glyph_codes: dict[str, _GlyphCodes] = {}
        _add_fonts(self)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 7)
        self.c_margin = 0  # text starts exactly at the margin; we space with explicit widths
        self.set_font(FONT, size=BODY)

    # fpdf2 calls footer() on every page; {nb} becomes the page count at output time.
    def footer(self) -> None:
        self.set_y(-MARGIN - 2)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, size=SMALL - 0.5)
        self.set_text_color(*GREY)
        self.set_y(self.get_y() + 1.5)
        page = t("pdf.footer.page", n=self.page_no(), total=self.alias_nb_pages_text())
        self.cell(self.epw, SMALL_LINE, f"{self._footer_text} · {page}", align="C")
        self.set_text_color(*BLACK)

    def alias_nb_pages_text(self) -> str:
        return self.str_alias_nb_pages

    # ------------------------------------------------------------------ text

    @property
    def space_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def keep(self, height: float) -> None:
        """Start a new page unless `height` mm fit: no heading alone at a page's foot."""
        if self.space_left < height:
            self.add_page()

    def text_block(
        self,
        text: str,
        *,
        size: float = BODY,
        bold: bool = False,
        colour: tuple[int, int, int] = BLACK,
        indent: float = 0,
        line: float | None = None,
        after: float = 0,
    ) -> None:
        """A paragraph wrapped to the page, starting `indent` mm from the left margin."""
        if not text:
            return
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        width = self.epw - indent
        height = line or leading(size)
        x = self.l_margin + indent
        # Hebrew and Arabic need shaping and right-to-left ordering (HarfBuzz + fpdf2's bidi);
        # everything else prints as it is, faster.
        shaped = bool(_NEEDS_SHAPING.search(text))
        if shaped:
            self.set_text_shaping(True, direction="ltr")
        row_out = self.row if self._plain_text() else self._cell_row
        for row in self.wrap(text, width):
            self.x = x
            row_out(row, width, height)
        if shaped:
            self.set_text_shaping(False)
        self.set_text_color(*BLACK)
        if after:
            self.ln(after)

    def _cell_row(self, text: str, width: float, height: float) -> None:
        """One line of text through fpdf2's cell(); then back to the left margin, one line down."""
        self.cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(self, text: str, width: float, height: float) -> None:
        """What `_cell_row` draws, byte for byte, without cell()'s general machinery.

        The plan has about 2,700 lines and cell() (fragments, graphics-state copies, markdown,
        borders, alignment) was half of a render. For left-aligned plain text in one embedded
        font it writes one text object: this writes the same one. Only used when
        `_plain_text()` holds (the fpdf2 version it copies, no shaping or fallback fonts, no
        special text modes); a line with the page-count alias goes through cell().
        """
        if not text or self.str_alias_nb_pages in text:
            self._cell_row(text, width, height)
            return
        if self.will_page_break(height):
            self._perform_page_break()  # keeps x; add_page restores font and colours
        font = self.current_font
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(font, self.font_size_pt))
        if self.font_size_pt > font.biggest_size_pt:
            font.biggest_size_pt = self.font_size_pt
        codes = self._glyph_codes.get(font.fontkey)
        if codes is None:
            codes = self._glyph_codes[font.fontkey] = _GlyphCodes(font.subset.pick)
        glyphs = text.translate(codes)
        k = self.k
        start = (
            f"BT {(self.x + self.c_margin) * k:.2f} "
            f"{(self.h - self.y - 0.5 * height - 0.3 * self.font_size) * k:.2f} Td"
        )
        shown = f"({escape_parens(glyphs.encode('utf-16-be').decode('latin-1'))}) Tj ET"
        colour = self.text_color
        if colour != self.fill_color:
            self._out(f"q {start} {colour.serialize().lower()} {shown} Q")
        else:
            self._out(f"{start} {shown}")
        self._lasth = height
        self.x = self.l_margin
        self.y += height

    def _plain_text(self) -> bool:
        """Whether `row` draws what cell() would in the current state."""
        font = self.current_font
        return (
            _CACHEABLE
            and isinstance(font, TTFFont)
            and not font.color_font
            and not self.text_shaping
            and not self._fallback_font_ids
            and not self._record_text_quad_points
            and not self.underline
            and not self.strikethrough
            and self.text_mode == TextMode.FILL
            and self.font_stretching == 100
            and self.char_spacing == 0
            and self.page > 0
        )

    def wrap(self, text: str, width: float) -> list[str]:
        """Lines of `text` no wider than `width` mm in the current font.

        fpdf2's multi_cell re-measures the whole line for every character it adds, which made
        a 60-route plan take seconds; measuring each word once (memoised) is linear. Words
        wider than a line, such as long URLs, are cut, preferably after a `/`, `-`, `?` or `&`.
        """
        measure = self._measure()
        space = measure(" ")
        rows: list[str] = []
        for paragraph in text.split("\n"):
            row, used = "", 0.0
            for word in paragraph.split(" "):
                w = measure(word)
                if row and used + space + w <= width:
                    row, used = f"{row} {word}", used + space + w
                    continue
                if row:
                    rows.append(row)
                row, used = word, w
                while used > width:
                    head, row = self._cut(row, width, measure)
                    rows.append(head)
                    used = measure(row)
            rows.append(row)
        return rows

    def _cut(self, word: str, width: float, measure) -> tuple[str, str]:
        fit, used = 1, measure(word[0])
        while fit < len(word) and used + measure(word[fit]) <= width:
            used += measure(word[fit])
            fit += 1
        soft = max(word.rfind(c, 0, fit) for c in "/-?&=_.")
        end = soft + 1 if soft > fit * 0.6 else fit
        return word[:end], word[end:]

    def _width(self, text: str) -> float:
        return self._measure()(text)

    def _measure(self):
        """A function giving a text's width in the current font, memoised per font.

        With the shared font metrics (see _add_fonts) a word is as wide in every document, so
        widths are remembered across documents: most words recur in every plan.
        """
        font = (
            self.font_family,
            self.font_style,
            self.font_size_pt,
            self.font_stretching,
            self.char_spacing,
        )
        store = _shared_widths if _CACHEABLE else self._widths
        if len(store) > _MAX_FONTS or sum(map(len, store.values())) > _MAX_WIDTHS:
            store.clear()  # a long-running app must not grow without bound
        widths = store.setdefault(font, {})
        get_string_width = self.get_string_width

        def measure(text: str) -> float:
            width = widths.get(text)
            if width is None:
                width = widths[text] = get_string_width(text)
            return width

        return measure

    def table_row(
        self,
        cells: Sequence[Cell],
        widths: Sequence[float],
        *,
        below: Sequence[Cell] = (),
        below_widths: Sequence[float] = (),
        size: float = TABLE,
        on_new_page: Callable[[], None] | None = None,
        rule: bool = True,
    ) -> None:
        """One table row: each cell wrapped in its column, then, if given, a second band of
        `below` cells in `below_widths` under it (a route's key reason under its facts). A
        row never breaks over two pages; `on_new_page` draws the header again on the page a
        row moves to.

        Drawn with `row` (the fast line writer), not fpdf2's table: a 60-route plan is 500
        cells, and fpdf2 lays out each one through multi_cell.
        """
        line = leading(size)
        bands = [self._band(cells, widths, size)]
        if below:
            bands.append(self._band(below, below_widths, size))
        pad = 1.2  # mm of white between rows, half above and half below the text
        height = sum(max(len(b) for b in blocks) for blocks in bands) * line + pad
        if self.space_left < height:
            self.add_page()
            if on_new_page is not None:
                on_new_page()
        top = self.y + pad / 2
        for band_cells, band_widths, blocks in zip(
            (cells, below), (widths, below_widths), bands, strict=False
        ):
            x = self.l_margin
            for cell, width, lines in zip(band_cells, band_widths, blocks, strict=True):
                if cell.badge:
                    self.set_xy(x, top)
                    self.badge(
                        cell.badge, cell.text, width=width - _GAP, height=line, size=size - 0.5
                    )
                else:
                    self._lines(cell, lines, x, top, width - _GAP, line, size)
                x += width
            top += max(len(b) for b in blocks) * line
        self.set_xy(self.l_margin, top + pad / 2)
        if rule:
            self.set_draw_color(*RULE)
            self.set_line_width(0.15)
            self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)

    def _band(
        self, cells: Sequence[Cell], widths: Sequence[float], size: float
    ) -> list[list[list[tuple[str, bool]]]]:
        pairs = zip(cells, widths, strict=True)
        return [self._wrapped(cell, width - _GAP, size) for cell, width in pairs]

    def _wrapped(self, cell: Cell, width: float, size: float) -> list[list[tuple[str, bool]]]:
        """The cell's lines, each a list of (text, bold) pieces: `more` goes on the last line
        of the text when it fits there, on lines of its own when not."""
        if cell.badge or not cell.text:
            return [[(cell.text, cell.bold)]]
        self.set_font(FONT, "B" if cell.bold else "", size)
        lines = [[(text, cell.bold)] for text in self.wrap(cell.text, width)]
        used = self._width(lines[-1][0][0])
        if cell.more:
            self.set_font(FONT, "", size)
            after = f" · {cell.more}"
            if used + self._width(after) <= width:
                lines[-1].append((after, False))
            else:
                lines += [[(text, False)] for text in self.wrap(cell.more, width)]
        return lines

    def _lines(
        self,
        cell: Cell,
        lines: list[list[tuple[str, bool]]],
        x: float,
        y: float,
        width: float,
        line: float,
        size: float,
    ) -> None:
        self.set_text_color(*cell.colour)
        for n, pieces in enumerate(lines):
            left = x
            for text, bold in pieces:
                if not text:
                    continue
                self.set_font(FONT, "B" if bold else "", size)
                # Hebrew and Arabic names need shaping, as in text_block.
                shaped = bool(_NEEDS_SHAPING.search(text))
                if shaped:
                    self.set_text_shaping(True, direction="ltr")
                self.set_xy(left, y + n * line)
                (self.row if self._plain_text() else self._cell_row)(text, width, line)
                if shaped:
                    self.set_text_shaping(False)
                left += self._width(text)
        self.set_text_color(*BLACK)

    def heading(self, text: str, *, level: int = 2, keep: float = 18) -> None:
        """A section heading, moved to the next page when less than `keep` mm would follow."""
        size = {1: H1, 2: H2, 3: H3}[level]
        self.keep(keep + size * 0.6)
        if self.get_y() > self.t_margin + 0.1:  # no space above a heading that opens a page
            self.ln({1: 0, 2: 2.5, 3: 2}[level])
        self.text_block(text, size=size, bold=True, line=size * 0.5)
        if level <= 2:
            y = self.get_y() + 0.8
            self.set_draw_color(*RULE)
            self.set_line_width(0.3)
            self.line(self.l_margin, y, self.w - self.r_margin, y)
            self.ln(2.5)
        else:
            self.ln(1)

    def badge(self, kind: str, word: str, *, width: float, height: float, size: float) -> None:
        """A filled box with a word in it (GO, CAUTION, BLOCKED), drawn at the current x/y."""
        fill, ink = BADGE[kind]
        self.set_fill_color(*fill)
        self.set_text_color(*ink)
        self.set_font(FONT, "B", size)
        self.cell(width, height, word, fill=True, align="C")
        self.set_text_color(*BLACK)

    def tick_box(self, ticked: bool, *, size: float = 4.5) -> None:
        """An empty square to tick with a pen, or a ticked one; drawn at the current x/y."""
        x, y = self.get_x(), self.get_y() + 0.4
        self.set_draw_color(*BLACK)
        self.set_line_width(0.35)
        self.rect(x, y, size, size)
        if ticked:
            self.set_font(FONT, "B", BODY + 1)
            self.set_xy(x, y - 0.2)
            self.cell(size, size, "✓", align="C")
        self.set_xy(x, y - 0.4)


def plan_document(paper: str, *, title: str, footer: str, created: dt.datetime) -> Document:
    """A new document for a plan: title and creator only in the file's metadata (nothing
    personal), the creation date the plan's, so the same plan gives the same bytes."""
    doc = Document(paper, footer)
    doc.set_title(title)
    doc.set_creator("Departure Planner")
    doc.set_creation_date(created)
    return doc


# ---------------------------------------------------------------------- font cache

# Parsing DejaVu's metrics takes fpdf2 about 0.1 s per face, every document. The parsed metrics
# never change, so we parse once and give each document a copy with its own glyph subset and
# its own fontTools object (output subsets that object in place). This leans on fpdf2
# internals, so it is used only with the version it was written against.
_CACHEABLE = fpdf.FPDF_VERSION == "2.8.9"
_FRESH = ("ttfont", "subset", "missing_glyphs", "biggest_size_pt", "_hbfont", "i")
_lock = threading.Lock()
_templates: dict[str, TTFFont] = {}
_font_bytes: dict[str, bytes] = {}
_glyph_order: dict[str, list[str]] = {}
_shared_widths: dict[tuple, dict[str, float]] = {}
_MAX_FONTS, _MAX_WIDTHS = 64, 200_000


def _add_fonts(doc: FPDF) -> None:
    if not _CACHEABLE:
        for style, path in FONT_FILES.items():
            doc.add_font(FONT, style, str(path))
        return
    with _lock:
        if not _templates:
            scratch = FPDF()
            for style, path in FONT_FILES.items():
                scratch.add_font(FONT, style, str(path))
                _templates[style] = scratch.fonts[f"{FONT.lower()}{style}"]
                _font_bytes[style], _glyph_order[style] = _lean_font(path)
    for style, template in _templates.items():
        font = TTFFont.__new__(TTFFont)
        for slot in TTFFont.__slots__:
            if slot not in _FRESH and hasattr(template, slot):
                setattr(font, slot, getattr(template, slot))
        font.i = len(doc.fonts) + 1
        font.ttfont = ttLib.TTFont(
            io.BytesIO(_font_bytes[style]), recalcTimestamp=False, recalcBBoxes=False, lazy=True
        )
        font.ttfont.setGlyphOrder(list(_glyph_order[style]))
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        doc.fonts[font.fontkey] = font


# Tables fpdf2's output() drops from every embedded subset (fpdf/output.py, 2.8.9), and 'kern',
# which fontTools' subsetter drops when there is a GPOS table.
_UNUSED_TABLES = (
    *("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC"),
    *("EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR"),
)


def _lean_font(path) -> tuple[bytes, list[str]]:
    """The font file as each document's subsetter should read it, and its glyph names.

    Subsetting in output() was a third of a render. Most of that was parsing what it then
    throws away: the layout tables (GSUB, GPOS: read only to be dropped) and the glyph names
    in 'post' (the subset keeps none). So they are removed once here, and each document gets
    the glyph names from the original file. The subset is the same; what differs, because
    each document's fontTools object does not recalculate bounding boxes (which meant
    decoding and re-encoding every glyph kept), is that the subset's head, hhea and maxp keep
    the whole font's extremes, still valid bounds, and glyphs keep their original encoding.
    """
    font = ttLib.TTFont(str(path), recalcTimestamp=False, lazy=True)
    order = list(font.getGlyphOrder())
    drop = [tag for tag in _UNUSED_TABLES if tag in font]
    if "GPOS" in font and "kern" in font:
        drop.append("kern")
    for tag in drop:
        del font[tag]
    font["post"].formatType = 3.0  # no glyph names: the subset has none either
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), order
