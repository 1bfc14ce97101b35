// Printing a spot bill and a spot-collection receipt on 58 mm and 80 mm thermal printers.
//
// Thermal printers have no Devanagari code page, so nothing is sent as text: the bill is laid out
// as blocks (billBlocks / receiptBlocks, plain data), drawn on a canvas of the paper's width in
// dots with the browser shaping the Devanagari (Noto Sans Devanagari, the pages' own web font),
// thresholded to black and white and sent as ESC/POS raster images (GS v 0) through
// @point-of-sale/receipt-printer-encoder (vendored, see vendor/README.md). The same blocks make the
// printable HTML page used when no Bluetooth printer is at hand (printableHtml, for window.print()).
//
// Bluetooth: printBytes(bytes) asks for a printer (requestDevice needs a user gesture: call it from
// a click), finds its writable characteristic among the services cheap BLE printers use and writes
// the stream in chunks of at most 180 bytes (a BLE write is limited by the link's MTU).
// A resolved printBytes means the bytes reached the printer, not that paper came out: the app
// records it as a print attempt, never as the bill being issued.

import ReceiptPrinterEncoder from "./vendor/receipt-printer-encoder.esm.js";

/** Paper widths: printable dots at 203 dpi and the printer's text columns (font A, 12 dots). */
export const PAPERS = Object.freeze({
  58: Object.freeze({ widthMm: 58, widthDots: 384, columns: 32, printMm: 48 }),
  80: Object.freeze({ widthMm: 80, widthDots: 576, columns: 48, printMm: 72 }),
});

/** The most a single BLE write carries here (20 bytes on the default MTU, ~180 on a negotiated one). */
export const CHUNK_BYTES = 180;

/** GATT services of common BLE thermal printers, with the write characteristic each is known for. */
export const PRINTER_SERVICES = Object.freeze([
  "000018f0-0000-1000-8000-00805f9b34fb", // most 58/80 mm printers (char 00002af1-…)
  "e7810a71-73ae-499d-8c15-faa9aef0c3f2", // many Chinese OEM printers (char bef8d6c9-…)
  "49535343-fe7d-4ae5-8fa9-9fafd205e455", // Microchip ISSC transparent UART (char 49535343-8841-…)
  "6e400001-b5a3-f393-e0a9-e50e24dcca9e", // Nordic UART service (char 6e400002-…)
  "0000ff00-0000-1000-8000-00805f9b34fb", // generic vendor service (char ff02)
  "0000ffe0-0000-1000-8000-00805f9b34fb", // HM-10 style serial modules (char ffe1)
  "0000ae30-0000-1000-8000-00805f9b34fb", // small "cat" printers (char ae01)
  "0000fee7-0000-1000-8000-00805f9b34fb", // some Xprinter models
]);

/** Advertised name prefixes of printers that do not advertise a service UUID. */
export const PRINTER_NAME_PREFIXES = Object.freeze([
  "MTP", "MPT", "PT-", "RPP", "BlueTooth Printer", "Printer", "POS", "XP-", "Mobile Printer",
]);

/** The words on the print. Amounts and numbers stay in Latin digits, as on every Indian bill. */
export const LABELS = Object.freeze({
  en: {
    bill_title: "Electricity bill",
    spot_bill: "Spot bill",
    receipt_title: "Spot collection receipt",
    duplicate: "DUPLICATE / प्रतिलिपि",
    bill_number: "Bill number",
    bill_date: "Bill date",
    account_number: "Account number",
    name: "Name",
    address: "Address",
    category: "Category",
    period: "Bill month",
    basis: "Bill basis",
    meter: "Meter",
    reading_date: "Reading date",
    previous_reading: "Previous reading",
    current_reading: "Current reading",
    reading_status: "Reading status",
    units: "Units (kWh)",
    charges: "Charges (₹)",
    payable: "Amount payable",
    due_date: "Due date",
    pay_by_due_date: "Pay by the due date to avoid a late payment surcharge.",
    reader: "Meter reader",
    receipt_number: "Receipt number",
    paid_at: "Date and time",
    mode: "Mode",
    cash: "Cash",
    amount_received: "Amount received",
    collected_by: "Collected by",
    keep_receipt: "Keep this receipt until the payment shows on your account.",
    generated: "Computer-generated; needs no signature.",
  },
  hi: {
    bill_title: "बिजली बिल",
    spot_bill: "स्पॉट बिल",
    receipt_title: "स्पॉट भुगतान रसीद",
    duplicate: "DUPLICATE / प्रतिलिपि",
    bill_number: "बिल संख्या",
    bill_date: "बिल तिथि",
    account_number: "खाता संख्या",
    name: "नाम",
    address: "पता",
    category: "श्रेणी",
    period: "बिल माह",
    basis: "बिल का आधार",
    meter: "मीटर",
    reading_date: "रीडिंग तिथि",
    previous_reading: "पिछली रीडिंग",
    current_reading: "वर्तमान रीडिंग",
    reading_status: "रीडिंग की स्थिति",
    units: "यूनिट (kWh)",
    charges: "प्रभार (₹)",
    payable: "देय राशि",
    due_date: "देय तिथि",
    pay_by_due_date: "विलंब भुगतान अधिभार से बचने के लिए देय तिथि तक भुगतान करें।",
    reader: "मीटर रीडर",
    receipt_number: "रसीद संख्या",
    paid_at: "दिनांक और समय",
    mode: "माध्यम",
    cash: "नकद",
    amount_received: "प्राप्त राशि",
    collected_by: "प्राप्तकर्ता",
    keep_receipt: "भुगतान खाते में दिखने तक यह रसीद संभालकर रखें।",
    generated: "कंप्यूटर द्वारा बनाया गया, हस्ताक्षर आवश्यक नहीं।",
  },
});

