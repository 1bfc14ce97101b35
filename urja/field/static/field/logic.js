// Pure rules of the field app (no DOM, no IndexedDB), so that node's test runner can check them:
// units from a reading, the questions asked about implausible values, money text, receipt numbers,
// client ids and sync batches.

// A reading more than this many times the consumer's average monthly units is questioned.
export const FAR_ABOVE_AVERAGE = 3n;
export const SYNC_BATCH = 50;

const DECIMAL = /^\d+(\.\d+)?$/;

// A non-negative decimal string as an exact scaled integer: "12.5" -> {n: 125n, scale: 1}.
export function decimal(text) {
  const s = String(text ?? "").trim();
  if (!DECIMAL.test(s)) throw new Error(`not a decimal: ${text}`);
  const [whole, frac = ""] = s.split(".");
  return { n: BigInt(whole + frac), scale: frac.length };
}

function rescale(d, scale) {
  return d.n * 10n ** BigInt(scale - d.scale);
}

export function decimalText({ n, scale }) {
  const neg = n < 0n;
  let digits = (neg ? -n : n).toString().padStart(scale + 1, "0");
  let text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  if (scale) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return (neg ? "-" : "") + text;
}

export function isDecimal(text) {
  return DECIMAL.test(String(text ?? "").trim());
}

// Units consumed between the last reading and this one, times the meter's multiplying factor. A
// reading below the last one is taken as the register having rolled over past its digits (the
// reader is asked first); without a known number of digits it cannot be billed.
export function unitsFrom({ kwh, last, multiplier = "1", digits = null }) {
  const now = decimal(kwh);
  const mult = decimal(multiplier || "1");
  if (last === null || last === undefined || last === "") {
    return { units: null, rollover: false };
  }
  const before = decimal(last);
  const scale = Math.max(now.scale, before.scale);
  let diff = rescale(now, scale) - rescale(before, scale);
  let rollover = false;
  if (diff < 0n) {
    if (!digits) return { units: null, rollover: true };
    diff += 10n ** BigInt(digits + scale);
    rollover = true;
  }
  return { units: decimalText({ n: diff * mult.n, scale: scale + mult.scale }), rollover };
}

// The questions to ask before saving a reading: [{code, ...}] (empty when it looks right).
export function readingQuestions({ kwh, last, average, multiplier, digits }) {
  const questions = [];
  if (!isDecimal(kwh)) return [{ code: "not_a_number" }];
  if (digits && decimal(kwh).n >= 10n ** BigInt(digits + decimal(kwh).scale)) {
    questions.push({ code: "too_many_digits", digits });
  }
  const { units, rollover } = unitsFrom({ kwh, last, multiplier, digits });
  if (rollover || (last && units === null)) {
    questions.push({ code: "below_last", last });
  }
  if (units !== null && !rollover && isDecimal(average)) {
    const avg = decimal(average);
    const u = decimal(units);
    const scale = Math.max(avg.scale, u.scale);
    if (avg.n > 0n && rescale(u, scale) > FAR_ABOVE_AVERAGE * rescale(avg, scale)) {
      questions.push({ code: "far_above_average", units, average });
    }
  }
  return questions;
}

// Money typed by the reader ("500", "500.5") as the API's text ("500.00"), or null if it is not money.
export function moneyText(value) {
  const s = String(value ?? "").trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ""] = s.split(".");
  const text = `${BigInt(whole)}.${frac.padEnd(2, "0")}`;
  return text === "0.00" ? null : text;
}

export function receiptNumber(prefix, next) {
  return `${prefix}${String(next).padStart(4, "0")}`;
}

export function uuid() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function batches(items, size = SYNC_BATCH) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Stops matching what the reader typed: name, account, meter serial, address or village.
export function matchStop(stop, query) {
  const q = String(query || "").trim().toLowerCase();
  if (!q) return true;
  return [stop.name, stop.account_number, stop.meter?.serial, stop.address, stop.village, String(stop.seq)]
    .filter(Boolean)
    .some((v) => String(v).toLowerCase().includes(q));
}

// The input of the device bill for a stop: the book's bill_input and tariffs with this reading.
export function billInput({ stop, tariffs, units, kvah = null, md = null }) {
  const input = { ...stop.bill_input, tariffs, units };
  if (kvah !== null && kvah !== "") input.kvah = kvah;
  if (md !== null && md !== "") input.md_kva = md;
  return input;
}

// What a reader can find at the door: the code shown, the reading status the server records, and for
// the findings the server has no status of its own for, the words put before the reader's note.
export const FINDINGS = Object.freeze([
  { code: "OK", status: "OK" },
  { code: "NA", status: "NA" },
  { code: "IDF", status: "IDF" },
  { code: "BURNT", status: "IDF", note: "Meter burnt" },
  { code: "DISPLAY_OFF", status: "IDF", note: "Display off" },
  { code: "NM", status: "NM" },
  { code: "NR", status: "NR" },
]);

export function findingStatus(code) {
  const found = FINDINGS.find((f) => f.code === code);
  if (!found) throw new Error(`unknown finding ${code}`);
  return found.status;
}

export function findingNote(code, note) {
  const found = FINDINGS.find((f) => f.code === code);
  if (!found || !found.note) return note;
  return note ? `${found.note}: ${note}` : found.note;
}

// The tariff versions a device bill was priced on: the category's versions in force at some day of the
// bill's period (ISO dates compare as strings), "label (from)" each. Sent with the reading and kept
// with the synced item, beside the engine version.
export function tariffVersionsUsed({ stop, tariffs }) {
  const input = stop.bill_input || {};
  const start = input.period_start || "";
  const end = input.period_end || start;
  return (tariffs || [])
    .filter((v) => v.category === input.category && v.effective_from <= end && (!v.effective_to || v.effective_to >= start))
    .map((v) => `${v.label} (${v.effective_from})`);
}

// An outbox item's result counts as done when the server has it (now or from an earlier try).
export function isSettled(state) {
  return state === "accepted" || state === "duplicate" || state === "conflict" || state === "rejected";
}
