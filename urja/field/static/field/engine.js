// Urja's bill engine in JavaScript, for the offline field app (issue 11; docs/field-engine.md).
//
// A line-for-line mirror of the Python engine, urja/domain/engine.py, and of the modules it uses
// (money.py, rules.py, tariff.py, load_limits.py, demand.py, solar.py). The device's bill must equal
// the server's, so every charge head is one function here named after the Python function it mirrors,
// and every rounding is the Python one: money and quantities are exact decimals (BigInt digits and a
// scale, like Python's Decimal), period factors exact fractions (like Python's Fraction), and nothing
// is ever a float. The golden vectors, tests/vectors/bills.json, prove the two engines agree
// (tests/js/engine.test.mjs; urja/field/tests/test_engine_js.py compares whole results with Python's).
//
// ANY CHANGE TO THE PYTHON ENGINE MUST CHANGE THIS FILE AND THE VECTORS IN THE SAME COMMIT, and bump
// ENGINE_VERSION.
//
// A plain ES module: no build step, no dependencies; runs in Chromium (93 or newer: BigInt, Object.hasOwn)
// and in node 20.
//
//   import { computeBill, BillError, ENGINE_VERSION } from "./engine.js";
//   const bill = computeBill(input);   // input: a vector's "input" object (tariffs, category, units…)
//   bill.payable                       // "1727.00"; bill.lines: [{head, description, amount}, …]
//
// computeBill returns what Python's BillResult.to_dict() returns, except that each line carries only
// head, description and amount (the English description is the line's words; Python's params,
// quantity, rate and unit are for rendering in other languages on the server).

export const ENGINE_VERSION = "urja-js-1";

// --- errors ---------------------------------------------------------------------------------------

/** A bill that cannot be computed. ``message`` is the Python engine's English text for the same input
 * (its ValueError), ``code`` one of: invalid_input (the bill's particulars), invalid_tariff (a tariff
 * version of the book), unknown_category, no_tariff_in_force, load_outside_limits. */
export class BillError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "BillError";
    this.code = code;
  }
}

const fail = (message, code = "invalid_input") => {
  throw new BillError(code, message);
};

// --- exact decimals (Python's decimal.Decimal, as money.py uses it) --------------------------------
//
// A decimal is {n, s, z}: the value n / 10**s (n a BigInt, s >= 0 the number of decimals Python keeps,
// so str() prints as Python prints) and z, true for Python's negative zero: Decimal.quantize keeps the
// sign of a negative value that rounds to zero (a total of -0.30 has a payable of "-0.00").

const pow10 = (k) => 10n ** BigInt(k);
const dec = (n, s = 0, z = false) => ({ n: BigInt(n), s, z: z && BigInt(n) === 0n });
const ZERO = dec(0, 2); // engine.ZERO = Decimal("0.00")
const D0 = dec(0); // Decimal(0)
const D1 = dec(1);
const HUNDRED = dec(100);

const isNeg = (a) => a.n < 0n || (a.n === 0n && a.z);
const isZero = (a) => a.n === 0n;

function align(a, b) {
  const s = Math.max(a.s, b.s);
  return [a.n * pow10(s - a.s), b.n * pow10(s - b.s), s];
}

function add(a, b) {
  const [x, y, s] = align(a, b);
  // Python: -0 + -0 is -0; any other sum that is zero is +0.
  return dec(x + y, s, x === 0n && y === 0n && a.z && b.z);
}

/** Unary minus: Python's -Decimal("0.00") is +0, never a negative zero. */
function neg(a) {
  return dec(-a.n, a.s);
}

/** a - b: a + (-b) with the sign of a zero b flipped, as Decimal subtracts (-0.00 - 0.00 is -0.00). */
const sub = (a, b) => add(a, dec(-b.n, b.s, b.n === 0n && !b.z));

function mul(a, b) {
  return dec(a.n * b.n, a.s + b.s, isNeg(a) !== isNeg(b));
}

