"""The PDF kit (urja.common.pdf): Hindi is shaped, mixed text is split into font runs, text fits its box."""

from urja.common import pdf


def test_devanagari_is_shaped():
    """With shaping on, the ि matra of बि is drawn before its consonant (unshaped it comes after, and
    बिजली reads बजिली)."""
    doc = pdf.new_document()
    doc.add_page()
    doc.set_font(pdf.DEVA, size=14)
    assert doc.text_shaping
    font = doc.current_font
    cmap = font.ttfont.getBestCmap()
    ba, i_matra = font.ttfont.getGlyphID(cmap[ord("ब")]), font.ttfont.getGlyphID(cmap[ord("ि")])
    infos, _ = font.perform_harfbuzz_shaping("बि", 14, doc.text_shaping)
    glyphs = [info.codepoint for info in infos]
    assert len(glyphs) == 2 and glyphs[1] == ba and glyphs[0] != ba  # matra (a width variant) first
    assert glyphs != [ba, i_matra]
    # the conjunct ज्ञ is one glyph, not ज + ् + ञ
    infos, _ = font.perform_harfbuzz_shaping("ज्ञ", 14, doc.text_shaping)
    assert len(infos) == 1
    doc.cell(text="बिजली बिल")
    assert bytes(doc.output()).startswith(b"%PDF")


def test_mixed_text_is_split_into_font_runs():
    doc = pdf.new_document()
    assert doc.runs("बिल संख्या / Bill No.") == [(pdf.DEVA, "बिल संख्या / "), (doc.latin, "Bill No.")]
    assert doc.runs("₹ 1,000.00") == [(pdf.DEVA, "₹"), (doc.latin, " 1,000.00")]
    assert doc.runs("12 माह") == [(pdf.DEVA, "12 माह")]


def test_long_values_are_cut_to_their_box():
    doc = pdf.new_document()
    doc.add_page()
    width = doc.put(10, 10, 40, 5, "House 12, " * 30, size=9)
    assert width <= 40
