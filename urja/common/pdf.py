"""The PDF kit every printed document uses (bill, statement, receipt): fpdf2 with text shaping
(HarfBuzz) on, the committed Noto Sans Devanagari, and a document class that writes mixed Hindi and
English text.

Devanagari needs shaping: without it the ि matra lands after its consonant and conjuncts fall apart
(बिजली comes out as बजिली). The committed Noto Sans Devanagari has no Latin letters, so every string is
split into runs: Devanagari (and ₹, dashes, curly quotes) in Noto Sans Devanagari, the rest in a Latin
font — Noto Sans when ``NotoSans-Regular.ttf`` and ``NotoSans-Bold.ttf`` are committed beside it,
otherwise the PDF core font Helvetica (nothing to embed, every viewer has it).
"""

from __future__ import annotations

import datetime
import logging
import unicodedata
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

DEVA = "deva"
LATIN_TTF = "latin"
CORE_LATIN = "helvetica"

#: A4 portrait, in millimetres.
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 10.0
CONTENT_W = PAGE_W - 2 * MARGIN

NAVY = (17, 55, 105)
BLUE = (120, 160, 210)
LIGHT = (233, 239, 247)
ZEBRA = (246, 248, 251)
BORDER = (170, 182, 198)
TEXT = (25, 25, 25)
MUTED = (95, 100, 110)
WHITE = (255, 255, 255)
RED = (179, 38, 30)
HIGHLIGHT = (255, 243, 205)
HIGHLIGHT_EDGE = (214, 150, 30)

# fontTools logs every subsetting step at INFO; a bill run would drown the log (and slow down).
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


def number_text(value: Decimal | int | None) -> str:
    """A quantity as printed: no trailing zeros ("250", "7.5"), a dash for none."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}"


def date_text(day: datetime.date | None) -> str:
    """A date as printed on Urja's documents: DD-MM-YYYY, a dash for none."""
    return day.strftime("%d-%m-%Y") if day else "—"


def bilingual(hi: str, en: str) -> str:
    """A label in Hindi and English, "हिन्दी / English" (English alone when there is no Hindi)."""
    return f"{hi} / {en}" if hi else en


def fonts_dir() -> Path:
    return Path(settings.PACKAGE_DIR) / "static" / "fonts"


#: Text widths by (font, Latin font in use, bold, size, text): the labels are the same on every bill,
#: so measuring them (which shapes them) once per process saves a third of the time of a bill.
_WIDTHS: dict[tuple[str, str, bool, float, str], float] = {}


def _is_devanagari(char: str) -> bool:
    code = ord(char)
    return 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF or 0x1CD0 <= code <= 0x1CFF


