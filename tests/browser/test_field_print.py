"""The field app's printing (urja/field/static/field/print.js) in headless Chromium: the ESC/POS byte
stream of a Hindi spot bill at 58 and 80 mm, the duplicate marking, the Bluetooth chunked writer and
the printable HTML fallback.

The stream is parsed command by command: anything print.js sends that is not one of the commands it
means to send (initialise, raster image, line feed, cut) fails the parse."""

import base64
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import font_loaded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "bills.json"
MODULE = "/static/field/print.js"
WIDTH_BYTES = {58: 48, 80: 72}  # 384 and 576 dots


def hindi_bill():
    case = json.loads(VECTORS.read_text())[0]  # LMV1-URBAN, 250 units: 1727.00 payable
    return {
        **case["expected"],
        "bill_number": "SB-2026-12-000123",
        "bill_date": "2026-12-05",
        "account_number": "1234567890",
        "name": "राम प्रसाद",
        "address": "ग्राम बख्शी का तालाब, लखनऊ",
        "period": "2026-12",
        "due_date": "2026-12-20",
        "meter_serial": "MVV123456",
        "reading": {
            "previous": "12345",
            "current": "12595",
            "units": "250",
            "date": "2026-12-05",
            "status": "OK",
        },
        "reader": "सुरेश कुमार",
        "utility": "मध्यांचल विद्युत वितरण निगम लि.",
    }


RECEIPT = {
    "receipt_number": "SC-DC01-7-0001",
    "paid_at": "2026-12-05T05:02:00Z",
    "account_number": "1234567890",
    "name": "राम प्रसाद",
    "amount": "1727.00",
    "bill_number": "SB-2026-12-000123",
    "reader": "सुरेश कुमार",
}


def parse_escpos(data):
    """The stream as a list of commands: ("init",), ("font", n), ("kanji-off",), ("raster", width
    bytes, rows, data), ("lf",), ("cut", m). Raises on any byte that starts no known command."""
    commands, i = [], 0
    while i < len(data):
        b = data[i : i + 4]
        if b[:2] == [0x1B, 0x40]:
            commands.append(("init",))
            i += 2
        elif b[:2] == [0x1C, 0x2E]:
            commands.append(("kanji-off",))
            i += 2
        elif b[:2] == [0x1B, 0x4D]:
            commands.append(("font", data[i + 2]))
            i += 3
        elif b == [0x1D, 0x76, 0x30, 0x00]:
            width = data[i + 4] + 256 * data[i + 5]
            rows = data[i + 6] + 256 * data[i + 7]
            start = i + 8
            commands.append(("raster", width, rows, data[start : start + width * rows]))
            assert len(commands[-1][3]) == width * rows, "raster data cut short"
            i = start + width * rows
        elif b[:1] == [0x0A]:
            commands.append(("lf",))
            i += 1
        elif b[:2] == [0x1D, 0x56]:
            commands.append(("cut", data[i + 2]))
            i += 3
        else:
            raise AssertionError(f"unexpected byte {data[i]:#04x} at {i}: {data[i : i + 8]}")
    return commands


@pytest.fixture
def printing(page, live_server):
    # Any page of the live server gives the module its origin; print.js loads from /static/ like in the app.
    page.goto(f"{live_server.url}{MODULE}")
    page.evaluate(f"import('{MODULE}').then(m => {{ window.print_js = m; }})")
    page.wait_for_function("window.print_js !== undefined")
    return page


def encode(page, bill, **opts):
    return page.evaluate(
        "async ([bill, opts]) => Array.from(await window.print_js.encodeBill(bill, opts))", [bill, opts]
    )


