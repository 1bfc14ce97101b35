// The pure parts of urja/field/static/field/print.js under node's test runner (node --test tests/js/).
// The canvas, fonts and Web Bluetooth are tested in Chromium: tests/browser/test_field_print.py.
import assert from "node:assert/strict";
import { test } from "node:test";

// The vendored encoder is a browser bundle: it reads the global ImageData when imported.
globalThis.ImageData ??= class ImageData {
  constructor(data, width, height) {
    if (typeof data === "number") [data, width, height] = [new Uint8ClampedArray(data * width * 4), data, width];
    Object.assign(this, { data, width, height });
  }
};
const print = await import("../../urja/field/static/field/print.js");

test("money keeps the engine's exact text, in Indian grouping", () => {
  assert.equal(print.formatMoney("1727.00"), "1,727.00");
  assert.equal(print.formatMoney("1234567.5"), "12,34,567.50");
  assert.equal(print.formatMoney("-0.25"), "-0.25");
  assert.equal(print.formatMoney("100000.00", { rupee: true }), "₹1,00,000.00");
  assert.equal(print.formatMoney("999"), "999.00");
  assert.equal(print.formatMoney(null), "—");
});

test("dates, moments and bill months", () => {
  assert.equal(print.formatDate("2026-12-05"), "05-12-2026");
  assert.equal(print.formatMoment("2026-12-05T18:45:00Z"), "06-12-2026 00:15");
  assert.equal(print.formatPeriod("2026-02", "hi"), "फ़रवरी 2026");
  assert.equal(print.formatPeriod("2026-02", "en"), "February 2026");
});

test("a Hindi bill line: Hindi head, the quantities of the English description", () => {
  const line = { head: "energy", description: "Energy up to 150 kWh: 150 kWh @ Rs 5.50", amount: "825.00" };
  assert.deepEqual(print.lineWords(line, "hi"), { label: "ऊर्जा प्रभार", detail: "150 kWh @ ₹5.50" });
  assert.deepEqual(print.lineWords(line, "en"), { label: line.description, detail: "" });
  assert.equal(print.lineWords({ head: "new_head", description: "Something new" }, "hi").label, "Something new");
});

test("every label exists in both languages", () => {
  assert.deepEqual(Object.keys(print.LABELS.hi).sort(), Object.keys(print.LABELS.en).sort());
});

test("a duplicate carries the mark at both ends", () => {
  const bill = { lines: [], payable: "10.00", account_number: "1" };
  const blocks = print.billBlocks(bill, { lang: "hi", duplicate: true });
  assert.equal(blocks[0].text, "DUPLICATE / प्रतिलिपि");
  assert.equal(blocks.at(-1).text, "DUPLICATE / प्रतिलिपि");
  assert.ok(!print.billBlocks(bill, { lang: "hi" }).some((b) => b.type === "banner"));
});

test("chunks cover the stream in order, none over the limit", () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);
  const chunks = print.splitChunks(bytes);
  assert.deepEqual(chunks.map((c) => c.length), [180, 180, 180, 180, 180, 100]);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(bytes));
  assert.deepEqual(print.splitChunks(new Uint8Array(0)), []);
});

test("monochrome: dark is black, light and transparent are paper", () => {
  const data = Uint8ClampedArray.from([0, 0, 0, 255, 200, 200, 200, 255, 0, 0, 0, 0, 120, 120, 120, 255]);
  const mono = print.toMonochrome({ data, width: 4, height: 1 });
  assert.deepEqual([...mono.data].filter((_, i) => i % 4 === 0), [0, 255, 255, 0]);
});

test("an image encodes as ESC @, GS v 0 of the paper's width, feed and cut", () => {
  for (const [widthMm, dots] of [[58, 384], [80, 576]]) {
    const height = 16;
    const data = new Uint8ClampedArray(dots * height * 4).fill(255);
    for (let i = 0; i < dots * 4; i += 4) data.fill(0, i, i + 3); // the first row black (and opaque)
    const bytes = print.encodeMonochrome({ data, width: dots, height }, { widthMm });
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1b, 0x40]);
    const at = bytes.findIndex((b, i) => b === 0x1d && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x30);
    assert.deepEqual([...bytes.subarray(at + 4, at + 8)], [dots / 8, 0, height, 0]);
    assert.deepEqual([...bytes.subarray(at + 8, at + 8 + dots / 8)], new Array(dots / 8).fill(0xff));
    assert.deepEqual([...bytes.subarray(-3)], [0x1d, 0x56, 0x01]);
  }
  assert.throws(() => print.encodeMonochrome({ data: new Uint8ClampedArray(4 * 100), width: 100, height: 1 }, { widthMm: 58 }));
});