/** Bill line heads (the engine's `head`) in Hindi; English prints the engine's own description. */
export const HEADS_HI = Object.freeze({
  energy: "ऊर्जा प्रभार",
  fixed: "स्थायी प्रभार",
  demand: "मांग प्रभार",
  excess_demand: "अतिरिक्त मांग प्रभार",
  minimum_charge_topup: "न्यूनतम प्रभार की पूर्ति",
  provisional_true_up: "प्रोविजनल समायोजन",
  tod: "समय आधारित (ToD) प्रभार",
  power_factor: "पावर फ़ैक्टर अधिभार",
  electricity_duty: "विद्युत शुल्क",
  fppas: "ईंधन एवं विद्युत क्रय समायोजन (FPPAS)",
  prepaid_rebate: "प्रीपेड मीटर छूट",
  voltage_rebate: "आपूर्ति वोल्टेज छूट",
  load_factor_rebate: "लोड फ़ैक्टर छूट",
  late_bill_rebate: "विलंबित बिल छूट",
  solar_net_metering: "नेट मीटरिंग",
  solar_export_credit: "सौर निर्यात क्रेडिट",
  subsidy: "सब्सिडी",
  na_penalty: "मीटर उपलब्ध न होने का दंड",
  lpsc: "विलंब भुगतान अधिभार (LPSC)",
  arrears: "बकाया",
  round_off: "रुपये में पूर्णांकन",
});

const BASIS = {
  en: { MU: "metered", UM: "unmetered (flat)", MIN: "minimum charge", PROV: "provisional", ASS: "assessed" },
  hi: { MU: "मीटर्ड", UM: "अनमीटर्ड (फ़्लैट)", MIN: "न्यूनतम प्रभार", PROV: "प्रोविजनल (औसत)", ASS: "निर्धारित" },
};

const READING_STATUS = {
  en: {
    OK: "OK", IDF: "meter defective", RDF: "reading defective", ADF: "reading unchanged",
    CDF: "doubtful consumption", NA: "premises locked", NR: "not read", NM: "no meter",
  },
  hi: {
    OK: "ठीक", IDF: "मीटर दोषपूर्ण", RDF: "रीडिंग दोषपूर्ण", ADF: "रीडिंग अपरिवर्तित",
    CDF: "संदिग्ध खपत", NA: "परिसर बंद", NR: "रीडिंग नहीं", NM: "मीटर नहीं",
  },
};

const MONTHS = {
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"],
  hi: ["जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर",
    "नवंबर", "दिसंबर"],
};

// ------------------------------------------------------------------------------------ words

function language(lang) {
  return lang === "hi" ? "hi" : "en";
}

/**
 * An amount as the engine writes it ("1727.00", "-0.25") in Indian digit grouping ("1,727.00",
 * "12,34,567.50"). Pure string work: money is never turned into a float.
 */
export function formatMoney(value, { rupee = false } = {}) {
  if (value === null || value === undefined || value === "") return "—";
  const text = String(value).trim();
  const match = /^([-+]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = ""] = match;
  let grouped = whole.replace(/^0+(?=\d)/, "");
  if (grouped.length > 3) {
    const last3 = grouped.slice(-3);
    const rest = grouped.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ",");
    grouped = `${rest},${last3}`;
  }
  const paise = (fraction + "00").slice(0, Math.max(2, fraction.length));
  return `${sign === "-" ? "-" : ""}${rupee ? "₹" : ""}${grouped}.${paise}`;
}