function cmp(a, b) {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const lt = (a, b) => cmp(a, b) < 0;
const le = (a, b) => cmp(a, b) <= 0;
const gt = (a, b) => cmp(a, b) > 0;
const ge = (a, b) => cmp(a, b) >= 0;
const eq = (a, b) => cmp(a, b) === 0;
const dmax = (a, b) => (lt(a, b) ? b : a); // Python's max(a, b): the first of equals
const dmin = (a, b) => (gt(a, b) ? b : a);
const dabs = (a) => (isNeg(a) ? neg(a) : a);
const sum = (values, start) => values.reduce(add, start);

/** Decimal.quantize(Decimal(1).scaleb(-places), rounding=mode): mode "half_up" or "ceiling". */
function quantize(a, places, mode = "half_up") {
  if (a.s <= places) return dec(a.n * pow10(places - a.s), places, a.z);
  const divisor = pow10(a.s - places);
  const magnitude = a.n < 0n ? -a.n : a.n;
  let q = magnitude / divisor;
  const r = magnitude % divisor;
  if (r !== 0n && ((mode === "half_up" && 2n * r >= divisor) || (mode === "ceiling" && a.n > 0n))) q += 1n;
  return dec(a.n < 0n ? -q : q, places, isNeg(a));
}

/** money.round_ratio: the exact quotient rounded to ``places`` decimals, half up (away from zero). */
function roundRatio(numerator, denominator, places = 2, mode = "half_up") {
  if (denominator < 0n) [numerator, denominator] = [-numerator, -denominator];
  const magnitude = (numerator < 0n ? -numerator : numerator) * pow10(places);
  let q = magnitude / denominator;
  const r = magnitude % denominator;
  if (r !== 0n && (mode === "up" || (mode === "half_up" && 2n * r >= denominator))) q += 1n;
  return dec(numerator < 0n ? -q : q, places); // Decimal(-0) is +0: no negative zero here
}

/** money.round_paisa for a Decimal (quantize; keeps a negative zero) ... */
const roundPaisa = (a) => quantize(a, 2);
/** ... and for a Fraction (round_ratio). */
const roundPaisaFraction = (f) => roundRatio(f.n, f.d, 2);
/** money.round_payable: to the rupee, half up, two decimals kept. */
const roundPayable = (a) => quantize(quantize(a, 0), 2);

function digitsOf(a) {
  const magnitude = (a.n < 0n ? -a.n : a.n).toString().padStart(a.s + 1, "0");
  const sign = isNeg(a) ? "-" : "";
  return [sign, magnitude.slice(0, magnitude.length - a.s), magnitude.slice(magnitude.length - a.s)];
}

/** f"{value:f}": plain notation. */
function plain(a) {
  const [sign, whole, fraction] = digitsOf(a);
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/** str(Decimal): plain notation, scientific for very small values as Python writes them. */
function pyStr(a) {
  const digits = (a.n < 0n ? -a.n : a.n).toString();
  const adjusted = digits.length - 1 - a.s;
  if (a.s > 0 && adjusted < -6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${isNeg(a) ? "-" : ""}${mantissa}E${adjusted}`;
  }
  return plain(a);
}

/** money.format_number: without trailing zeros or exponent (150, 147.5, 1.24). */
function formatNumber(a) {
  const [sign, whole, fraction] = digitsOf(a);
  const kept = fraction.replace(/0+$/, "");
  if (isZero(a)) return `${sign}0`;
  return kept ? `${sign}${whole}.${kept}` : `${sign}${whole}`;
}

/** money.format_money: two decimals, no grouping. */
const formatMoney = (a) => plain(roundPaisa(a));

/** money.format_rate: at least two decimals (5.50, 7.875, 156.8365). */
function formatRate(rate) {
  const paise = quantize(rate, 2);
  return eq(rate, paise) ? plain(paise) : formatNumber(rate);
}

// Every Unicode decimal digit reads as its ASCII digit, as Python's Decimal() reads it (inputs.py).
const UNICODE_DIGIT = /\p{Nd}/gu;
const ND = /^\p{Nd}$/u;
function asciiDigits(text) {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return text.replace(UNICODE_DIGIT, (digit) => {
    let start = digit.codePointAt(0);
    while (ND.test(String.fromCodePoint(start - 1))) start -= 1; // the run's zero: runs are 0-9 in order
    return String((digit.codePointAt(0) - start) % 10);
  });
}

const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** money.exact: a Decimal from data (a string or an integer; a float is refused, it is not exact). */
function exact(value) {
  if (typeof value === "boolean") return dec(value ? 1 : 0);
  if (typeof value === "bigint") return dec(value);
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return dec(value);
    fail(`use a string, not the float ${value}, for an exact amount`);
  }
  if (typeof value !== "string") fail(`cannot read ${JSON.stringify(value)} as an exact number`);
  const match = DECIMAL_TEXT.exec(asciiDigits(value).replaceAll("_", ""));
  if (!match || (!match[2] && !match[3])) fail(`[<class 'decimal.ConversionSyntax'>] ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  let scale = fraction.length - Number(exponent);
  let digits = BigInt(`${whole}${fraction}` || "0");
  if (scale < 0) {
    digits *= pow10(-scale); // kept as a whole number (Python would print 1E+3; no tariff is written so)
    scale = 0;
  }
  return dec(sign === "-" ? -digits : digits, scale, sign === "-");
}

const exactOrNone = (value) => (value === null || value === undefined ? null : exact(value));

// --- exact fractions (Python's fractions.Fraction: period factors such as 15/31) -------------------

function gcd(a, b) {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

function frac(n, d = 1n) {
  n = BigInt(n);
  d = BigInt(d);
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

const fracOf = (a) => frac(a.n, pow10(a.s)); // Fraction(Decimal)
const fmul = (a, b) => frac(a.n * b.n, a.d * b.d);
const fdiv = (a, b) => frac(a.n * b.d, a.d * b.n);
const fadd = (a, b) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
const fcmp = (a, b) => {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x < y ? -1 : x > y ? 1 : 0;
};
const FRACTION_ONE = frac(1);
/** str(Fraction): "1", "15/31". */
const fracStr = (f) => (f.d === 1n ? `${f.n}` : `${f.n}/${f.d}`);
/** A Fraction rounded by money.RoundingRule.apply (round_ratio). */
const roundFraction = (f, places, mode = "half_up") => roundRatio(f.n, f.d, places, mode);
/** The exact quotient a / b of decimals as a Fraction (Decimal division that is then quantized). */
const quotient = (a, b) => fdiv(fracOf(a), fracOf(b));
function ceilFraction(f) {
  const q = f.n / f.d; // BigInt division truncates toward zero
  return f.n > 0n && q * f.d !== f.n ? q + 1n : q;
}

// --- dates (Python's datetime.date as day numbers) --------------------------------------------------

function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function civilFromDays(z) {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const monthLength = (y, m) => [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/** date.fromisoformat for YYYY-MM-DD: the day number. */
function isoDate(text) {
  const match = typeof text === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!match) fail(`Invalid isoformat string: ${pyRepr(text)}`);
  const [y, m, d] = match.slice(1).map(Number);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > monthLength(y, m)) fail(`Invalid isoformat string: ${pyRepr(text)}`);
  return daysFromCivil(y, m, d);
}

function isoFormat(day) {
  const [y, m, d] = civilFromDays(day);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** rules.add_months: the same day of month ``months`` later, clamped to the month's last day. */
function addMonths(day, months) {
  const [y, m, d] = civilFromDays(day);
  const total = m - 1 + months;
  const years = Math.floor(total / 12);
  const year = y + years;
  const month = total - years * 12 + 1;
  return daysFromCivil(year, month, Math.min(d, monthLength(year, month)));
}

/** rules.period_months: the length of the inclusive period in months, an exact Fraction. */
function periodMonths(start, end) {
  if (end < start) fail(`period ends (${isoFormat(end)}) before it starts (${isoFormat(start)})`);
  const stop = end + 1;
  const [sy, sm] = civilFromDays(stop);
  const [y, m] = civilFromDays(start);
  let whole = (sy - y) * 12 + sm - m;
  while (whole > 0 && addMonths(stop, -whole) < start) whole -= 1;
  const anchor = addMonths(stop, -whole);
  const preceding = addMonths(stop, -whole - 1);
  return fadd(frac(whole), frac(anchor - start, anchor - preceding));
}

/** rules.period_days */
const periodDays = (start, end) => end - start + 1;

// --- small Python helpers --------------------------------------------------------------------------

/** repr() of a str, as Python writes it (single quotes unless the text holds one). */
function pyRepr(value) {
  if (typeof value !== "string") return value === null || value === undefined ? "None" : String(value);
  if (value.includes("'") && !value.includes('"')) return `"${value}"`;
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** Python's bool(): empty strings, lists and dicts are false too. */
function truthy(value) {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}

const get = (data, key, fallback) => (Object.hasOwn(data, key) ? data[key] : fallback);

function pyInt(value, name) {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(asciiDigits(value))) return Number(asciiDigits(value));
  return fail(`invalid literal for int() with base 10: ${pyRepr(String(value))} (${name})`);
}

function choice(value, allowed, enumName) {
  if (!allowed.includes(value)) fail(`${pyRepr(value)} is not a valid ${enumName}`);
  return value;
}

const LOAD_UNITS = ["kW", "kVA", "BHP"];
const KVA_POWER_FACTOR = exact("0.90"); // tariff.KVA_POWER_FACTOR
const KW_PER_BHP = exact("0.746"); // tariff.KW_PER_BHP

// --- rules.py --------------------------------------------------------------------------------------

/** rules.scaled_limit: a monthly slab limit scaled to the period, whole units, half up. */
const scaledLimit = (limit, months) => roundFraction(fmul(fracOf(limit), months), 0);

/** rules.slab_limits */
function slabLimits(limits, months) {
  if (fcmp(months, FRACTION_ONE) === 0) return [...limits];
  return limits.map((limit) => (limit === null ? null : scaledLimit(limit, months)));
}

/** rules.split_slabs: the telescopic split of a quantity over cumulative upper limits. */
function splitSlabs(quantity, limits) {
  if (isNeg(quantity) && !isZero(quantity)) fail(`cannot split a negative quantity ${pyStr(quantity)}`);
  const parts = [];
  let lower = D0;
  let remaining = quantity;
  for (const limit of limits) {
    const width = limit === null ? remaining : dmax(dmin(sub(limit, lower), remaining), D0);
    parts.push(width);
    remaining = sub(remaining, width);
    if (limit !== null) lower = dmax(lower, limit);
  }
  if (!isZero(remaining)) fail("the last slab must be unlimited");
  return parts;
}

/** rules.apportion: ``total`` shared by days, cumulative whole-unit boundaries, the last takes the rest. */
function apportion(total, weights) {
  if (weights.length === 1) return [total];
  const whole = weights.reduce((a, b) => a + b, 0);
  const shares = [];
  let previous = D0;
  let cumulative = 0;
  for (const weight of weights.slice(0, -1)) {
    cumulative += weight;
    const boundary = dmin(roundFraction(fmul(fracOf(total), frac(cumulative, whole)), 0), total);
    shares.push(sub(boundary, previous));
    previous = boundary;
  }
  shares.push(sub(total, previous));
  return shares;
}

/** rules.convert_load: kW, kVA (kW / power factor) and BHP (kW / 0.746), rounded once to 2 decimals. */
function convertLoad(value, fromUnit, toUnit, powerFactor = KVA_POWER_FACTOR, kwPerBhp = KW_PER_BHP) {
  if (fromUnit === toUnit) return value;
  let kw = fracOf(value);
  if (fromUnit === "kVA") kw = fmul(kw, fracOf(powerFactor));
  else if (fromUnit === "BHP") kw = fmul(kw, fracOf(kwPerBhp));
  if (toUnit === "kVA") kw = fdiv(kw, fracOf(powerFactor));
  else if (toUnit === "BHP") kw = fdiv(kw, fracOf(kwPerBhp));
  return roundFraction(kw, 2);
}

/** rules.billable_load: a fractional kW/kVA load counts as the next whole unit in its own unit, then
 * is converted once; a BHP rating is not rounded up. */
function billableLoad(value, fromUnit, toUnit, powerFactor = KVA_POWER_FACTOR, kwPerBhp = KW_PER_BHP) {
  const own = fromUnit === "BHP" ? value : quantize(value, 0, "ceiling");
  if (fromUnit === toUnit) return own;
  return convertLoad(own, fromUnit, toUnit, powerFactor, kwPerBhp);
}

/** rules.period_charge: rate x quantity per month over ``months``, rounded once to the paisa. */
function periodCharge(rate, quantity, months) {
  return roundRatio(rate.n * quantity.n * months.n, pow10(rate.s) * pow10(quantity.s) * months.d);
}

/** rules.percent_of: ``percent`` % of ``share`` of ``base``, rounded once to the paisa. */
function percentOf(base, percent, share = FRACTION_ONE) {
  return roundRatio(base.n * percent.n * share.n, pow10(base.s) * pow10(percent.s) * 100n * share.d);
}

/** rules.derived_rate: rate / divisor x factor, kept to 4 decimals. */
const derivedRate = (rate, factor, divisor = D1) =>
  roundFraction(fmul(fdiv(fracOf(rate), fracOf(divisor)), fracOf(factor)), 4);

// --- tariff.py: tariff versions as data -----------------------------------------------------------

const tariffFail = (message) => fail(message, "invalid_tariff");

/** tariff.Slab.from_dict */
const slabFromDict = (data) => ({ upto: exactOrNone(data.upto), rate: exact(data.rate) });

/** tariff.LoadBand.from_dict and its checks */
function bandFromDict(data) {
  const band = {
    uptoLoad: exactOrNone(data.upto_load),
    fixedRate: exact(data.fixed_rate),
    slabs: (data.slabs ?? []).map(slabFromDict),
  };
  const { slabs } = band;
  if (slabs.length) {
    if (slabs[slabs.length - 1].upto !== null) tariffFail("the last slab must have no upper limit");
    const finite = slabs.slice(0, -1).map((s) => s.upto).filter((u) => u !== null);
    if (finite.length !== slabs.length - 1) tariffFail("only the last slab may be unlimited");
    if (finite.some((b, i) => i > 0 && le(b, finite[i - 1])) || finite.some((x) => le(x, D0))) {
      tariffFail("slab limits must be positive and increasing");
    }
  }
  return band;
}

/** demand.DemandRule.from_dict */
function demandRuleFromDict(data) {
  const rule = {
    ratePerKva: exact(data.rate_per_kva),
    minimumSharePercent: exact(get(data, "minimum_share_percent", "75")),
    excessRateMultiple: exact(get(data, "excess_rate_multiple", "2")),
  };
  if (isNeg(rule.ratePerKva) && !isZero(rule.ratePerKva)) tariffFail("the demand rate must not be negative");
  if (lt(rule.minimumSharePercent, D0) || gt(rule.minimumSharePercent, HUNDRED)) {
    tariffFail("the minimum share of contracted demand is a percentage from 0 to 100");
  }
  if (lt(rule.excessRateMultiple, D1)) tariffFail("excess demand is charged at least at the demand rate (multiple >= 1)");
  return rule;
}

/** demand.TodRule.from_dict (and TodSlot) */
function todRuleFromDict(data) {
  const slots = data.slots.map((slot) => {
    const result = {
      name: String(slot.name),
      startHour: pyInt(slot.start_hour, "start_hour"),
      endHour: pyInt(slot.end_hour, "end_hour"),
      percent: exact(slot.percent),
    };
    if (!result.name) tariffFail("a TOD slot needs a name (the meter register it is read from)");
    const { startHour: a, endHour: b } = result;
    if (!(a >= 0 && a <= 23 && b >= 0 && b <= 24) || a === b) {
      tariffFail(`TOD slot ${result.name}: hours must be 0-24 and the slot not empty`);
    }
    return result;
  });
  const names = slots.map((slot) => slot.name);
  if (!slots.length || new Set(names).size !== names.length) tariffFail("a TOD rule needs slots with distinct names");
  const total = slots.reduce((t, s) => t + ((((s.endHour - s.startHour) % 24) + 24) % 24 || 24), 0);
  if (total !== 24) tariffFail(`TOD slots must cover the 24 hours of the day once, not ${total}`);
  return { slots };
}

/** demand.PowerFactorRule.from_dict */
function powerFactorRuleFromDict(data) {
  const rule = {
    surchargeBelow: exact(get(data, "surcharge_below", "0.90")),
    surchargePercentPerStep: exact(get(data, "surcharge_percent_per_step", "1")),
    rebateAbove: exactOrNone(get(data, "rebate_above", null)),
    rebatePercentPerStep: exact(get(data, "rebate_percent_per_step", "0")),
    step: exact(get(data, "step", "0.01")),
  };
  if (le(rule.step, D0)) tariffFail("the power-factor step must be positive");
  if (rule.rebateAbove !== null && lt(rule.rebateAbove, rule.surchargeBelow)) {
    tariffFail("the rebate threshold must not be below the surcharge threshold");
  }
  return rule;
}

/** tariff.TariffVersion.from_dict and its checks */
function versionFromDict(data) {
  const sub_ = (key) => (truthy(data[key]) ? data[key] : null);
  const minimum = sub_("minimum_charge");
  const kvah = sub_("kvah");
  const lifeline = sub_("lifeline");
  const subsidy = sub_("subsidy");
  const effectiveTo = get(data, "effective_to", null);
  const version = {
    category: String(data.category),
    label: String(get(data, "label", "")),
    effectiveFrom: isoDate(data.effective_from),
    effectiveTo: effectiveTo === null ? null : isoDate(effectiveTo),
    metered: truthy(data.metered),
    loadUnit: choice(data.load_unit, LOAD_UNITS, "LoadUnit"),
    bands: data.bands.map(bandFromDict),
    dutyPercent: exact(data.duty_percent),
    minimumCharge: minimum && {
      amount: exact(minimum.amount),
      basis: choice(get(minimum, "basis", "per_load"), ["per_load", "per_connection"], "MinimumChargeBasis"),
    },
    kvah: kvah && {
      thresholdKw: exact(get(kvah, "threshold_kw", "10")),
      thresholdBhp: exact(get(kvah, "threshold_bhp", "13.4")),
      factor: exact(get(kvah, "factor", "0.90")),
      kwPerBhp: exact(get(kvah, "kw_per_bhp", "0.746")),
    },
    lifeline: lifeline && {
      maxLoadKw: exact(lifeline.max_load_kw),
      maxUnitsPerMonth: exact(lifeline.max_units_per_month),
      fallbackCategory: String(lifeline.fallback_category),
    },
    prepaidRebatePercent: exact(get(data, "prepaid_rebate_percent", "0")),
    subsidy: subsidy && {
      percent: exact(subsidy.percent),
      payer: String(get(subsidy, "payer", "Government of Uttar Pradesh")),
      meteredOnly: truthy(get(subsidy, "metered_only", true)),
      requiresNoArrears: truthy(get(subsidy, "requires_no_arrears", true)),
    },
    naPenaltyPerKw: exact(get(data, "na_penalty_per_kw", "0")),
    dutyOnFppas: truthy(get(data, "duty_on_fppas", true)),
    demand: truthy(data.demand) ? demandRuleFromDict(data.demand) : null,
    tod: truthy(data.tod) ? todRuleFromDict(data.tod) : null,
    powerFactor: truthy(data.power_factor) ? powerFactorRuleFromDict(data.power_factor) : null,
    voltageRebates: (data.voltage_rebates || []).map((row) => ({ minKv: exact(row.min_kv), percent: exact(row.percent) })),
    loadFactorRebate: truthy(data.load_factor_rebate)
      ? { abovePercent: exact(data.load_factor_rebate.above_percent), percent: exact(data.load_factor_rebate.percent) }
      : null,
    minLoad: exactOrNone(data.min_load),
    maxLoad: exactOrNone(data.max_load),
  };
  const { category } = version;
  if (version.loadUnit === "kVA") tariffFail("a tariff charges per kW or per BHP; per kVA follows from its kVAh rule");
  if (!version.bands.length) tariffFail(`${category}: a tariff needs at least one load band`);
  if (version.bands[version.bands.length - 1].uptoLoad !== null) tariffFail(`${category}: the last load band must have no upper limit`);
  for (const band of version.bands) {
    if (version.metered && !band.slabs.length) tariffFail(`${category}: a metered tariff needs energy slabs`);
    if (!version.metered && band.slabs.length) tariffFail(`${category}: an unmetered tariff has no energy slabs`);
  }
  if (version.effectiveTo !== null && version.effectiveTo < version.effectiveFrom) tariffFail(`${category}: effective_to is before effective_from`);
  if (version.minLoad !== null && version.maxLoad !== null && lt(version.maxLoad, version.minLoad)) {
    tariffFail(`${category}: max_load is below min_load`);
  }
  return version;
}

/** TariffVersion.in_force_on */
const inForceOn = (version, day) => version.effectiveFrom <= day && (version.effectiveTo === null || day <= version.effectiveTo);

/** TariffVersion.band_for */
const bandFor = (version, load) => version.bands.find((band) => band.uptoLoad === null || le(load, band.uptoLoad));

/** tariff.versions_of */
const versionsOf = (tariffs, category) => tariffs.filter((version) => version.category === category);

/** tariff.version_in_force: of the versions covering ``day``, the latest effective_from. */
function versionInForce(tariffs, category, day) {
  let best = null;
  for (const version of versionsOf(tariffs, category)) {
    if (inForceOn(version, day) && (best === null || version.effectiveFrom > best.effectiveFrom)) best = version;
  }
  if (best === null) {
    const known = [...new Set(tariffs.map((v) => v.category))].sort();
    if (!known.includes(category)) fail(`unknown tariff category ${pyRepr(category)}; known: ${known.join(", ")}`, "unknown_category");
    fail(`no ${category} tariff is in force on ${isoFormat(day)}`, "no_tariff_in_force");
  }
  return best;
}

// --- load_limits.py --------------------------------------------------------------------------------

/** load_limits.limits_text */
function limitsText(minLoad, maxLoad, unit) {
  if (minLoad === null && maxLoad === null) return "no limits";
  if (minLoad === null) return `up to ${formatNumber(maxLoad)} ${unit}`;
  if (maxLoad === null) return `from ${formatNumber(minLoad)} ${unit}`;
  return `${formatNumber(minLoad)} to ${formatNumber(maxLoad)} ${unit}`;
}

/** load_limits.check_load: the load against every version of the category in force in the period. */
function checkLoad(tariffs, category, load, unit, start, end) {
  for (const version of versionsOf(tariffs, category)) {
    if (version.effectiveFrom > end) continue;
    if (version.effectiveTo !== null && version.effectiveTo < start) continue;
    if (version.minLoad === null && version.maxLoad === null) continue;
    const tariffLoad = convertLoad(load, unit, version.loadUnit);
    const below = version.minLoad !== null && lt(tariffLoad, version.minLoad);
    const above = version.maxLoad !== null && gt(tariffLoad, version.maxLoad);
    if (below || above) {
      fail(
        `a load of ${formatNumber(load)} ${unit} is outside the ${version.category} limits ` +
          `(${limitsText(version.minLoad, version.maxLoad, version.loadUnit)})`,
        "load_outside_limits",
      );
    }
  }
}

// --- engine.BillInput.from_dict --------------------------------------------------------------------

const BASES = ["MU", "UM", "MIN", "PROV", "ASS"];

/** engine.BillInput.from_dict: the bill's particulars, read as the Python engine reads them. */
function billFromDict(data) {
  if (data === null || typeof data !== "object") fail("the bill input must be an object");
  // The vectors' names are the engine's; a device that sends other names would silently bill on kWh
  // or without the maximum demand, so those are refused (docs/field-engine.md).
  for (const [wrong, right] of [["kvah_units", "kvah"], ["max_demand", "md_kva"]]) {
    if (Object.hasOwn(data, wrong)) fail(`unknown field ${wrong}: the engine reads ${right}`);
  }
  const rawFppas = get(data, "fppas", "0");
  if (!(typeof rawFppas === "string" || Number.isSafeInteger(rawFppas) || typeof rawFppas === "boolean")) {
    fail("FPPAS is one percentage, that of the bill month, not one per consumption month");
  }
  const units = get(data, "units", null);
  const kvah = get(data, "kvah", null);
  const metered = get(data, "metered", null);
  const md = get(data, "md_kva", null);
  const kv = get(data, "supply_kv", null);
  const pf = get(data, "power_factor", null);
  return {
    tariffs: data.tariffs.map(versionFromDict),
    category: String(data.category),
    sanctionedLoad: exact(data.sanctioned_load),
    loadUnit: choice(data.load_unit, LOAD_UNITS, "LoadUnit"),
    periodStart: isoDate(data.period_start),
    periodEnd: isoDate(data.period_end),
    units: units === null ? null : exact(units),
    kvah: kvah === null ? null : exact(kvah),
    basis: choice(get(data, "basis", "MU"), BASES, "BillBasis"),
    metered: metered === null ? null : truthy(metered),
    phase: pyInt(get(data, "phase", 1), "phase"),
    naPenalty: truthy(get(data, "na_penalty", false)),
    fppas: exact(rawFppas),
    arrears: exact(get(data, "arrears", "0")),
    hasArrears: truthy(get(data, "has_arrears", false)),
    prepaid: truthy(get(data, "prepaid", false)),
    trueUpUnits: exact(get(data, "true_up_units", "0")),
    lpsc: exact(get(data, "lpsc", "0")),
    fallbackCategory: get(data, "fallback_category", null),
    trueUpPeriods: get(data, "true_up_periods", []).map((p) => ({
      start: isoDate(p.start),
      end: isoDate(p.end),
      billedUnits: exact(p.billed_units),
      actualUnits: exact(p.actual_units),
    })),
    fppasMonth: get(data, "fppas_month", null),
    mdKva: md === null ? null : exact(md),
    todRegisters: (get(data, "tod_registers", null) || []).map(([name, quantity]) => [String(name), exact(quantity)]),
    supplyKv: kv === null ? null : exact(kv),
    powerFactor: pf === null ? null : exact(pf),
    solarScheme: choice(get(data, "solar_scheme", ""), ["", "net", "gross"], "SolarScheme"),
    exportUnits: exactOrNone(get(data, "export_units", null)),
    bankedUnits: exact(get(data, "banked_units", "0")),
    feedInRate: exact(get(data, "feed_in_rate", "0")),
    lateRebatePercent: exact(get(data, "late_rebate_percent", "0")),
    daysLate: pyInt(get(data, "days_late", 0), "days_late"),
    dutyExemptPercent: exact(get(data, "duty_exempt_percent", "0")),
    dutyExemptionOrder: String(get(data, "duty_exemption_order", "")),
    changes: get(data, "changes", []).map((c) => ({
      effectiveFrom: isoDate(c.effective_from),
      category: String(c.category),
      sanctionedLoad: exact(c.sanctioned_load),
      loadUnit: choice(c.load_unit, LOAD_UNITS, "LoadUnit"),
    })),
    supplyOff: truthy(get(data, "supply_off", false)),
  };
}

// --- demand.py: demand, time-of-day, power factor and rebates --------------------------------------

/** demand._months_text and engine._months_text */
const monthsText = (months) => (fcmp(months, FRACTION_ONE) <= 0 ? `${fracStr(months)} month` : `${fracStr(months)} months`);

/** demand._monthly: rate x quantity x months, rounded once. */
const monthly = (rate, quantity, months) => roundPaisaFraction(fmul(fmul(fracOf(rate), fracOf(quantity)), months));

/** demand._percent: percent % of share of base, rounded once. */
const percentShare = (base, percent, share = FRACTION_ONE) =>
  roundPaisaFraction(fmul(fdiv(fmul(fracOf(base), fracOf(percent)), frac(100)), share));

/** demand.billable_demand: the higher of the recorded MD and the rule's share of the contracted demand. */
function billableDemand(rule, contractedKva, mdKva) {
  if (mdKva === null) return contractedKva;
  const floor = roundFraction(fdiv(fracOf(mul(contractedKva, rule.minimumSharePercent)), frac(100)), 2);
  return dmax(mdKva, floor);
}

/** demand.demand_charges: the demand charge and, above the contracted demand, the excess line. */
function demandCharges(rule, contractedKva, mdKva, months, suffix) {
  const billed = billableDemand(rule, contractedKva, mdKva);
  let basis;
  if (mdKva === null) basis = `no MD recorded, contracted demand ${formatNumber(contractedKva)} kVA`;
  else if (gt(billed, mdKva)) {
    basis =
      `${formatNumber(rule.minimumSharePercent)}% of contracted ${formatNumber(contractedKva)} kVA, ` +
      `above recorded MD ${formatNumber(mdKva)} kVA`;
  } else basis = `recorded MD, contracted ${formatNumber(contractedKva)} kVA`;
  const rate = rule.ratePerKva;
  const charges = [
    line(
      "demand",
      `Demand charge: ${formatNumber(billed)} kVA (${basis}) @ Rs ${formatRate(rate)}/kVA/month x ` +
        `${monthsText(months)}${suffix}`,
      monthly(rate, billed, months),
    ),
  ];
  if (mdKva !== null && gt(mdKva, contractedKva) && gt(rule.excessRateMultiple, D1)) {
    const excess = sub(mdKva, contractedKva);
    const extraRate = mul(rate, sub(rule.excessRateMultiple, D1));
    charges.push(
      line(
        "excess_demand",
        `Excess demand: ${formatNumber(excess)} kVA above contracted ${formatNumber(contractedKva)} ` +
          `kVA @ Rs ${formatRate(extraRate)}/kVA/month x ${monthsText(months)} (charged ` +
          `${formatNumber(rule.excessRateMultiple)}x the demand rate in all)${suffix}`,
        monthly(extraRate, excess, months),
      ),
    );
  }
  return charges;
}

const two = (hour) => String(hour).padStart(2, "0");

/** demand.tod_charges: per slot with a percentage, its share of the energy charge x the percentage. */
function todCharges(rule, registers, energyCharge, unit) {
  for (const [name] of registers) {
    if (!rule.slots.some((slot) => slot.name === name)) {
      fail(`unknown TOD register ${pyRepr(name)}; this tariff's slots: ${rule.slots.map((s) => s.name).join(", ")}`);
    }
  }
  const total = sum(registers.map(([, quantity]) => quantity), D0);
  if (le(total, D0) || isZero(energyCharge)) return [];
  const byName = new Map(registers);
  const charges = [];
  for (const slot of rule.slots) {
    const quantity = byName.get(slot.name) ?? D0;
    if (isZero(quantity) || isZero(slot.percent)) continue;
    const sign = gt(slot.percent, D0) ? "+" : "";
    charges.push(
      line(
        "tod",
        `Time of day ${slot.name} ${two(slot.startHour)}:00-${two(slot.endHour)}:00 (${sign}${formatNumber(slot.percent)}%): ` +
          `${formatNumber(quantity)} of ${formatNumber(total)} ${unit} on energy Rs ${formatMoney(energyCharge)}`,
        percentShare(energyCharge, slot.percent, fdiv(fracOf(quantity), fracOf(total))),
      ),
    );
  }
  return charges;
}

/** demand._steps: part steps count whole. */
const steps = (gap, step) => dec(ceilFraction(quotient(gap, step)));

/** demand.power_factor_charge: a surcharge below the threshold, a rebate above the rebate threshold. */
function powerFactorCharge(rule, powerFactor, energyCharge) {
  if (le(energyCharge, D0)) return null;
  const pf = formatNumber(powerFactor);
  let percent;
  let amount;
  let text;
  if (lt(powerFactor, rule.surchargeBelow) && !isZero(rule.surchargePercentPerStep)) {
    percent = mul(steps(sub(rule.surchargeBelow, powerFactor), rule.step), rule.surchargePercentPerStep);
    amount = percentShare(energyCharge, percent);
    text = `Power factor surcharge: average PF ${pf} below ${formatNumber(rule.surchargeBelow)}`;
  } else if (rule.rebateAbove !== null && gt(powerFactor, rule.rebateAbove) && !isZero(rule.rebatePercentPerStep)) {
    percent = mul(steps(sub(powerFactor, rule.rebateAbove), rule.step), rule.rebatePercentPerStep);
    amount = neg(percentShare(energyCharge, percent));
    text = `Power factor rebate: average PF ${pf} above ${formatNumber(rule.rebateAbove)}`;
  } else return null;
  return line("power_factor", `${text}, ${formatNumber(percent)}% on energy Rs ${formatMoney(energyCharge)}`, amount);
}

/** demand.average_power_factor: kWh / kVAh to 2 decimals, at most 1. */
function averagePowerFactor(kwh, kvah) {
  if (kwh === null || kvah === null || le(kvah, D0)) return null;
  return dmin(D1, roundFraction(quotient(kwh, kvah), 2));
}

/** demand.voltage_rebate_charge: the highest matching supply-voltage row. */
function voltageRebateCharge(rebates, supplyKv, base) {
  if (supplyKv === null || le(base, D0)) return null;
  const matching = rebates.filter((row) => ge(supplyKv, row.minKv) && !isZero(row.percent));
  if (!matching.length) return null;
  const row = matching.reduce((best, r) => (gt(r.minKv, best.minKv) ? r : best));
  return line(
    "voltage_rebate",
    `Supply voltage rebate ${formatNumber(row.percent)}% (supply at ${formatNumber(supplyKv)} kV, ` +
      `from ${formatNumber(row.minKv)} kV) on Rs ${formatMoney(base)}`,
    neg(percentShare(base, row.percent)),
  );
}

/** demand.load_factor: billed units / (billable demand x hours of the period) x 100, 2 decimals. */
function loadFactor(quantity, demandKva, days) {
  if (le(demandKva, D0) || days <= 0) return null;
  return roundFraction(quotient(mul(quantity, HUNDRED), mul(demandKva, dec(24 * days))), 2);
}

/** demand.load_factor_rebate_charge */
function loadFactorRebateCharge(rule, factor, energyCharge) {
  if (factor === null || le(factor, rule.abovePercent) || isZero(rule.percent) || le(energyCharge, D0)) return null;
  return line(
    "load_factor_rebate",
    `Load factor rebate ${formatNumber(rule.percent)}% (load factor ${formatNumber(factor)}% above ` +
      `${formatNumber(rule.abovePercent)}%) on energy Rs ${formatMoney(energyCharge)}`,
    neg(percentShare(energyCharge, rule.percent)),
  );
}

// --- solar.py --------------------------------------------------------------------------------------

/** solar.net_metering: net the import against the export and the banked units. */
function netMetering(imported, exported, bankedBefore) {
  for (const [name, value] of [["import", imported], ["export", exported], ["banked units", bankedBefore]]) {
    if (lt(value, D0)) fail(`solar ${name} must not be negative, got ${pyStr(value)}`);
  }
  const net = sub(sub(imported, exported), bankedBefore);
  return { imported, exported, bankedBefore, billed: dmax(net, D0), bankedAfter: dmax(neg(net), D0) };
}

/** solar.feed_in_credit: the export at the feed-in rate, a negative amount. */
function feedInCredit(exported, rate) {
  if (lt(exported, D0)) fail(`solar export must not be negative, got ${pyStr(exported)}`);
  if (lt(rate, D0)) fail(`feed-in rate must not be negative, got ${pyStr(rate)}`);
  return neg(roundPaisa(mul(exported, rate)));
}

// --- engine.py -------------------------------------------------------------------------------------

/** A bill line (engine.BillLine): head, the English description, the amount (rounded when made). */
function line(head, description, amount) {
  return { head, description, amount };
}

const total = (lines) => sum(lines.map((l) => l.amount), ZERO); // engine._total
const headSum = (lines, head) => total(lines.filter((l) => l.head === head)); // engine._sum

/** engine.tariff_segments: the period cut where the category's version in force changes. */
function tariffSegments(tariffs, category, start, end) {
  const cuts = new Set([start]);
  for (const version of versionsOf(tariffs, category)) {
    if (start < version.effectiveFrom && version.effectiveFrom <= end) cuts.add(version.effectiveFrom);
    if (version.effectiveTo !== null && start <= version.effectiveTo && version.effectiveTo < end) cuts.add(version.effectiveTo + 1);
  }
  const ordered = [...cuts].sort((a, b) => a - b);
  const segments = [];
  ordered.forEach((cut, index) => {
    const upto = index + 1 < ordered.length ? ordered[index + 1] - 1 : end;
    const version = versionInForce(tariffs, category, cut);
    const last = segments[segments.length - 1];
    if (last && last[0] === version) last[2] = upto;
    else segments.push([version, cut, upto]);
  });
  return segments;
}

/** engine._validate: inconsistent input is refused with the Python engine's words. */
function validate(bill) {
  if (bill.periodEnd < bill.periodStart) {
    fail(`period ends (${isoFormat(bill.periodEnd)}) before it starts (${isoFormat(bill.periodStart)})`);
  }
  if (le(bill.sanctionedLoad, D0)) fail(`sanctioned load must be positive, got ${pyStr(bill.sanctionedLoad)}`);
  for (const [name, value] of [["units", bill.units], ["kvah", bill.kvah]]) {
    if (value !== null && lt(value, D0)) fail(`${name} must not be negative, got ${pyStr(value)}`);
  }
  if (bill.phase !== 1 && bill.phase !== 3) fail(`phase must be 1 or 3, got ${bill.phase}`);
  const unmeteredBasis = bill.basis === "UM";
  if (bill.metered !== null && bill.metered === unmeteredBasis) {
    fail(`bill basis ${bill.basis} does not match metered=${bill.metered ? "True" : "False"}`);
  }
  const hasUnits = (bill.units !== null && !isZero(bill.units)) || (bill.kvah !== null && !isZero(bill.kvah)) || !isZero(bill.trueUpUnits);
  if (unmeteredBasis && hasUnits) fail("an unmetered (UM) bill takes no units, kVAh or true-up units");
  if (bill.supplyOff && (unmeteredBasis || hasUnits)) fail("a bill for a supply disconnected all period is metered and takes no units");
  if (bill.trueUpPeriods.length) {
    const caughtUp = sum(bill.trueUpPeriods.map((p) => sub(p.actualUnits, p.billedUnits)), D0);
    if (!eq(caughtUp, bill.trueUpUnits)) {
      fail(`the true-up periods add up to ${pyStr(caughtUp)} units, not the ${pyStr(bill.trueUpUnits)} true-up units`);
    }
    for (const p of bill.trueUpPeriods) {
      if (p.end < p.start || p.end >= bill.periodStart || lt(p.billedUnits, D0) || lt(p.actualUnits, D0)) {
        fail(
          `a true-up period (${isoFormat(p.start)} to ${isoFormat(p.end)}) must end before the ` +
            "bill's period and have units of zero or more",
        );
      }
    }
  }
  if (bill.fppasMonth !== null && !/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(bill.fppasMonth)) {
    fail(`the FPPAS bill month is written YYYY-MM, got ${pyRepr(bill.fppasMonth)}`);
  }
  let previous = bill.periodStart;
  for (const change of bill.changes) {
    if (!(bill.periodStart <= change.effectiveFrom && change.effectiveFrom <= bill.periodEnd) || change.effectiveFrom < previous) {
      fail(`a change of particulars effective ${isoFormat(change.effectiveFrom)} must fall within the period, in date order`);
    }
    if (le(change.sanctionedLoad, D0)) fail(`sanctioned load must be positive, got ${pyStr(change.sanctionedLoad)}`);
    previous = change.effectiveFrom;
  }
  validateDemand(bill);
}

/** engine._validate_demand */
function validateDemand(bill) {
  if (bill.mdKva !== null && lt(bill.mdKva, D0)) fail(`maximum demand must not be negative, got ${pyStr(bill.mdKva)}`);
  if (bill.powerFactor !== null && !(gt(bill.powerFactor, D0) && le(bill.powerFactor, D1))) {
    fail(`power factor must be above 0 and at most 1, got ${pyStr(bill.powerFactor)}`);
  }
  if (bill.supplyKv !== null && le(bill.supplyKv, D0)) fail(`supply voltage must be positive, got ${pyStr(bill.supplyKv)}`);
  const names = bill.todRegisters.map(([name]) => name);
  if (new Set(names).size !== names.length || bill.todRegisters.some(([, q]) => lt(q, D0))) {
    fail("TOD registers need distinct slot names and non-negative values");
  }
}

/** engine._particulars: the period cut where the particulars (category, load, unit) change. */
function particulars(bill) {
  if (!bill.changes.length) return [[bill, bill.periodStart, bill.periodEnd]];
  const stretches = [];
  let current = { ...bill, changes: [] };
  let start = bill.periodStart;
  for (const change of bill.changes) {
    const same =
      change.category === current.category &&
      eq(change.sanctionedLoad, current.sanctionedLoad) &&
      change.loadUnit === current.loadUnit;
    if (same) continue;
    if (change.effectiveFrom > start) stretches.push([current, start, change.effectiveFrom - 1]);
    start = change.effectiveFrom;
    current = { ...current, category: change.category, sanctionedLoad: change.sanctionedLoad, loadUnit: change.loadUnit };
  }
  stretches.push([current, start, bill.periodEnd]);
  return stretches;
}

/** engine._lifeline_category: a lifeline consumer over the limits is billed as the fallback category. */
function lifelineCategory(bill, months, notes, units = null, on = null) {
  const rule = versionInForce(bill.tariffs, bill.category, on ?? bill.periodEnd).lifeline;
  if (rule === null) return bill.category;
  const loadKw = billableLoad(bill.sanctionedLoad, bill.loadUnit, "kW");
  const unitLimit = scaledLimit(rule.maxUnitsPerMonth, months);
  if (units === null) units = bill.units ?? D0;
  if (le(loadKw, rule.maxLoadKw) && le(units, unitLimit)) return bill.category;
  const fallback = bill.fallbackCategory || rule.fallbackCategory;
  notes.push(
    `Lifeline limits (${formatNumber(rule.maxLoadKw)} kW, ${formatNumber(unitLimit)} units for the ` +
      `period) exceeded by ${formatNumber(loadKw)} kW, ${formatNumber(units)} units: billed as ${fallback}`,
  );
  return fallback;
}

/** engine._prepare_part: one tariff version's share of the period, with what prices it. */
function preparePart(bill, version, start, end, months, split, owner = null) {
  const days = periodDays(start, end);
  const totalDays = periodDays(bill.periodStart, bill.periodEnd);
  const partMonths = split ? fmul(months, frac(days, totalDays)) : months;
  const rule = version.kvah;
  const own = owner ?? bill;
  const load = own.sanctionedLoad;
  const given = own.loadUnit;
  let label = version.label;
  if (owner !== null) label = `${version.label}, ${owner.category}, ${formatNumber(load)} ${given}`;
  const tariffLoad =
    rule === null
      ? billableLoad(load, given, version.loadUnit)
      : billableLoad(load, given, version.loadUnit, rule.factor, rule.kwPerBhp);
  const band = bandFor(version, tariffLoad);
  const threshold = rule === null ? null : version.loadUnit === "BHP" ? rule.thresholdBhp : rule.thresholdKw;
  const kvahDue = threshold !== null && ge(tariffLoad, threshold);
  const kvahBilling = kvahDue && bill.kvah !== null;
  let rates = band.slabs.map((slab) => slab.rate);
  let fixedLoad = tariffLoad;
  let fixedLoadUnit = version.loadUnit;
  let fixedRate = band.fixedRate;
  if (kvahBilling && rule !== null) {
    rates = rates.map((rate) => derivedRate(rate, rule.factor));
    fixedLoadUnit = "kVA";
    fixedLoad = billableLoad(load, given, "kVA", rule.factor, rule.kwPerBhp);
    const divisor = version.loadUnit === "BHP" ? rule.kwPerBhp : D1;
    fixedRate = derivedRate(band.fixedRate, rule.factor, divisor);
  }
  const suffix = split ? ` [${label} tariff, ${isoFormat(start)} to ${isoFormat(end)}]` : "";
  return {
    version,
    days,
    months: partMonths,
    suffix,
    kvahDue,
    kvahBilling,
    unit: kvahBilling ? "kVAh" : "kWh",
    limits: slabLimits(band.slabs.map((slab) => slab.upto), partMonths),
    rates,
    tariffLoad,
    fixedLoad,
    fixedLoadUnit,
    fixedRate,
    owner,
  };
}

/** engine._slab_range: the words naming a slab ("up to 150 kWh", "151-300 kWh", "above 300 kWh"). */
function slabRange(lower, limit, unit, only) {
  if (only) return "";
  if (limit === null) return ` above ${formatNumber(lower)} ${unit}`;
  if (isZero(lower)) return ` up to ${formatNumber(limit)} ${unit}`;
  return ` ${formatNumber(add(lower, D1))}-${formatNumber(limit)} ${unit}`;
}

/** engine._energy: the energy lines of each part, telescopic over its slabs. */
function energy(parts, quantities, word) {
  return parts.map((part, index) => {
    const lines = [];
    let lower = D0;
    const only = part.limits.length === 1;
    const inside = splitSlabs(quantities[index], part.limits);
    part.limits.forEach((limit, slab) => {
      const rate = part.rates[slab];
      if (!isZero(inside[slab])) {
        lines.push(
          line(
            "energy",
            `${word}${slabRange(lower, limit, part.unit, only)}: ${formatNumber(inside[slab])} ` +
              `${part.unit} @ Rs ${formatRate(rate)}${part.suffix}`,
            roundPaisa(mul(inside[slab], rate)),
          ),
        );
      }
      if (limit !== null) lower = limit;
    });
    return lines;
  });
}

/** engine._part_quantities: the units (or kVAh) of each part, shared by days. */
function partQuantities(bill, parts, delta = D0) {
  const weights = parts.map((part) => part.days);
  const kwh = apportion(add(bill.units ?? D0, delta), weights);
  const kvah = apportion(add(bill.kvah ?? D0, delta), weights);
  return parts.map((part, index) => (part.kvahBilling ? kvah[index] : kwh[index]));
}

/** engine._energy_total: the energy charge had ``delta`` more units been billed (true-up pricing). */
function energyTotal(bill, parts, delta) {
  const quantities = partQuantities(bill, parts);
  const belowZero = add(sum(quantities, D0), delta);
  if (lt(belowZero, D0)) return roundPaisa(mul(belowZero, parts[parts.length - 1].rates[0]));
  return total(energy(parts, partQuantities(bill, parts, delta), "").flat());
}

/** engine._percent_groups: (percent, base) with parts of equal percentage merged, in order. */
function percentGroups(parts, bases, percentOfPart) {
  const groups = new Map(); // keyed by the percentage's value, as Python's dict of Decimals
  parts.forEach((part, index) => {
    const percent = percentOfPart(part.version);
    const key = formatNumber(percent);
    const [first, base] = groups.get(key) ?? [percent, ZERO];
    groups.set(key, [first, add(base, bases[index])]);
  });
  return [...groups.values()];
}

/** engine._fppas_lines: the bill month's FPPAS percentage on the whole base. */
function fppasLines(bill, base) {
  if (isZero(base) || isZero(bill.fppas)) return [];
  const percent = formatNumber(bill.fppas);
  const baseText = formatMoney(base);
  const description =
    bill.fppasMonth !== null
      ? `FPPAS for bills of ${bill.fppasMonth}: ${percent}% on Rs ${baseText}`
      : `FPPAS ${percent}% on Rs ${baseText}`;
  return [line("fppas", description, percentOf(base, bill.fppas))];
}

/** engine._fppas_shares: the FPPAS amount split over the parts by their bases (the last takes the rest). */
function fppasShares(parts, bases, fppas) {
  const whole = sum(bases, ZERO);
  if (isZero(fppas) || isZero(whole)) return parts.map(() => ZERO);
  const share = fdiv(fracOf(fppas), fracOf(whole));
  const shares = bases.slice(0, -1).map((base) => percentOf(base, HUNDRED, share));
  return [...shares, sub(fppas, sum(shares, ZERO))];
}

/** engine.period_energy_charge: what ``units`` would have cost over an earlier period (true-up). */
function periodEnergyCharge(bill, start, end, units) {
  const period = {
    ...billDefaults,
    tariffs: bill.tariffs,
    category: bill.category,
    sanctionedLoad: bill.sanctionedLoad,
    loadUnit: bill.loadUnit,
    periodStart: start,
    periodEnd: end,
    units,
    fallbackCategory: bill.fallbackCategory,
  };
  const months = periodMonths(start, end);
  const category = lifelineCategory(period, months, []);
  const segments = tariffSegments(period.tariffs, category, start, end);
  const split = segments.length > 1;
  const parts = segments.map(([version, a, b]) => preparePart(period, version, a, b, months, split));
  if (!parts[parts.length - 1].version.metered) {
    fail(`a true-up period (${isoFormat(start)} to ${isoFormat(end)}) falls on unmetered ${category}`);
  }
  return total(energy(parts, partQuantities(period, parts), "").flat());
}

/** The defaults of engine.BillInput's optional fields (for engine._replace_period). */
const billDefaults = { kvah: null, changes: [], trueUpPeriods: [], trueUpUnits: D0 };

/** engine._true_up_by_period: each provisional period re-billed on its own slabs, E(actual) - E(billed). */
function trueUpByPeriod(bill) {
  return bill.trueUpPeriods.map((period) => {
    const difference = sub(period.actualUnits, period.billedUnits);
    const amount = sub(
      periodEnergyCharge(bill, period.start, period.end, period.actualUnits),
      periodEnergyCharge(bill, period.start, period.end, period.billedUnits),
    );
    const kind = ge(difference, D0) ? "debit" : "credit";
    return line(
      "provisional_true_up",
      `Provisional true-up ${isoFormat(period.start)} to ${isoFormat(period.end)}: ` +
        `${formatNumber(period.billedUnits)} kWh billed, ${formatNumber(period.actualUnits)} kWh ` +
        `used (${kind} of ${formatNumber(dabs(difference))} kWh), re-billed on that period's slabs`,
      amount,
    );
  });
}

/** engine._contracted_kva */
const contractedKva = (bill) => billableLoad(bill.sanctionedLoad, bill.loadUnit, "kVA", KVA_POWER_FACTOR);

/** engine._demand_lines: the demand charge (in place of the fixed charge) and the excess line. */
function demandLines(bill, part) {
  const charges = demandCharges(part.version.demand, contractedKva(part.owner ?? bill), bill.mdKva, part.months, part.suffix);
  return [charges[0], charges.slice(1)];
}

/** engine._energy_adjustments: time-of-day and power-factor lines (rules of the last part). */
function energyAdjustments(bill, parts, energyLines, unit, notes) {
  const { version } = parts[parts.length - 1];
  const result = [];
  if (version.tod === null && version.powerFactor === null && !bill.todRegisters.length) return result;
  const energyCharge = total(energyLines.flat());
  if (version.tod !== null && bill.todRegisters.length) {
    result.push(...todCharges(version.tod, bill.todRegisters, energyCharge, unit));
  } else if (version.tod !== null) {
    notes.push("Time-of-day tariff but no TOD meter registers were given: billed at the normal rate");
  } else if (bill.todRegisters.length) {
    notes.push("TOD registers not used: this tariff has no time-of-day rates");
  }
  const rule = version.powerFactor;
  if (rule !== null && parts.some((part) => part.kvahBilling)) {
    notes.push("Power factor is priced by kVAh billing: no power-factor surcharge or rebate");
  } else if (rule !== null) {
    const pf = bill.powerFactor !== null && !isZero(bill.powerFactor) ? bill.powerFactor : averagePowerFactor(bill.units, bill.kvah);
    const charge = pf === null ? null : powerFactorCharge(rule, pf, energyCharge);
    if (pf === null) notes.push("Average power factor not known (no kVAh reading): no power-factor adjustment");
    else if (charge !== null) result.push(charge);
  }
  return result;
}

const VOLTAGE_REBATE_HEADS = new Set(["energy", "tod", "demand"]);

/** engine._demand_rebates: supply-voltage and load-factor rebates (rules of the last part). */
function demandRebates(bill, parts, lines, quantity) {
  const { version } = parts[parts.length - 1];
  const result = [];
  if (!version.voltageRebates.length && version.loadFactorRebate === null) return result;
  const base = total(lines.filter((l) => VOLTAGE_REBATE_HEADS.has(l.head)));
  const voltage = voltageRebateCharge(version.voltageRebates, bill.supplyKv, base);
  if (voltage !== null) result.push(voltage);
  const rule = version.loadFactorRebate;
  if (rule !== null && version.demand !== null && quantity !== null) {
    const demand = billableDemand(version.demand, contractedKva(bill), bill.mdKva);
    const factor = loadFactor(quantity, demand, periodDays(bill.periodStart, bill.periodEnd));
    const charge = loadFactorRebateCharge(rule, factor, headSum(lines, "energy"));
    if (charge !== null) result.push(charge);
  }
  return result;
}

/** engine._solar_netting: net metering replaces the units by the net units and shows the netting. */
function solarNetting(bill) {
  if (bill.exportUnits !== null && lt(bill.exportUnits, D0)) fail(`export units must not be negative, got ${pyStr(bill.exportUnits)}`);
  if (bill.solarScheme === "") {
    if ((bill.exportUnits !== null && !isZero(bill.exportUnits)) || !isZero(bill.bankedUnits)) {
      fail("export or banked units given for a consumer without rooftop solar");
    }
    return [bill, [], null];
  }
  if (bill.solarScheme === "gross") {
    if (!isZero(bill.bankedUnits)) fail("gross metering banks no units");
    return [bill, [], null];
  }
  if (bill.units === null) fail("net metering needs the import units (kWh)");
  const net = netMetering(bill.units, bill.exportUnits ?? D0, bill.bankedUnits);
  let text =
    `Net metering: import ${formatNumber(net.imported)} kWh - export ${formatNumber(net.exported)} kWh` +
    ` - banked ${formatNumber(net.bankedBefore)} kWh`;
  if (!isZero(net.bankedAfter)) text += `: ${formatNumber(net.bankedAfter)} kWh banked for the next bill`;
  else text += ` = ${formatNumber(net.billed)} kWh billed`;
  // kVAh billing is not netted (the export register is kWh): a net-metering bill is billed on kWh.
  return [{ ...bill, units: net.billed, kvah: null }, [line("solar_net_metering", text, ZERO)], net];
}

/** engine._duty_line: the electricity duty, reduced (or omitted) by the consumer's exemption. */
function dutyLine(bill, percent, base, notes) {
  const exempt = bill.dutyExemptPercent;
  if (!isZero(exempt) && !(gt(exempt, ZERO) && le(exempt, HUNDRED))) fail(`a duty exemption must be 0-100%, got ${pyStr(exempt)}`);
  if (isZero(exempt)) {
    return line("electricity_duty", `Electricity duty ${formatNumber(percent)}% on Rs ${formatMoney(base)}`, percentOf(base, percent));
  }
  const order = bill.dutyExemptionOrder || "order not recorded";
  if (eq(exempt, HUNDRED)) {
    notes.push(`Electricity duty ${formatNumber(percent)}% not levied: exempt by ${order}`);
    return null;
  }
  const product = mul(percent, sub(HUNDRED, exempt));
  const levied = dec(product.n, product.s + 2); // / 100, exact
  notes.push(`Electricity duty reduced by ${formatNumber(exempt)}% by ${order}`);
  return line(
    "electricity_duty",
    `Electricity duty ${formatNumber(levied)}% (${formatNumber(percent)}% less ` +
      `${formatNumber(exempt)}% exempt by ${order}) on Rs ${formatMoney(base)}`,
    percentOf(base, levied),
  );
}

/** engine._late_rebate_lines: the late-bill rebate on the current charges so far. */
function lateRebateLines(bill, lines) {
  const percent = bill.lateRebatePercent;
  if (isZero(percent)) return [];
  if (!(gt(percent, ZERO) && le(percent, HUNDRED))) fail(`a late-bill rebate must be 0-100%, got ${pyStr(percent)}`);
  const base = total(lines);
  if (le(base, D0)) return [];
  return [
    line(
      "late_bill_rebate",
      `Late bill rebate ${formatNumber(percent)}% on Rs ${formatMoney(base)} (bill served ` +
        `${bill.daysLate} days after the period)`,
      neg(percentOf(base, percent)),
    ),
  ];
}

/** engine._solar_export_lines: gross metering, all export paid at the feed-in rate. */
function solarExportLines(bill) {
  const exported = bill.exportUnits ?? D0;
  if (bill.solarScheme !== "gross" || isZero(exported)) return [];
  if (isZero(bill.feedInRate)) fail("gross metering: no feed-in rate given for the export");
  return [
    line(
      "solar_export_credit",
      `Solar export (gross metering): ${formatNumber(exported)} kWh @ Rs ${formatRate(bill.feedInRate)}`,
      feedInCredit(exported, bill.feedInRate),
    ),
  ];
}

/** engine._changed_parts: each stretch of changed particulars on its own category and load. */
function changedParts(bill, stretches, months, notes) {
  const totalDays = periodDays(bill.periodStart, bill.periodEnd);
  const shares = apportion(bill.units ?? D0, stretches.map(([, start, end]) => periodDays(start, end)));
  const cuts = [];
  stretches.forEach(([stretchOwner, start, end], index) => {
    let owner = stretchOwner;
    const stretchMonths = fmul(months, frac(periodDays(start, end), totalDays));
    const ownNotes = [];
    const category = lifelineCategory(owner, stretchMonths, ownNotes, shares[index], end);
    for (const note of ownNotes) notes.push(`${note} [${isoFormat(start)} to ${isoFormat(end)}]`);
    if (category !== owner.category) owner = { ...owner, category };
    for (const [version, cutStart, cutEnd] of tariffSegments(owner.tariffs, category, start, end)) {
      cuts.push([owner, version, cutStart, cutEnd]);
    }
  });
  return cuts.map(([owner, version, start, end]) => preparePart(bill, version, start, end, months, true, owner));
}

/** The fixed charge line of a part (the fixed-charge step of engine.compute_bill). */
function fixedLine(bill, part) {
  const holder = part.owner ?? bill;
  let sanctioned = "";
  if (!eq(part.fixedLoad, holder.sanctionedLoad) || part.fixedLoadUnit !== holder.loadUnit) {
    sanctioned = ` (sanctioned ${formatNumber(holder.sanctionedLoad)} ${holder.loadUnit})`;
  }
  return line(
    "fixed",
    `Fixed charge: ${formatNumber(part.fixedLoad)} ${part.fixedLoadUnit}${sanctioned} @ Rs ` +
      `${formatRate(part.fixedRate)}/${part.fixedLoadUnit}/month x ${monthsText(part.months)}${part.suffix}`,
    periodCharge(part.fixedRate, part.fixedLoad, part.months),
  );
}

/** The minimum-charge top-up of a part (step 5 of engine.compute_bill), or null. */
function minimumTopup(bill, part, charged) {
  const minimum = bill.supplyOff ? null : part.version.minimumCharge;
  if (minimum === null) return null;
  const per = minimum.basis === "per_load" ? part.tariffLoad : D1;
  const floor = periodCharge(minimum.amount, per, part.months);
  if (!lt(charged, floor)) return null;
  return line(
    "minimum_charge_topup",
    `Minimum charge top-up: minimum Rs ${formatMoney(floor)} less Rs ${formatMoney(charged)} charged${part.suffix}`,
    sub(floor, charged),
  );
}

/** The provisional true-up without periods (step 6 of engine.compute_bill): priced on this bill's slabs. */
function trueUpOnThisBill(bill, parts, category, months, billedUnit) {
  let own = parts;
  if (category !== bill.category && !bill.changes.length) {
    own = tariffSegments(bill.tariffs, bill.category, bill.periodStart, bill.periodEnd).map(([version, start, end]) =>
      preparePart(bill, version, start, end, months, true),
    );
  }
  const amount = sub(energyTotal(bill, own, bill.trueUpUnits), energyTotal(bill, own, D0));
  const kind = gt(bill.trueUpUnits, D0) ? "debit" : "credit";
  const unit = billedUnit ?? "kWh";
  return line(
    "provisional_true_up",
    `Provisional true-up: ${kind} of ${formatNumber(dabs(bill.trueUpUnits))} ${unit} billed ` +
      "provisionally, priced at this bill's slab rates",
    amount,
  );
}

/** The subsidy (step 10 of engine.compute_bill): its % of the current charges, paid by the government. */
function subsidyLines(bill, rule, metered, lines, notes) {
  if (rule === null) return [];
  const inArrears = bill.hasArrears || gt(bill.arrears, D0);
  if (rule.meteredOnly && !metered) {
    notes.push("No subsidy: the subsidy is for metered connections only");
    return [];
  }
  if (rule.requiresNoArrears && inArrears) {
    notes.push("No subsidy: the connection has arrears");
    return [];
  }
  const base = total(lines);
  if (!(gt(base, D0) && !isZero(rule.percent))) return [];
  return [
    line(
      "subsidy",
      `Subsidy ${formatNumber(rule.percent)}% of current charges Rs ${formatMoney(base)}, paid by ${rule.payer}`,
      neg(percentOf(base, rule.percent)),
    ),
  ];
}

/** The meter-not-accessible penalty (step 11 of engine.compute_bill): Rs per kW, once per bill. */
function naPenaltyLines(bill, parts) {
  if (!bill.naPenalty) return [];
  const last = parts[parts.length - 1];
  const rate = last.version.naPenaltyPerKw;
  const final = last.owner ?? bill;
  const loadKw = billableLoad(final.sanctionedLoad, final.loadUnit, "kW");
  if (isZero(rate)) return [];
  return [
    line(
      "na_penalty",
      `Meter not accessible penalty: ${formatNumber(loadKw)} kW @ Rs ${formatRate(rate)}/kW`,
      roundPaisa(mul(rate, loadKw)),
    ),
  ];
}

const ENERGY_WORD = { PROV: "Energy (provisional)", ASS: "Energy (assessed)" };

/** engine.compute_bill: price one bill. Throws BillError for inconsistent input. */
function priceBill(input) {
  let bill = input;
  validate(bill);
  if (bill.supplyOff && bill.mdKva === null) bill = { ...bill, mdKva: D0 }; // no supply, no demand
  const stretches = particulars(bill);
  for (const [owner, start, end] of stretches) {
    checkLoad(owner.tariffs, owner.category, owner.sanctionedLoad, owner.loadUnit, start, end);
  }
  if (bill.changes.length && stretches.length === 1) bill = stretches[0][0]; // no change cuts the period
  const months = periodMonths(bill.periodStart, bill.periodEnd);
  const notes = [];
  let solarLines;
  let netting;
  [bill, solarLines, netting] = solarNetting(bill);
  let category;
  let parts;
  if (!bill.changes.length) {
    category = lifelineCategory(bill, months, notes);
    const segments = tariffSegments(bill.tariffs, category, bill.periodStart, bill.periodEnd);
    const split = segments.length > 1;
    parts = segments.map(([version, start, end]) => preparePart(bill, version, start, end, months, split));
  } else {
    parts = changedParts(bill, stretches, months, notes);
    const last = parts[parts.length - 1];
    category = last.owner !== null ? last.owner.category : bill.category;
  }
  const { metered } = parts[parts.length - 1].version;
  if (metered === (bill.basis === "UM")) {
    fail(`tariff ${category} is ${metered ? "metered" : "unmetered"} but the bill basis is ${bill.basis}`);
  }

  // 3. Energy (and the time-of-day and power-factor lines on it).
  let energyByPart = parts.map(() => []);
  let billedQuantity = null;
  let billedUnit = null;
  const kvahBilling = parts.some((part) => part.kvahBilling);
  if (metered && bill.supplyOff) {
    notes.push("Supply disconnected for the whole period: no energy billed, fixed charges only");
  } else if (metered) {
    if (kvahBilling) [billedUnit, billedQuantity] = ["kVAh", bill.kvah];
    else if (bill.units === null) fail(`tariff ${category} is metered: give the units (kWh)`);
    else [billedUnit, billedQuantity] = ["kWh", bill.units];
    if (bill.kvah !== null && !kvahBilling) notes.push("kVAh reading not used: kVAh billing does not apply at this load");
    const word = ENERGY_WORD[bill.basis] ?? "Energy";
    if (bill.kvah === null && parts.some((part) => part.kvahDue)) {
      notes.push("kVAh billing applies at this load but no kVAh reading was given: billed on kWh");
    }
    energyByPart = energy(parts, partQuantities(bill, parts), word);
    energyByPart[energyByPart.length - 1].push(...energyAdjustments(bill, parts, energyByPart, billedUnit, notes));
  }

  const lines = [...solarLines, ...energyByPart.flat()];

  // 4. Fixed (or demand) charges and 5. the minimum-charge top-up, part by part.
  const fixedLines = [];
  const topupLines = [];
  const partBases = [];
  parts.forEach((part, index) => {
    let fixed = fixedLine(bill, part);
    let excess = [];
    if (part.version.demand !== null) [fixed, excess] = demandLines(part.owner ?? bill, part);
    fixedLines.push(fixed, ...excess);
    const charged = add(add(total(energyByPart[index]), fixed.amount), total(excess));
    const topup = minimumTopup(bill, part, charged);
    if (topup !== null) topupLines.push(topup);
    partBases.push(topup === null ? charged : add(charged, topup.amount));
  });
  lines.push(...fixedLines, ...topupLines);
  const rebateLines = demandRebates(bill, parts, lines, billedQuantity);
  lines.push(...rebateLines);
  partBases[partBases.length - 1] = add(partBases[partBases.length - 1], total(rebateLines));

  // 6. Provisional true-up.
  let trueUp = ZERO;
  if (!isZero(bill.trueUpUnits) || bill.trueUpPeriods.length) {
    if (!metered) fail("a provisional true-up needs a metered tariff");
    const trueUpLines = bill.trueUpPeriods.length
      ? trueUpByPeriod(bill)
      : [trueUpOnThisBill(bill, parts, category, months, billedUnit)];
    trueUp = bill.trueUpPeriods.length ? total(trueUpLines) : trueUpLines[0].amount;
    lines.push(...trueUpLines);
  }

  // 7. Electricity duty (on FPPAS too where the version says so) and 8. FPPAS.
  const dutyBases = [...partBases];
  dutyBases[dutyBases.length - 1] = add(dutyBases[dutyBases.length - 1], trueUp);
  const fppas = fppasLines(bill, add(sum(partBases, ZERO), trueUp));
  fppasShares(parts, dutyBases, total(fppas)).forEach((share, index) => {
    if (parts[index].version.dutyOnFppas) dutyBases[index] = add(dutyBases[index], share);
  });
  for (const [percent, base] of percentGroups(parts, dutyBases, (v) => v.dutyPercent)) {
    if (!isZero(percent) && !isZero(base)) {
      const duty = dutyLine(bill, percent, base, notes);
      if (duty !== null) lines.push(duty);
    }
  }
  lines.push(...fppas);

  // 9. Prepaid rebate.
  if (bill.prepaid) {
    for (const [percent, base] of percentGroups(parts, partBases, (v) => v.prepaidRebatePercent)) {
      if (!isZero(percent) && !isZero(base)) {
        lines.push(
          line("prepaid_rebate", `Prepaid meter rebate ${formatNumber(percent)}% on Rs ${formatMoney(base)}`, neg(percentOf(base, percent))),
        );
      }
    }
  }

  lines.push(...lateRebateLines(bill, lines));
  lines.push(...subsidyLines(bill, parts[parts.length - 1].version.subsidy, metered, lines, notes));
  lines.push(...solarExportLines(bill));
  lines.push(...naPenaltyLines(bill, parts));

  // 12. LPSC and arrears, as given.
  if (!isZero(bill.lpsc)) lines.push(line("lpsc", "Late payment surcharge", roundPaisa(bill.lpsc)));
  if (!isZero(bill.arrears)) lines.push(line("arrears", "Arrears", roundPaisa(bill.arrears)));

  // 13. Round-off: the lines add up to payable.
  const billTotal = total(lines);
  const payable = roundPayable(billTotal);
  const roundOff = sub(payable, billTotal);
  lines.push(line("round_off", "Round-off to the rupee", roundOff));

  const headTotal = (head) => headSum(lines, head);
  const topupTotal = headTotal("minimum_charge_topup");
  const basis = bill.basis === "MU" && gt(topupTotal, D0) ? "MIN" : bill.basis;
  return {
    category,
    basis,
    billed_unit: billedUnit,
    billed_quantity: billedQuantity === null ? null : formatNumber(billedQuantity),
    months: fracStr(months),
    lines: lines.map((l) => ({ head: l.head, description: l.description, amount: formatMoney(l.amount) })),
    energy_charge: formatMoney(headTotal("energy")),
    fixed_charge: formatMoney(headTotal("fixed")),
    min_charge_topup: formatMoney(topupTotal),
    true_up: formatMoney(trueUp),
    electricity_duty: formatMoney(headTotal("electricity_duty")),
    fppas: formatMoney(headTotal("fppas")),
    rebate: formatMoney(headTotal("prepaid_rebate")),
    subsidy: formatMoney(headTotal("subsidy")),
    penalty: formatMoney(headTotal("na_penalty")),
    lpsc: formatMoney(headTotal("lpsc")),
    arrears: formatMoney(headTotal("arrears")),
    total: formatMoney(billTotal),
    round_off: formatMoney(roundOff),
    payable: formatMoney(payable),
    demand_charge: formatMoney(headTotal("demand")),
    excess_demand: formatMoney(headTotal("excess_demand")),
    tod: formatMoney(headTotal("tod")),
    power_factor_adjustment: formatMoney(headTotal("power_factor")),
    demand_rebates: formatMoney(add(headTotal("voltage_rebate"), headTotal("load_factor_rebate"))),
    notes,
    export_units: bill.exportUnits === null ? null : formatNumber(bill.exportUnits),
    banked_units: netting === null ? null : formatNumber(netting.bankedAfter),
    solar_credit: formatMoney(headTotal("solar_export_credit")),
    late_rebate: formatMoney(headTotal("late_bill_rebate")),
    import_units: netting === null ? null : formatNumber(netting.imported),
  };
}

/**
 * Price one bill as the Python engine does: ``compute_bill(BillInput.from_dict(input)).to_dict()``.
 * @param {object} input a golden vector's "input" (tariffs, category, sanctioned_load, units, dates …)
 * @returns {object} the bill: lines [{head, description, amount}], the head totals, total, round_off,
 *   payable (money as strings with two decimals), category, basis, notes …
 * @throws {BillError} for input the Python engine refuses (same English message)
 */
export function computeBill(input) {
  try {
    return priceBill(billFromDict(input));
  } catch (error) {
    if (error instanceof BillError) throw error;
    // Malformed data (a missing key, a wrong type): Python raises KeyError / TypeError there.
    throw new BillError("invalid_input", `the bill input could not be read: ${error.message}`);
  }
}

/** The exact-arithmetic helpers, exported for the unit tests of the rounding rules (money.py). */
export const exactForTests = Object.freeze({
  exact,
  plain,
  pyStr,
  formatNumber,
  formatMoney,
  formatRate,
  roundPaisa,
  roundPayable,
  roundRatio,
  periodCharge,
  percentOf,
  neg,
  add,
  sub,
  frac,
  fracStr,
  periodMonths: (start, end) => fracStr(periodMonths(isoDate(start), isoDate(end))),
  apportion: (totalUnits, weights) => apportion(exact(totalUnits), weights).map(pyStr),
  billableLoad: (value, from, to) => pyStr(billableLoad(exact(value), from, to)),
});
