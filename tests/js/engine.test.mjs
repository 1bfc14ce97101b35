// The field app's bill engine (urja/field/static/field/engine.js) against the golden vectors,
// tests/vectors/bills.json: every LT vector (the categories billed on the spot) must give exactly the
// Python engine's bill. Run with `node --test tests/js/` (make test-js); docs/field-engine.md.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";

import { BillError, ENGINE_VERSION, computeBill, exactForTests as x } from "../../urja/field/static/field/engine.js";

const VECTORS = new URL("../vectors/bills.json", import.meta.url);
const CASES = JSON.parse(readFileSync(VECTORS, "utf8"));

// Vectors the JS engine cannot match yet, by name, each with its reason. Keep it empty: a vector here is
// a bill the device would get wrong. It is printed on every run.
const SKIPPED = new Map([]);

const isHv = (c) => c.input.category.startsWith("HV");
const LT_CASES = CASES.filter((c) => !isHv(c));
const HV_CASES = CASES.filter(isHv);

// The keys of Python's BillResult.to_dict(), in its order; a vector's "expected" names some of them.
const RESULT_KEYS = [
  "category", "basis", "billed_unit", "billed_quantity", "months", "lines",
  "energy_charge", "fixed_charge", "min_charge_topup", "true_up", "electricity_duty", "fppas", "rebate",
  "subsidy", "penalty", "lpsc", "arrears", "total", "round_off", "payable",
  "demand_charge", "excess_demand", "tod", "power_factor_adjustment", "demand_rebates",
  "notes", "export_units", "banked_units", "solar_credit", "late_rebate", "import_units",
];

let ltRan = 0;

/** The whole expected object against the same keys of the result (as urja/domain/tests/test_vectors.py). */
function checkCase(c) {
  if (c.error !== undefined) {
    const { code, message } = typeof c.error === "string" ? { code: c.error } : c.error;
    assert.throws(() => computeBill(c.input), (error) => {
      assert.ok(error instanceof BillError, `expected a BillError, got ${error}`);
      assert.equal(error.code, code);
      if (message !== undefined) assert.equal(error.message, message);
      return true;
    });
    return;
  }
  const result = computeBill(c.input);
  assert.deepEqual(Object.keys(result), RESULT_KEYS);
  const projected = Object.fromEntries(Object.keys(c.expected).map((key) => [key, result[key]]));
  assert.deepEqual(projected, c.expected);
}

describe(`LT golden vectors (engine ${ENGINE_VERSION})`, () => {
  for (const c of LT_CASES) {
    const reason = SKIPPED.get(c.name);
    test(c.name, { skip: reason ? `SKIPPED: ${reason}` : false }, () => {
      ltRan += 1;
      checkCase(c);
    });
  }
});

describe("HV golden vectors (not billed on the spot, checked all the same)", () => {
  for (const c of HV_CASES) test(c.name, () => checkCase(c));
});

test("every LT vector ran", () => {
  const hvByPattern = CASES.filter((c) => /^HV\d/.test(c.input.category)).length;
  assert.equal(LT_CASES.length, CASES.length - hvByPattern, "the LT filter lost vectors");
  assert.ok(LT_CASES.length > 0, "no LT vectors found");
  console.log(
    `engine.js ${ENGINE_VERSION}: ${ltRan} of ${LT_CASES.length} LT vectors ran, ${SKIPPED.size} skipped` +
      `${SKIPPED.size ? ` (${[...SKIPPED.keys()].join(", ")})` : ""}; ${HV_CASES.length} HV vectors too`,
  );
  assert.equal(ltRan + SKIPPED.size, LT_CASES.length);
  assert.ok(ltRan >= LT_CASES.length - SKIPPED.size && ltRan > 0);
  const categories = new Set(LT_CASES.map((c) => c.input.category));
  for (const code of ["LMV1-LIFELINE", "LMV1-URBAN", "LMV2-URBAN", "LMV5-RURAL", "LMV6", "LMV11"]) {
    assert.ok(categories.has(code), `no vector for ${code}`);
  }
});

after(() => {
  if (SKIPPED.size) console.log(`SKIP LIST (vectors the JS engine does not match): ${[...SKIPPED].map(([n, r]) => `${n}: ${r}`).join("; ")}`);
});