/** "2026-12-05" as "05-12-2026" (Urja's date everywhere); anything else as given. */
export function formatDate(value) {
  if (!value) return "—";
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
  return match ? `${match[3]}-${match[2]}-${match[1]}` : String(value);
}

/** A moment (ISO with offset) as "05-12-2026 10:32" in India's time. */
export function formatMoment(value) {
  if (!value) return "—";
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) return String(value);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Kolkata", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(moment).map((part) => [part.type, part.value]),
  );
  return `${parts.day}-${parts.month}-${parts.year} ${parts.hour}:${parts.minute}`;
}

/** A bill month "2026-12" as "December 2026" / "दिसंबर 2026". */
export function formatPeriod(period, lang) {
  const match = /^(\d{4})-(\d{2})$/.exec(String(period || ""));
  if (!match) return period ? String(period) : "—";
  const month = MONTHS[language(lang)][Number(match[2]) - 1];
  return month ? `${month} ${match[1]}` : String(period);
}

/** The words of one bill line: a Hindi head (with the quantities of the English description) or
 * the engine's English description as it is. */
export function lineWords(line, lang) {
  const description = String(line.description || line.head || "");
  if (language(lang) !== "hi" || !HEADS_HI[line.head]) return { label: description, detail: "" };
  const colon = description.indexOf(":");
  const detail = colon >= 0 ? description.slice(colon + 1).trim().replace(/\bRs\s?/g, "₹") : "";
  return { label: HEADS_HI[line.head], detail };
}

// ----------------------------------------------------------------------------------- blocks
// A print is a list of blocks: {type: "banner"|"title"|"center"|"pair"|"text"|"rule"|"gap",
// text, label, value, size: "small"|"normal"|"large"|"big", bold}. Canvas and HTML draw the same.

function readingOf(bill) {
  const reading = bill.reading;
  if (reading === null || reading === undefined || reading === "") return {};
  if (typeof reading === "object") return reading;
  return { current: String(reading) };
}

function pairIf(blocks, label, value, extra = {}) {
  if (value === null || value === undefined || value === "") return;
  blocks.push({ type: "pair", label, value: String(value), ...extra });
}

/**
 * The blocks of a spot bill. `bill` is the engine's computeBill output (lines, category, basis,
 * total, payable …) with the consumer's fields: bill_number, bill_date, account_number, name,
 * address, period ("2026-12"), due_date, meter_serial, reader, utility, office and reading
 * ({previous, current, units, date, status} or the current reading alone).
 */
export function billBlocks(bill, { lang = "hi", duplicate = false } = {}) {
  const l = LABELS[language(lang)];
  const reading = readingOf(bill);
  const blocks = [];
  if (duplicate) blocks.push({ type: "banner", text: l.duplicate });
  if (bill.utility) blocks.push({ type: "center", text: bill.utility, bold: true });
  blocks.push({ type: "title", text: l.bill_title });
  blocks.push({ type: "center", text: bill.office ? `${l.spot_bill} · ${bill.office}` : l.spot_bill, size: "small" });
  blocks.push({ type: "rule" });
  pairIf(blocks, l.bill_number, bill.bill_number);
  pairIf(blocks, l.bill_date, bill.bill_date && formatDate(bill.bill_date));
  pairIf(blocks, l.account_number, bill.account_number, { bold: true });
  pairIf(blocks, l.name, bill.name);
  pairIf(blocks, l.address, bill.address);
  pairIf(blocks, l.category, bill.category);
  pairIf(blocks, l.period, bill.period && formatPeriod(bill.period, lang));
  if (bill.basis && bill.basis !== "MU") pairIf(blocks, l.basis, BASIS[language(lang)][bill.basis] || bill.basis);
  blocks.push({ type: "rule" });
  pairIf(blocks, l.meter, bill.meter_serial);
  pairIf(blocks, l.reading_date, reading.date && formatDate(reading.date));
  pairIf(blocks, l.previous_reading, reading.previous);
  pairIf(blocks, l.current_reading, reading.current);
  if (reading.status && reading.status !== "OK") {
    pairIf(blocks, l.reading_status, READING_STATUS[language(lang)][reading.status] || reading.status);
  }
  pairIf(blocks, l.units, reading.units ?? bill.units, { bold: true });
  blocks.push({ type: "rule" });
  blocks.push({ type: "pair", label: l.charges, value: "", bold: true });
  for (const line of bill.lines || []) {
    const words = lineWords(line, lang);
    blocks.push({ type: "pair", label: words.label, value: formatMoney(line.amount), size: "small" });
    if (words.detail) blocks.push({ type: "text", text: words.detail, size: "tiny", indent: true });
  }
  blocks.push({ type: "rule" });
  blocks.push({ type: "pair", label: l.payable, value: formatMoney(bill.payable, { rupee: true }), size: "big", labelSize: "large", bold: true });
  pairIf(blocks, l.due_date, bill.due_date && formatDate(bill.due_date), { bold: true });
  blocks.push({ type: "text", text: l.pay_by_due_date, size: "small" });
  if (bill.reader) pairIf(blocks, l.reader, bill.reader, { size: "small" });
  blocks.push({ type: "text", text: l.generated, size: "tiny" });
  if (duplicate) blocks.push({ type: "banner", text: l.duplicate });
  return blocks;
}