@pytest.mark.parametrize("width_mm", [58, 80])
def test_a_hindi_bill_is_one_raster_image_between_initialise_and_cut(printing, width_mm):
    data = encode(printing, hindi_bill(), widthMm=width_mm, lang="hi")

    assert data[:2] == [0x1B, 0x40]  # ESC @
    commands = parse_escpos(data)
    assert commands[-1] == ("cut", 1)  # GS V 1: the stream ends with a partial cut
    assert commands[-5:-1] == [("lf",)] * 4  # fed clear of the print head first
    rasters = [c for c in commands if c[0] == "raster"]
    assert rasters
    assert {c[1] for c in rasters} == {WIDTH_BYTES[width_mm]}
    assert all(0 < c[2] <= 255 for c in rasters)
    height = sum(c[2] for c in rasters)
    canvas_height = printing.evaluate(
        "async ([bill, opts]) => (await window.print_js.billCanvas(bill, opts)).height",
        [hindi_bill(), {"widthMm": width_mm, "lang": "hi"}],
    )
    assert height == canvas_height > 200
    # nothing but the image is sent: no text in a code page that has no Devanagari
    assert {c[0] for c in commands} == {"init", "kanji-off", "font", "raster", "lf", "cut"}
    bits = "".join(f"{byte:08b}" for c in rasters for byte in c[3])
    black = bits.count("1")
    assert 0.01 * len(bits) < black < 0.5 * len(bits)  # printed text, not a blank or solid page
    # the Devanagari was drawn with the project's web font (both weights loaded from /static/)
    loaded = (
        "[...document.fonts].filter(f => f.family === 'UrjaPrintDevanagari' && f.status === 'loaded').length"
    )
    assert printing.evaluate(loaded) == 2


def test_the_raster_is_the_bill_text(printing):
    """Hindi and English give different rasters, and so do two bills of different amounts."""
    bill = hindi_bill()
    hindi = encode(printing, bill, widthMm=58, lang="hi")
    english = encode(printing, bill, widthMm=58, lang="en")
    other = encode(printing, {**bill, "payable": "9999.00"}, widthMm=58, lang="hi")
    assert hindi != english
    assert hindi != other
    assert encode(printing, bill, widthMm=58, lang="hi") == hindi  # and the same bill, the same bytes


@pytest.mark.parametrize("width_mm", [58, 80])
def test_a_reprint_is_marked_duplicate(printing, width_mm):
    bill = hindi_bill()
    original = parse_escpos(encode(printing, bill, widthMm=width_mm, lang="hi"))
    duplicate = parse_escpos(encode(printing, bill, widthMm=width_mm, lang="hi", duplicate=True))
    raster = lambda commands: [c for c in commands if c[0] == "raster"]  # noqa: E731
    assert raster(duplicate) != raster(original)
    # the banners (top and bottom) add rows, mostly black ones
    assert sum(c[2] for c in raster(duplicate)) > sum(c[2] for c in raster(original))
    blocks = printing.evaluate("b => window.print_js.billBlocks(b, {lang: 'hi', duplicate: true})", bill)
    banners = [b["text"] for b in blocks if b["type"] == "banner"]
    assert banners == ["DUPLICATE / प्रतिलिपि"] * 2


def test_a_spot_collection_receipt(printing, tmp_path):
    data = printing.evaluate(
        "async r => Array.from(await window.print_js.encodeReceipt(r, {widthMm: 58, lang: 'hi'}))", RECEIPT
    )
    commands = parse_escpos(data)
    assert commands[0] == ("init",) and commands[-1] == ("cut", 1)
    assert {c[1] for c in commands if c[0] == "raster"} == {48}
    texts = printing.evaluate(
        "r => window.print_js.receiptBlocks(r, {lang: 'hi'}).map(b => [b.label || b.text, b.value || ''])",
        RECEIPT,
    )
    assert ["प्राप्त राशि", "₹1,727.00"] in texts
    assert ["दिनांक और समय", "05-12-2026 10:32"] in texts  # India's time
    assert ["रसीद संख्या", "SC-DC01-7-0001"] in texts