class Document(FPDF):
    """An A4 page with the fonts and shaping set up, and helpers that write mixed-script text."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.c_margin = 0
        directory = fonts_dir()
        self.add_font(DEVA, "", directory / "NotoSansDevanagari-Regular.ttf")
        self.add_font(DEVA, "B", directory / "NotoSansDevanagari-Bold.ttf")
        latin_regular, latin_bold = directory / "NotoSans-Regular.ttf", directory / "NotoSans-Bold.ttf"
        if latin_regular.exists() and latin_bold.exists():
            self.add_font(LATIN_TTF, "", latin_regular)
            self.add_font(LATIN_TTF, "B", latin_bold)
            self.latin = LATIN_TTF
        else:
            self.latin = CORE_LATIN
        self.set_text_shaping(True)
        self._shaping = self.text_shaping
        self._deva_cmap = self.fonts[DEVA].cmap
        self._latin_cmap = self.fonts[LATIN_TTF].cmap if self.latin == LATIN_TTF else None
        # HarfBuzz shapes from the font file, and the embedded subset drops the layout tables anyway;
        # removing them here saves fontTools decompiling them at output (most of the time of a bill).
        for font in self.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            for tag in ("GSUB", "GPOS", "GDEF"):
                if ttfont is not None and tag in ttfont:
                    del ttfont[tag]

    # Text is split into runs of one font each: Devanagari letters switch to the Devanagari font,
    # Latin letters to the Latin font; spaces, digits and punctuation stay with the run they are in,
    # so "बिल संख्या / Bill No." is two runs and Hindi words keep their spaces and shaping.
    def runs(self, text: str) -> list[tuple[str, str]]:
        result: list[tuple[str, str]] = []
        state = None
        for char in text:
            if _is_devanagari(char):
                font = state = DEVA
            elif char.isalpha() or char in "$&@`" or ord(char) not in self._deva_cmap:
                font = state = self.latin
                char = self._latin_char(char)
            elif ord(char) > 0xFF:
                font = DEVA  # ₹, dashes, curly quotes: only the Devanagari font has them; state unchanged
            else:
                font = state or self._first_strong(text)
            if result and result[-1][0] == font:
                result[-1] = (font, result[-1][1] + char)
            else:
                result.append((font, char))
        return result

    def _first_strong(self, text: str) -> str:
        for char in text:
            if _is_devanagari(char):
                return DEVA
            if char.isalpha():
                return self.latin
        return self.latin

    def _latin_char(self, char: str) -> str:
        if self._latin_cmap is not None:
            return char if ord(char) in self._latin_cmap else "?"
        try:
            char.encode("latin-1")
            return char
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            return plain[:1] or "?"

    def _use(self, font: str, bold: bool, size: float) -> None:
        self.set_font(font, "B" if bold else "", size)
        # Only Devanagari needs shaping; skipping it for Latin runs saves time (at most some kerning).
        self.text_shaping = self._shaping if font == DEVA else None

    def _run_widths(self, runs: list[tuple[str, str]], size: float, bold: bool) -> list[float]:
        widths = []
        for font, part in runs:
            key = (font, self.latin, bold, size, part)
            width = _WIDTHS.get(key)
            if width is None:
                self._use(font, bold, size)
                width = _WIDTHS[key] = self.get_string_width(part)
                if len(_WIDTHS) > 50_000:
                    _WIDTHS.clear()
            widths.append(width)
        return widths

    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        return sum(self._run_widths(self.runs(text), size, bold))

    def put(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        *,
        size: float = 8.5,
        bold: bool = False,
        align: str = "L",
        color: tuple[int, int, int] = TEXT,
        min_size: float = 5.5,
    ) -> float:
        """Write `text` in the box (x, y, w, h), vertically centred, shrunk to fit `w` when needed
        (cut short with an ellipsis below `min_size`); returns the width written."""
        runs = self.runs(text)
        widths = self._run_widths(runs, size, bold)
        while sum(widths) > w and size > min_size:
            size = max(min_size, size - 0.5)
            widths = self._run_widths(runs, size, bold)
        keep = len(text)
        while sum(widths) > w and keep > 1:
            keep = min(keep - 1, int(keep * w / sum(widths)))
            runs = self.runs(text[:keep].rstrip() + "…")
            widths = self._run_widths(runs, size, bold)
        width = sum(widths)
        if align == "R":
            start = x + w - width
        elif align == "C":
            start = x + (w - width) / 2
        else:
            start = x
        self.set_text_color(*color)
        for (font, part), part_w in zip(runs, widths, strict=True):
            self._use(font, bold, size)
            self.set_xy(start, y)
            self.cell(part_w, h, part)
            start += part_w
        return width

    def put_lines(
        self, x: float, y: float, w: float, text: str, *, size: float, line_h: float, color=TEXT
    ) -> float:
        """Write `text` wrapped at spaces to width `w`; returns the y below it."""
        line = ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and self.text_width(candidate, size) > w:
                self.put(x, y, w, line_h, line, size=size, color=color)
                y += line_h
                line = word
            else:
                line = candidate
        if line:
            self.put(x, y, w, line_h, line, size=size, color=color)
            y += line_h
        return y

    def box(self, x, y, w, h, *, fill=None, edge=BORDER, width=0.25) -> None:
        self.set_line_width(width)
        self.set_draw_color(*edge)
        if fill is not None:
            self.set_fill_color(*fill)
        self.rect(x, y, w, h, style="DF" if fill is not None else "D")

    def hline(self, x1, x2, y, color=BORDER, width=0.2) -> None:
        self.set_line_width(width)
        self.set_draw_color(*color)
        self.line(x1, y, x2, y)


def new_document() -> Document:
    """The configured document (fonts added, shaping on), one page not yet added."""
    return Document()