/**
 * The blocks of a spot-collection receipt: `receipt` = {receipt_number, paid_at (ISO), account_number,
 * name, amount ("500.00"), bill_number, reader, utility, office}.
 */
export function receiptBlocks(receipt, { lang = "hi", duplicate = false } = {}) {
  const l = LABELS[language(lang)];
  const blocks = [];
  if (duplicate) blocks.push({ type: "banner", text: l.duplicate });
  if (receipt.utility) blocks.push({ type: "center", text: receipt.utility, bold: true });
  blocks.push({ type: "title", text: l.receipt_title });
  if (receipt.office) blocks.push({ type: "center", text: receipt.office, size: "small" });
  blocks.push({ type: "rule" });
  pairIf(blocks, l.receipt_number, receipt.receipt_number, { bold: true });
  pairIf(blocks, l.paid_at, receipt.paid_at && formatMoment(receipt.paid_at));
  pairIf(blocks, l.account_number, receipt.account_number, { bold: true });
  pairIf(blocks, l.name, receipt.name);
  pairIf(blocks, l.bill_number, receipt.bill_number);
  pairIf(blocks, l.mode, l.cash);
  blocks.push({ type: "rule" });
  blocks.push({ type: "pair", label: l.amount_received, value: formatMoney(receipt.amount, { rupee: true }), size: "big", labelSize: "large", bold: true });
  blocks.push({ type: "rule" });
  if (receipt.reader) pairIf(blocks, l.collected_by, receipt.reader, { size: "small" });
  blocks.push({ type: "text", text: l.keep_receipt, size: "small" });
  blocks.push({ type: "text", text: l.generated, size: "tiny" });
  if (duplicate) blocks.push({ type: "banner", text: l.duplicate });
  return blocks;
}

// ----------------------------------------------------------------------------------- fonts

const FONT_FAMILY = "UrjaPrintDevanagari";
const FONT_STACK = `"${FONT_FAMILY}", "Noto Sans Devanagari", "Noto Sans", Roboto, "DejaVu Sans", sans-serif`;
const DEVANAGARI_RANGE = "U+0900-097F, U+200B-200D, U+20B9, U+25CC, U+A8E0-A8FF";

/** The project's Devanagari web font (urja/static/fonts), next to this module's static folder. */
export const FONT_URLS = Object.freeze({
  regular: new URL("../fonts/NotoSansDevanagari-Regular.woff2", import.meta.url).href,
  bold: new URL("../fonts/NotoSansDevanagari-Bold.woff2", import.meta.url).href,
});

let fontsReady = null;

/**
 * Load the Devanagari font for the canvas (once). Never rejects: without it (offline before the
 * service worker cached it) the phone's own Devanagari font shapes the text instead.
 */
export function printFontsReady() {
  if (fontsReady) return fontsReady;
  if (typeof FontFace === "undefined" || typeof document === "undefined" || !document.fonts) {
    fontsReady = Promise.resolve(false);
    return fontsReady;
  }
  const faces = [
    new FontFace(FONT_FAMILY, `url("${FONT_URLS.regular}") format("woff2")`, { weight: "400", unicodeRange: DEVANAGARI_RANGE }),
    new FontFace(FONT_FAMILY, `url("${FONT_URLS.bold}") format("woff2")`, { weight: "700", unicodeRange: DEVANAGARI_RANGE }),
  ];
  fontsReady = Promise.all(faces.map((face) => face.load().then((loaded) => document.fonts.add(loaded))))
    .then(() => true)
    .catch(() => false);
  return fontsReady;
}

// ----------------------------------------------------------------------------------- canvas

/** Font sizes in dots (203 dpi: 24 dots ≈ 3 mm) for each paper. */
const SIZES = {
  58: { tiny: 17, small: 20, normal: 23, large: 30, big: 34, margin: 4 },
  80: { tiny: 19, small: 22, normal: 26, large: 34, big: 40, margin: 8 },
};

