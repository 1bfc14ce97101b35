"""The pages' web fonts: subset WOFF2 files, small, covering every Devanagari letter the pages write.

The TTFs beside them are for the PDF renderer only (urja.common.pdf); no page may point at them.
"""

import importlib.util
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

PACKAGE = Path(__file__).resolve().parent.parent / "urja"
FONTS = PACKAGE / "static" / "fonts"
PO = PACKAGE / "locale" / "hi" / "LC_MESSAGES" / "django.po"
MAX_BYTES = 60 * 1024

FONT_FACE = re.compile(r"@font-face\s*\{(?P<body>(?:\{%.*?%\}|[^{}])*)\}", re.S)
SRC_URL = re.compile(r"""url\((?P<inner>[^)]*)\)\s*format\(["'](?P<format>[^"']+)["']\)""")
FONT_PATH = re.compile(r"[\w./-]+\.(?:woff2|woff|ttf|otf)")


def _font_faces():
    """Every @font-face the pages can load: in the stylesheets and in inline <style> of templates."""
    sources = list(PACKAGE.rglob("static/**/*.css")) + list(PACKAGE.rglob("templates/**/*.html"))
    for source in sources:
        for face in FONT_FACE.finditer(source.read_text(encoding="utf-8")):
            yield source, face.group("body")


def _font_file(path):
    name = path.rsplit("fonts/", 1)[-1]
    return FONTS / name


def test_there_are_font_faces_to_check():
    faces = list(_font_faces())
    assert len(faces) >= 4, faces  # the staff stylesheet and the consumer pages' frame, two weights each


@pytest.mark.parametrize("source,body", list(_font_faces()), ids=lambda v: getattr(v, "name", ""))
def test_every_font_face_is_a_small_woff2(source, body):
    urls = list(SRC_URL.finditer(body))
    assert urls, f"{source}: a @font-face without a url(...) format(...) source"
    for url in urls:
        assert url.group("format") == "woff2", f"{source}: {url.group(0)}"
        path = FONT_PATH.search(url.group("inner"))
        assert path and path.group(0).endswith(".woff2"), f"{source}: {url.group(0)}"
        assert ".ttf" not in body, f"{source}: a page must not load the TTF"
        font = _font_file(path.group(0))
        assert font.exists(), f"{source}: {font} is missing (make fonts)"
        assert font.stat().st_size < MAX_BYTES, f"{font.name} is {font.stat().st_size} bytes"
    assert "unicode-range" in body, f"{source}: without unicode-range an English page downloads it too"


def _hindi_letters():
    text = PO.read_text(encoding="utf-8")
    strings = "".join(re.findall(r'msgstr(?:\[\d\])? "(.*)"', text))
    return {ch for ch in strings if 0x0900 <= ord(ch) <= 0x097F}


@pytest.mark.parametrize("name", ["NotoSansDevanagari-Regular.woff2", "NotoSansDevanagari-Bold.woff2"])
def test_woff2_covers_every_devanagari_letter_of_the_translations_and_keeps_shaping(name):
    font = TTFont(FONTS / name)
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    letters = _hindi_letters()
    assert len(letters) > 40
    missing = sorted(ch for ch in letters if ord(ch) not in cmap)
    assert not missing, missing
    assert ord("₹") in cmap and 0x200D in cmap and 0x25CC in cmap
    # conjuncts, half forms and matra positioning survive the subset
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"akhn", "half", "pres", "blws"} <= features
    assert "GPOS" in font


def test_make_fonts_reproduces_the_committed_files(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "subset_fonts", PACKAGE.parent / "scripts" / "subset_fonts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for ttf in module.SOURCES:
        (tmp_path / ttf).write_bytes((FONTS / ttf).read_bytes())
    assert module.main(["--fonts", str(tmp_path)]) == 0
    for ttf in module.SOURCES:
        woff2 = Path(ttf).with_suffix(".woff2").name
        assert (tmp_path / woff2).read_bytes() == (FONTS / woff2).read_bytes(), f"{woff2}: run make fonts"


def test_pdf_renderer_keeps_its_ttfs():
    # urja.common.pdf embeds the TTFs (fpdf2 reads TrueType, not WOFF2)
    assert (FONTS / "NotoSansDevanagari-Regular.ttf").exists()
    assert "NotoSansDevanagari-Regular.ttf" in (PACKAGE / "common" / "pdf.py").read_text(encoding="utf-8")


FONT_FAMILY = re.compile(r"font-family\s*:\s*(?P<list>[^;}]+)")


def test_the_devanagari_face_comes_before_the_system_font():
    """The web font (limited to Devanagari by its unicode-range) is named first: behind system-ui,
    Chromium on a machine without a Devanagari font drew large bold Devanagari (headings) as empty
    boxes even with the web font loaded; Latin text still falls through to the system font."""
    sources = list(PACKAGE.rglob("static/**/*.css")) + list(PACKAGE.rglob("templates/**/*.html"))
    checked = 0
    for source in sources:
        for match in FONT_FAMILY.finditer(source.read_text(encoding="utf-8")):
            families = [name.strip().strip("\"'") for name in match.group("list").split(",")]
            if "system-ui" in families:
                checked += 1
                assert families[0] == "Noto Sans Devanagari", (source.name, families)
    assert checked >= 3