describe("rounding as in urja/domain/money.py", () => {
  test("a line rounds to the paisa half up, a tie away from zero", () => {
    assert.equal(x.plain(x.roundPaisa(x.exact("2.345"))), "2.35");
    assert.equal(x.plain(x.roundPaisa(x.exact("-2.345"))), "-2.35");
    assert.equal(x.plain(x.roundPaisa(x.exact("2.3449"))), "2.34");
    assert.equal(x.plain(x.roundPaisa(x.exact("7"))), "7.00");
  });

  test("round_ratio rounds an exact quotient once", () => {
    assert.equal(x.plain(x.roundRatio(1n, 3n)), "0.33");
    assert.equal(x.plain(x.roundRatio(2n, 3n)), "0.67");
    assert.equal(x.plain(x.roundRatio(-1n, 8n)), "-0.13"); // -0.125: the tie goes away from zero
    assert.equal(x.plain(x.roundRatio(1n, -8n)), "-0.13");
    assert.equal(x.plain(x.roundRatio(-1n, 1000n)), "0.00"); // Decimal(-0) is +0 on this path
  });

  test("the payable rounds to the rupee half up, two decimals kept", () => {
    assert.equal(x.plain(x.roundPayable(x.exact("1727.25"))), "1727.00");
    assert.equal(x.plain(x.roundPayable(x.exact("1727.50"))), "1728.00");
    assert.equal(x.plain(x.roundPayable(x.exact("-10.50"))), "-11.00");
    assert.equal(x.plain(x.roundPayable(x.exact("-0.30"))), "-0.00"); // as Decimal.quantize gives it
  });

  test("a charge over part of a month is rounded once, not per step", () => {
    // 110/kW x 2 kW x 15/31 month = 106.4516... -> 106.45
    assert.equal(x.plain(x.periodCharge(x.exact("110"), x.exact("2"), x.frac(15, 31))), "106.45");
    // 5% of 1645.00 = 82.25; 1.25% of 1000.01 = 12.500125 -> 12.50
    assert.equal(x.plain(x.percentOf(x.exact("1645.00"), x.exact("5"))), "82.25");
    assert.equal(x.plain(x.percentOf(x.exact("1000.01"), x.exact("1.25"))), "12.50");
  });

  test("a zero keeps the sign Python's Decimal gives it", () => {
    assert.equal(x.formatMoney(x.neg(x.exact("0.00"))), "0.00"); // -Decimal("0.00") is +0
    assert.equal(x.formatMoney(x.exact("-0.001")), "-0.00"); // quantize keeps the sign
    assert.equal(x.formatMoney(x.add(x.exact("0.00"), x.exact("-0.00"))), "0.00");
    assert.equal(x.formatMoney(x.sub(x.exact("-0.00"), x.exact("0.00"))), "-0.00");
  });

  test("numbers and rates are written as the Python engine writes them", () => {
    assert.equal(x.formatNumber(x.exact("150.00")), "150");
    assert.equal(x.formatNumber(x.exact("147.50")), "147.5");
    assert.equal(x.formatRate(x.exact("5.5")), "5.50");
    assert.equal(x.formatRate(x.exact("7.875")), "7.875");
    assert.equal(x.pyStr(x.exact("0.90")), "0.90");
    assert.equal(x.pyStr(x.exact("१२५")), "125"); // Devanagari digits read as Python's Decimal reads them
  });

  test("period factors, apportioned units and billable loads follow urja/domain/rules.py", () => {
    assert.equal(x.periodMonths("2025-04-01", "2025-04-30"), "1");
    assert.equal(x.periodMonths("2025-04-16", "2025-05-15"), "1");
    assert.equal(x.periodMonths("2025-04-16", "2025-04-30"), "1/2");
    assert.equal(x.periodMonths("2025-04-01", "2025-04-15"), "15/31");
    assert.equal(x.periodMonths("2025-01-01", "2025-02-28"), "2");
    assert.deepEqual(x.apportion("100", [15, 16]), ["48", "52"]);
    assert.equal(x.billableLoad("2.5", "kW", "kW"), "3");
    assert.equal(x.billableLoad("10", "kW", "kVA"), "11.11");
    assert.equal(x.billableLoad("7.5", "BHP", "BHP"), "7.5");
  });

  test("a float is refused for an exact amount", () => {
    assert.throws(() => x.exact(2.5), BillError);
    assert.equal(x.plain(x.exact(3)), "3");
  });
});