/** The paper for {widthMm: 58|80} or {widthDots: 384|576} (58 mm when neither is given). */
export function paperFor(opts = {}) {
  if (opts.widthDots === 576 || Number(opts.widthMm) === 80) return PAPERS[80];
  if (opts.widthDots && opts.widthDots !== 384) throw new Error(`unsupported paper width ${opts.widthDots} dots`);
  if (opts.widthMm && Number(opts.widthMm) !== 58) throw new Error(`unsupported paper width ${opts.widthMm} mm`);
  return PAPERS[58];
}

function newCanvas(width, height) {
  if (typeof document !== "undefined") {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }
  return new OffscreenCanvas(width, height);
}

function fontOf(px, bold) {
  return `${bold ? 700 : 400} ${px}px ${FONT_STACK}`;
}

function graphemes(text) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    return [...new Intl.Segmenter("hi", { granularity: "grapheme" }).segment(text)].map((s) => s.segment);
  }
  return [...text];
}

/** Break `text` into lines no wider than `width` (at spaces; a word too long breaks between
 * grapheme clusters, never inside a conjunct). */
function wrap(ctx, text, width) {
  const lines = [];
  let line = "";
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (ctx.measureText(candidate).width <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    if (ctx.measureText(word).width <= width) {
      line = word;
      continue;
    }
    for (const cluster of graphemes(word)) {
      if (line && ctx.measureText(line + cluster).width > width) {
        lines.push(line);
        line = "";
      }
      line += cluster;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** Lay the blocks out on a paper: drawing operations and the height they need. */
function layout(ctx, blocks, paper) {
  const size = SIZES[paper.widthMm];
  const left = size.margin;
  const right = paper.widthDots - size.margin;
  const width = right - left;
  const ops = [];
  let y = 6;
  const lineHeight = (px) => Math.ceil(px * 1.5);
  const text = (value, x, px, bold, align) => {
    ops.push({ kind: "text", text: value, x, y: y + Math.ceil(px * 1.1), font: fontOf(px, bold), align });
  };
  for (const block of blocks) {
    const px = size[block.size || "normal"];
    const bold = Boolean(block.bold);
    ctx.font = fontOf(px, bold);
    if (block.type === "rule") {
      ops.push({ kind: "rect", x: left, y: y + 5, w: width, h: 2, color: "#000" });
      y += 12;
    } else if (block.type === "gap") {
      y += size.normal;
    } else if (block.type === "banner") {
      const bannerPx = size.large;
      ctx.font = fontOf(bannerPx, true);
      const lines = wrap(ctx, block.text, width - 12);
      const h = lines.length * lineHeight(bannerPx) + 6;
      ops.push({ kind: "rect", x: left, y: y + 2, w: width, h, color: "#000" });
      y += 4;
      for (const line of lines) {
        ops.push({ kind: "text", text: line, x: left + width / 2, y: y + Math.ceil(bannerPx * 1.1), font: fontOf(bannerPx, true), align: "center", color: "#fff" });
        y += lineHeight(bannerPx);
      }
      y += 10;
    } else if (block.type === "title" || block.type === "center") {
      const titlePx = block.type === "title" ? size.large : px;
      const titleBold = block.type === "title" || bold;
      ctx.font = fontOf(titlePx, titleBold);
      for (const line of wrap(ctx, block.text, width)) {
        text(line, left + width / 2, titlePx, titleBold, "center");
        y += lineHeight(titlePx);
      }
    } else if (block.type === "text") {
      const indent = block.indent ? size.normal : 0;
      for (const line of wrap(ctx, block.text, width - indent)) {
        text(line, left + indent, px, bold, "left");
        y += lineHeight(px);
      }
    } else if (block.type === "pair") {
      // the label may be smaller than its value (the amount payable): both share one baseline
      const vpx = px;
      const lpx = size[block.labelSize || block.size || "normal"];
      const value = block.value || "";
      ctx.font = fontOf(vpx, bold);
      const valueWidth = value ? ctx.measureText(value).width : 0;
      ctx.font = fontOf(lpx, bold);
      const labelWidth = ctx.measureText(block.label).width;
      const gap = value ? Math.ceil(vpx * 0.6) : 0;
      const row = (label, val, rowPx) => {
        ops.push({ kind: "text", text: label, x: left, y: y + Math.ceil(rowPx * 1.1), font: fontOf(lpx, bold), align: "left" });
        if (val) ops.push({ kind: "text", text: val, x: right, y: y + Math.ceil(rowPx * 1.1), font: fontOf(vpx, bold), align: "right" });
        y += lineHeight(rowPx);
      };
      if (labelWidth + gap + valueWidth <= width) {
        row(block.label, value, Math.max(lpx, vpx));
      } else if (valueWidth <= width * 0.55) {
        wrap(ctx, block.label, width - gap - valueWidth).forEach((line, i) => row(line, i === 0 ? value : "", i === 0 ? Math.max(lpx, vpx) : lpx));
      } else {
        for (const line of wrap(ctx, block.label, width)) row(line, "", lpx);
        ctx.font = fontOf(vpx, bold);
        for (const line of wrap(ctx, value, width)) {
          ops.push({ kind: "text", text: line, x: right, y: y + Math.ceil(vpx * 1.1), font: fontOf(vpx, bold), align: "right" });
          y += lineHeight(vpx);
        }
      }
    } else {
      throw new Error(`unknown print block ${block.type}`);
    }
  }
  // The raster goes out in whole bytes of 8 dots: the height is a multiple of 8 as well.
  const height = Math.ceil((y + 8) / 8) * 8;
  return { ops, height };
}

/** Draw the blocks on a white canvas as wide as the paper's printable dots. */
export function blocksCanvas(blocks, opts = {}) {
  const paper = paperFor(opts);
  const canvas = newCanvas(paper.widthDots, 8);
  const { ops, height } = layout(canvas.getContext("2d"), blocks, paper);
  canvas.height = height; // resets the context
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = "alphabetic";
  for (const op of ops) {
    ctx.fillStyle = op.color || "#000";
    if (op.kind === "rect") {
      ctx.fillRect(op.x, op.y, op.w, op.h);
    } else {
      ctx.font = op.font;
      ctx.textAlign = op.align;
      ctx.fillText(op.text, op.x, op.y);
    }
  }
  return canvas;
}

/** The bill on a canvas of the paper's width: `opts` = {widthDots: 384|576 or widthMm: 58|80, lang, duplicate}. */
export async function billCanvas(bill, opts = {}) {
  await printFontsReady();
  return blocksCanvas(billBlocks(bill, opts), opts);
}

/** The receipt on a canvas of the paper's width (options as billCanvas). */
export async function receiptCanvas(receipt, opts = {}) {
  await printFontsReady();
  return blocksCanvas(receiptBlocks(receipt, opts), opts);
}

// ---------------------------------------------------------------------------------- ESC/POS

/**
 * Pixels (RGBA, as getImageData gives them) to pure black and white: a dot is black when its
 * luminance is below `threshold` (a little above mid-grey, so thin anti-aliased strokes survive on
 * thermal paper). Returns {data, width, height} with every pixel 0 or 255 and opaque.
 */
export function toMonochrome(image, threshold = 160) {
  const { width, height } = image;
  const source = image.data;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    const alpha = source[i + 3] / 255;
    // transparent counts as paper (white)
    const luminance = (0.299 * source[i] + 0.587 * source[i + 1] + 0.114 * source[i + 2]) * alpha + 255 * (1 - alpha);
    const value = luminance < threshold ? 0 : 255;
    data[i] = data[i + 1] = data[i + 2] = value;
    data[i + 3] = 255;
  }
  return { data, width, height };
}

/**
 * ESC/POS for one black-and-white image as wide as the paper: initialise (ESC @), the image as
 * GS v 0 raster commands (the encoder sends at most 255 rows a command), feed, partial cut (GS V 1).
 */
export function encodeMonochrome(mono, opts = {}) {
  const paper = paperFor(opts);
  if (mono.width !== paper.widthDots) throw new Error(`image is ${mono.width} dots wide, paper ${paper.widthDots}`);
  const encoder = new ReceiptPrinterEncoder({
    language: "esc-pos",
    columns: paper.columns,
    imageMode: "raster",
    feedBeforeCut: 4,
    newline: "\n",
  });
  const bytes = encoder.initialize().image(mono, mono.width, mono.height, "threshold", 128).cut("partial").encode();
  // The encoder ends every line it prints with a line feed, the cut's line too: that feed would
  // land at the top of the next print, so the stream ends with the cut.
  const n = bytes.length;
  if (n >= 4 && bytes[n - 1] === 0x0a && bytes[n - 4] === 0x1d && bytes[n - 3] === 0x56) return bytes.slice(0, n - 1);
  return bytes;
}

/** ESC/POS for a canvas (any canvas as wide as the paper). */
export function encodeCanvas(canvas, opts = {}) {
  const image = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  return encodeMonochrome(toMonochrome(image, opts.threshold), { ...opts, widthDots: canvas.width });
}

/** The bill as ESC/POS bytes (Promise<Uint8Array>): `opts` = {widthMm: 58|80 or widthDots, lang, duplicate}. */
export async function encodeBill(bill, opts = {}) {
  return encodeCanvas(await billCanvas(bill, opts), opts);
}

/** The receipt as ESC/POS bytes (Promise<Uint8Array>), options as encodeBill. */
export async function encodeReceipt(receipt, opts = {}) {
  return encodeCanvas(await receiptCanvas(receipt, opts), opts);
}

// -------------------------------------------------------------------------------- Bluetooth

/** `bytes` in consecutive slices of at most `size` bytes (views, not copies). */
export function splitChunks(bytes, size = CHUNK_BYTES) {
  if (!(size > 0)) throw new Error("chunk size must be positive");
  const chunks = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return chunks;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Write `bytes` to a GATT characteristic in order, one chunk of at most `chunkSize` bytes at a
 * time, each awaited before the next. Writes without response when the characteristic allows it
 * (faster; paced by `delayMs` so a small printer buffer is not flooded), with response otherwise or
 * as soon as a write without response is refused. Returns {chunks, bytes, mode}.
 */
export async function writeChunks(characteristic, bytes, { chunkSize = CHUNK_BYTES, delayMs = 15 } = {}) {
  const props = characteristic.properties || {};
  let mode = props.writeWithoutResponse && characteristic.writeValueWithoutResponse ? "without-response" : "with-response";
  const chunks = splitChunks(bytes, chunkSize);
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    if (mode === "without-response") {
      try {
        await characteristic.writeValueWithoutResponse(chunk);
        if (delayMs > 0 && i < chunks.length - 1) await sleep(delayMs);
        continue;
      } catch (error) {
        if (!characteristic.writeValueWithResponse && !characteristic.writeValue) throw error;
        mode = "with-response";
      }
    }
    if (characteristic.writeValueWithResponse) await characteristic.writeValueWithResponse(chunk);
    else await characteristic.writeValue(chunk);
  }
  return { chunks: chunks.length, bytes: bytes.length, mode };
}

let printer = null; // {device, characteristic} of the printer chosen in this session

async function writableCharacteristic(server) {
  const services = [];
  for (const uuid of PRINTER_SERVICES) {
    try {
      services.push(await server.getPrimaryService(uuid));
    } catch {
      // not this printer's service
    }
  }
  for (const service of services) {
    for (const characteristic of await service.getCharacteristics()) {
      const p = characteristic.properties || {};
      if (p.writeWithoutResponse || p.write) return characteristic;
    }
  }
  throw new Error("no writable printer characteristic found");
}

/**
 * Connect to a thermal printer: the one chosen before in this session when it is still reachable,
 * otherwise the browser's chooser (needs a user gesture). `bluetooth` defaults to navigator.bluetooth.
 */
export async function connectPrinter({ bluetooth = globalThis.navigator?.bluetooth, choose = false } = {}) {
  if (!bluetooth) throw new Error("Web Bluetooth is not available in this browser");
  if (printer && !choose) {
    if (printer.device.gatt.connected) return printer;
    try {
      const server = await printer.device.gatt.connect();
      printer = { device: printer.device, characteristic: await writableCharacteristic(server) };
      return printer;
    } catch {
      printer = null;
    }
  }
  const device = await bluetooth.requestDevice({
    filters: [
      ...PRINTER_SERVICES.map((uuid) => ({ services: [uuid] })),
      ...PRINTER_NAME_PREFIXES.map((namePrefix) => ({ namePrefix })),
    ],
    optionalServices: [...PRINTER_SERVICES],
  });
  const server = await device.gatt.connect();
  printer = { device, characteristic: await writableCharacteristic(server) };
  return printer;
}

/** Forget (and disconnect) the printer of this session. */
export function disconnectPrinter() {
  if (printer?.device.gatt.connected) printer.device.gatt.disconnect();
  printer = null;
}

/**
 * Send ESC/POS bytes to the Bluetooth printer. Resolves {ok: true, chunks, bytes, mode, device}
 * once every chunk was written; rejects when no printer could be reached or a write failed (a
 * dropped link: record the attempt, offer a reprint, which prints "DUPLICATE").
 */
export async function printBytes(bytes, opts = {}) {
  const { device, characteristic } = await connectPrinter(opts);
  const written = await writeChunks(characteristic, bytes, opts);
  return { ok: true, ...written, device: device.name || device.id || "" };
}

// ------------------------------------------------------------------------------ printable HTML

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

/**
 * A generous guess of the printed page's length: a roll has no pages, and a page size of "auto" is
 * not CSS, so the page is as long as the print (fitPrintablePage makes it exact once laid out).
 */
function estimateHeightMm(blocks, paper) {
  const perLine = paper.widthMm === 80 ? 44 : 30; // characters of 9-10 pt text on the line
  const lineMm = 5.4;
  let mm = 6;
  for (const block of blocks) {
    const scale = { tiny: 0.8, small: 0.9, large: 1.35, big: 1.5 }[block.size] || 1;
    const chars = String(block.text || "").length + String(block.label || "").length + String(block.value || "").length + 2;
    if (block.type === "rule") mm += 2.5;
    else if (block.type === "gap") mm += lineMm;
    else mm += Math.ceil((chars * scale) / perLine) * lineMm * scale + (block.type === "banner" ? 2 : 0);
  }
  return Math.ceil(mm);
}

/**
 * Make a printable page (printableHtml, in `doc` — an iframe's or a window's document) exactly as
 * long as its content, once its fonts are loaded: call it from the app's script before print().
 * (The page itself carries no script: the site's Content-Security-Policy allows none inline.)
 */
export async function fitPrintablePage(doc = document) {
  if (doc.fonts) {
    // ask for both weights (a font is fetched only once text needs it), then wait for every face
    await Promise.all(["400", "700"].map((weight) => doc.fonts.load(`${weight} 12pt "${FONT_FAMILY}"`, "देय")).map((p) => p.catch(() => null)));
    await doc.fonts.ready;
  }
  const widthMm = doc.body.dataset.paperMm || "58";
  const heightMm = Math.ceil((doc.documentElement.getBoundingClientRect().height * 25.4) / 96) + 2;
  const style = doc.createElement("style");
  style.textContent = `@page { size: ${widthMm}mm ${heightMm}mm; margin: 0; }`;
  doc.head.append(style);
  return heightMm;
}

function blocksHtml(blocks, lang, opts) {
  const paper = paperFor(opts);
  const body = blocks.map((block) => {
    const cls = [block.size || "normal", block.bold ? "bold" : ""].filter(Boolean).join(" ");
    switch (block.type) {
      case "banner": return `<div class="banner">${escapeHtml(block.text)}</div>`;
      case "title": return `<h1>${escapeHtml(block.text)}</h1>`;
      case "center": return `<p class="center ${cls}">${escapeHtml(block.text)}</p>`;
      case "text": return `<p class="${cls}${block.indent ? " indent" : ""}">${escapeHtml(block.text)}</p>`;
      case "rule": return "<hr>";
      case "gap": return '<div class="gap"></div>';
      case "pair": {
        const label = block.labelSize ? ` class="${block.labelSize}"` : "";
        return `<div class="pair ${cls}"><span${label}>${escapeHtml(block.label)}</span><span>${escapeHtml(block.value || "")}</span></div>`;
      }
      default: throw new Error(`unknown print block ${block.type}`);
    }
  }).join("\n");
  const title = blocks.find((block) => block.type === "title")?.text || "";
  return `<!doctype html>
<html lang="${language(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
@font-face { font-family: "${FONT_FAMILY}"; src: url("${FONT_URLS.regular}") format("woff2"); font-weight: 400; unicode-range: ${DEVANAGARI_RANGE}; }
@font-face { font-family: "${FONT_FAMILY}"; src: url("${FONT_URLS.bold}") format("woff2"); font-weight: 700; unicode-range: ${DEVANAGARI_RANGE}; }
@page { size: ${paper.widthMm}mm ${estimateHeightMm(blocks, paper)}mm; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { width: ${paper.widthMm}mm; padding: 2mm ${(paper.widthMm - paper.printMm) / 2}mm; font: 400 ${paper.widthMm === 80 ? 10 : 9}pt/1.4 ${FONT_STACK}; }
h1 { font-size: 1.35em; text-align: center; margin: 0.2em 0; }
p { margin: 0.15em 0; }
hr { border: 0; border-top: 0.3mm solid #000; margin: 1mm 0; }
.center { text-align: center; }
.bold { font-weight: 700; }
.small { font-size: 0.88em; }
.tiny { font-size: 0.78em; }
.large { font-size: 1.3em; }
.big { font-size: 1.45em; }
.pair .large { font-size: 0.9em; align-self: baseline; }
.indent { padding-left: 1em; }
.gap { height: 1em; }
.pair { display: flex; justify-content: space-between; gap: 0.6em; }
.pair span:last-child { text-align: right; white-space: nowrap; }
.banner { background: #000; color: #fff; font-weight: 700; text-align: center; padding: 0.5mm 0; margin: 1mm 0;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
</style>
</head>
<body data-paper-mm="${paper.widthMm}">
${body}
</body>
</html>
`;
}

/** The bill as a printable HTML page sized for the paper (58 mm unless opts.widthMm is 80), for window.print(). */
export function printableHtml(bill, lang = "hi", opts = {}) {
  return blocksHtml(billBlocks(bill, { ...opts, lang }), lang, opts);
}

/** The receipt as a printable HTML page, as printableHtml. */
export function printableReceiptHtml(receipt, lang = "hi", opts = {}) {
  return blocksHtml(receiptBlocks(receipt, { ...opts, lang }), lang, opts);
}
