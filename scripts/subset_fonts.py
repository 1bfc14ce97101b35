"""Subset the Devanagari web fonts to WOFF2 (``make fonts``).

The pages use Noto Sans Devanagari from ``urja/static/fonts``. The full TTFs (~230 KB each) stay there
for the PDF renderer (``urja.common.pdf`` embeds its own subset); browsers get WOFF2 files holding only
what the pages write: Devanagari and its extension, the Basic Latin the font carries, the rupee sign,
common punctuation, and the joiners and dotted circle that shaping needs. Every OpenType layout
feature is kept, so conjuncts and matras shape as in the full font; hinting is dropped.

The output is reproducible: the same inputs and fontTools/brotli versions give the same bytes (the
font's own timestamps are kept, not set to now).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "urja" / "static" / "fonts"
SOURCES = ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf")

# (first, last) code points, inclusive.
RANGES = (
    (0x0020, 0x007E),  # Basic Latin (the digits, space and punctuation this font carries)
    (0x00A0, 0x00A0),  # no-break space
    (0x00AD, 0x00AD),  # soft hyphen
    (0x00B7, 0x00B7),  # middle dot (the pages' separator)
    (0x00D7, 0x00D7),  # multiplication sign
    (0x0900, 0x097F),  # Devanagari
    (0x200B, 0x200D),  # zero-width space, non-joiner, joiner (half forms)
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x20B9, 0x20B9),  # ₹
    (0x2212, 0x2212),  # minus sign
    (0x25CC, 0x25CC),  # dotted circle (shown for a lone matra)
    (0xA8E0, 0xA8FF),  # Devanagari Extended
)


def unicodes() -> list[int]:
    return [cp for first, last in RANGES for cp in range(first, last + 1)]


def subset_font(source: Path, target: Path) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target, reorderTables=True)
    return target.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fonts", type=Path, default=FONTS, help="the directory of the TTFs and WOFF2s")
    args = parser.parse_args(argv)
    for name in SOURCES:
        source = args.fonts / name
        target = source.with_suffix(".woff2")
        size = subset_font(source, target)
        print(f"{target.name}: {size:,} bytes (from {source.stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