def test_hindi_bill_blocks_carry_hindi_heads_and_exact_amounts(printing):
    blocks = printing.evaluate("b => window.print_js.billBlocks(b, {lang: 'hi'})", hindi_bill())
    pairs = [(b["label"], b["value"]) for b in blocks if b["type"] == "pair"]
    assert ("ऊर्जा प्रभार", "825.00") in pairs
    assert ("विद्युत शुल्क", "82.25") in pairs
    assert ("रुपये में पूर्णांकन", "-0.25") in pairs
    assert ("देय राशि", "₹1,727.00") in pairs
    assert ("देय तिथि", "20-12-2026") in pairs
    assert ("बिल माह", "दिसंबर 2026") in pairs
    details = [b["text"] for b in blocks if b["type"] == "text"]
    assert "150 kWh @ ₹5.50" in details


def test_the_writer_sends_chunks_of_at_most_180_bytes_in_order(printing):
    result = printing.evaluate(
        """async (bill) => {
        const m = window.print_js;
        const bytes = await m.encodeBill(bill, {widthMm: 58, lang: 'hi'});
        const written = [];
        const characteristic = {
          properties: {writeWithoutResponse: true, write: true},
          writeValueWithoutResponse: async (chunk) => { written.push(Array.from(chunk)); },
          writeValueWithResponse: async () => { throw new Error('not expected'); },
        };
        const outcome = await m.writeChunks(characteristic, bytes, {delayMs: 0});
        return {sizes: written.map(c => c.length), joined: written.flat(), bytes: Array.from(bytes), outcome};
    }""",
        hindi_bill(),
    )
    assert max(result["sizes"]) <= 180
    assert all(size == 180 for size in result["sizes"][:-1])
    assert result["joined"] == result["bytes"]
    assert result["outcome"] == {
        "chunks": len(result["sizes"]),
        "bytes": len(result["bytes"]),
        "mode": "without-response",
    }


def test_the_writer_falls_back_to_writes_with_response(printing):
    result = printing.evaluate(
        """async () => {
        const m = window.print_js;
        const bytes = Uint8Array.from({length: 1000}, (_, i) => i % 251);
        const log = [];
        const refusing = {
          properties: {writeWithoutResponse: true, write: true},
          writeValueWithoutResponse: async () => { log.push('refused'); throw new DOMException('no', 'NotSupportedError'); },
          writeValueWithResponse: async (chunk) => { log.push(Array.from(chunk)); },
        };
        const outcome = await m.writeChunks(refusing, bytes, {delayMs: 0});
        const only = [];
        const withResponse = {
          properties: {write: true},
          writeValueWithResponse: async (chunk) => { only.push(chunk.length); },
        };
        const second = await m.writeChunks(withResponse, bytes, {chunkSize: 100});
        return {log, bytes: Array.from(bytes), outcome, only, second};
    }"""
    )
    assert result["log"][0] == "refused"  # tried once, then with response for the rest
    chunks = result["log"][1:]
    assert "refused" not in chunks
    assert [len(c) for c in chunks] == [180] * 5 + [100]
    assert sum(chunks, []) == result["bytes"]
    assert result["outcome"]["mode"] == "with-response"
    assert result["only"] == [100] * 10 and result["second"]["mode"] == "with-response"


def test_print_bytes_finds_the_printer_service_and_writes_to_it(printing):
    result = printing.evaluate(
        """async () => {
        const m = window.print_js;
        const written = [];
        let asked = null;
        const write = {uuid: '00002af1-0000-1000-8000-00805f9b34fb', properties: {writeWithoutResponse: true},
                       writeValueWithoutResponse: async (c) => { written.push(c.length); }};
        const notify = {uuid: '00002af0-0000-1000-8000-00805f9b34fb', properties: {notify: true}};
        const server = {
          getPrimaryService: async (uuid) => {
            if (uuid !== '000018f0-0000-1000-8000-00805f9b34fb') throw new DOMException('none', 'NotFoundError');
            return {getCharacteristics: async () => [notify, write]};
          },
        };
        const device = {name: 'MTP-II', id: 'x', gatt: {connected: false, connect: async () => { device.gatt.connected = true; return server; }, disconnect() {}}};
        const bluetooth = {requestDevice: async (options) => { asked = options; return device; }};
        const outcome = await m.printBytes(new Uint8Array(400), {bluetooth, delayMs: 0});
        m.disconnectPrinter();
        return {outcome, written, asked};
    }"""
    )
    assert result["written"] == [180, 180, 40]
    assert result["outcome"] == {
        "ok": True,
        "chunks": 3,
        "bytes": 400,
        "mode": "without-response",
        "device": "MTP-II",
    }
    assert {"services": ["000018f0-0000-1000-8000-00805f9b34fb"]} in result["asked"]["filters"]
    assert "e7810a71-73ae-499d-8c15-faa9aef0c3f2" in result["asked"]["optionalServices"]


