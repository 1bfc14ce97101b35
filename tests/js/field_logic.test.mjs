// The field app's pure rules (urja/field/static/field/logic.js): node --test tests/js/
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  batches,
  billInput,
  findingNote,
  findingStatus,
  matchStop,
  moneyText,
  readingQuestions,
  receiptNumber,
  tariffVersionsUsed,
  unitsFrom,
} from "../../urja/field/static/field/logic.js";

test("units are the difference times the multiplying factor, exactly", () => {
  assert.deepEqual(unitsFrom({ kwh: "12456", last: "12345" }), { units: "111", rollover: false });
  assert.equal(unitsFrom({ kwh: "1012.5", last: "1000", multiplier: "40" }).units, "500");
  assert.equal(unitsFrom({ kwh: "100.1", last: "100", multiplier: "0.5" }).units, "0.05");
});

test("a reading below the last one rolls over the register's digits, or cannot be billed", () => {
  assert.deepEqual(unitsFrom({ kwh: "00020", last: "99990", digits: 5 }), { units: "30", rollover: true });
  assert.deepEqual(unitsFrom({ kwh: "20", last: "99990" }), { units: null, rollover: true });
});

test("implausible readings are questioned", () => {
  const base = { last: "12345", average: "100", multiplier: "1", digits: 5 };
  assert.deepEqual(readingQuestions({ ...base, kwh: "12445" }), []);
  assert.deepEqual(readingQuestions({ ...base, kwh: "12300" }).map((q) => q.code), ["below_last"]);
  assert.deepEqual(readingQuestions({ ...base, kwh: "12700" }).map((q) => q.code), ["far_above_average"]);
  assert.deepEqual(readingQuestions({ ...base, kwh: "12645" }), []); // exactly 3 x average
  assert.deepEqual(readingQuestions({ ...base, kwh: "abc" }).map((q) => q.code), ["not_a_number"]);
  assert.deepEqual(readingQuestions({ ...base, kwh: "123456" }).map((q) => q.code).includes("too_many_digits"), true);
});

test("money is typed as text and sent with two decimals", () => {
  assert.equal(moneyText("500"), "500.00");
  assert.equal(moneyText("500.5"), "500.50");
  assert.equal(moneyText("0"), null);
  assert.equal(moneyText("5.555"), null);
  assert.equal(moneyText("-5"), null);
});

test("receipt numbers, batches, search and bill input", () => {
  assert.equal(receiptNumber("SC-DC1-7-", 12), "SC-DC1-7-0012");
  assert.deepEqual(batches([...Array(120).keys()]).map((b) => b.length), [50, 50, 20]);
  const stop = { name: "Ram Prasad", account_number: "1234567890", seq: 3, bill_input: { category: "X" } };
  assert.ok(matchStop(stop, "ram"));
  assert.ok(matchStop(stop, "4567"));
  assert.ok(!matchStop(stop, "shyam"));
  assert.deepEqual(billInput({ stop, tariffs: [1], units: "10", md: "4" }), {
    category: "X", tariffs: [1], units: "10", md_kva: "4",
  });
});

test("every English string of the field app has a Hindi one, with the same placeholders", async () => {
  const { STRINGS } = await import("../../urja/field/static/field/i18n.js");
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(STRINGS.hi).sort(), Object.keys(STRINGS.en).sort());
  for (const [key, text] of Object.entries(STRINGS.en)) {
    assert.deepEqual(holes(STRINGS.hi[key]), holes(text), key);
    if (key !== "switch_language" && /[a-z]{4}/.test(text)) assert.match(STRINGS.hi[key], /[\u0900-\u097F]/, key);
  }
});

test("the tariff versions a bill was priced on are the category's in force in the period", () => {
  const stop = { bill_input: { category: "LMV1-URBAN", period_start: "2026-03-01", period_end: "2026-04-30" } };
  const tariffs = [
    { category: "LMV1-URBAN", label: "FY 2025-26", effective_from: "2025-04-01", effective_to: "2026-03-31" },
    { category: "LMV1-URBAN", label: "FY 2026-27", effective_from: "2026-04-01", effective_to: null },
    { category: "LMV1-URBAN", label: "FY 2024-25", effective_from: "2024-04-01", effective_to: "2025-03-31" },
    { category: "LMV2-URBAN", label: "FY 2026-27", effective_from: "2026-04-01", effective_to: null },
  ];
  assert.deepEqual(tariffVersionsUsed({ stop, tariffs }), ["FY 2025-26 (2025-04-01)", "FY 2026-27 (2026-04-01)"]);
  assert.deepEqual(tariffVersionsUsed({ stop: {}, tariffs }), []);
});

test("a burnt meter or a dead display is sent as IDF with the finding named in the note", () => {
  assert.equal(findingStatus("OK"), "OK");
  assert.equal(findingStatus("BURNT"), "IDF");
  assert.equal(findingStatus("DISPLAY_OFF"), "IDF");
  assert.equal(findingNote("BURNT", ""), "Meter burnt");
  assert.equal(findingNote("DISPLAY_OFF", "glass broken"), "Display off: glass broken");
  assert.equal(findingNote("NA", "gate shut"), "gate shut");
  assert.throws(() => findingStatus("ADF"));
});