def media_box_mm(pdf):
    """The first page's size in millimetres, from the PDF's /MediaBox."""
    match = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return tuple(round(float(v) * 25.4 / 72, 1) for v in match.groups())


def test_printable_html_fallback_is_sized_for_the_paper(printing, tmp_path):
    bill = hindi_bill()
    for width_mm in (58, 80):
        html = printing.evaluate(
            "([b, w]) => window.print_js.printableHtml(b, 'hi', {widthMm: w, duplicate: true})",
            [bill, width_mm],
        )
        assert f"@page {{ size: {width_mm}mm " in html
        assert '<html lang="hi">' in html
        assert "DUPLICATE / प्रतिलिपि" in html and "₹1,727.00" in html
        assert "<script" not in html  # the site's CSP allows no inline script
    html = printing.evaluate("b => window.print_js.printableHtml(b, 'hi')", bill)
    page = printing.context.new_page()
    page.goto(printing.url)  # the app's origin: the page loads the web font from /static/
    page.set_content(html)
    assert font_loaded(page, "UrjaPrintDevanagari")
    assert page.evaluate("document.body.scrollWidth") <= 220  # 58 mm is 219 CSS pixels
    assert "देय राशि" in page.inner_text("body")
    width, estimated = media_box_mm(page.pdf(prefer_css_page_size=True))
    assert abs(width - 58) < 0.5  # Chromium rounds the page to whole CSS pixels
    # the app fits the page to its content before printing (an iframe here, as in the app)
    fitted = printing.evaluate(
        """async (html) => {
        const frame = document.createElement('iframe');
        frame.style.width = '58mm';
        document.body.append(frame);
        await new Promise((resolve) => { frame.onload = resolve; frame.srcdoc = html; });
        return window.print_js.fitPrintablePage(frame.contentDocument);
    }""",
        html,
    )
    assert 60 < fitted <= estimated  # the estimate never cuts the bill short
    page.set_content(html.replace(f"size: 58mm {round(estimated)}mm", f"size: 58mm {fitted}mm"))
    pdf = page.pdf(prefer_css_page_size=True)
    width, height = media_box_mm(pdf)
    assert abs(width - 58) < 0.5 and abs(height - fitted) < 0.5
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # the whole bill on one page

    html = printing.evaluate(
        "b => window.print_js.printableHtml(b, 'en')", {**bill, "name": "<script>x</script>"}
    )
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_save_a_picture_of_the_print(printing, tmp_path):
    """Not a check: the 58 mm Hindi duplicate as the printer gets it, for a person to look at
    (URJA_SCREENSHOTS=path)."""
    png = printing.evaluate(
        """async (b) => {
        const m = window.print_js;
        const canvas = await m.billCanvas(b, {widthMm: 58, lang: 'hi', duplicate: true});
        const ctx = canvas.getContext('2d');
        const mono = m.toMonochrome(ctx.getImageData(0, 0, canvas.width, canvas.height));
        ctx.putImageData(new ImageData(mono.data, mono.width, mono.height), 0, 0);
        return canvas.toDataURL();
    }""",
        hindi_bill(),
    )
    shot = tmp_path / "bill-58-hi.png"
    shot.write_bytes(base64.b64decode(png.split(",", 1)[1]))
    assert shot.stat().st_size > 5000
    if os.environ.get("URJA_SCREENSHOTS"):
        shutil.copy(shot, os.environ["URJA_SCREENSHOTS"])
