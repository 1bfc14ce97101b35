// The meter reader's and lineman's app: the route book, the reading at the door with its bill, spot
// cash collection, work orders and the outbox, all kept on the phone (store.js) and sent when the
// network is there (sync.js). No framework: views are plain DOM built with h().
import { currentLanguage, setLanguage, t } from "./i18n.js";
import * as logic from "./logic.js";
import * as store from "./store.js";
import { SignedOut, sessionUser, syncOutbox } from "./sync.js";

const body = document.body;
const API = body.dataset.api;
const view = document.getElementById("view");
// What the reader finds at the door, and the reading status each is sent as: the server takes the
// statuses a reader enters (OK, NA, IDF, NM, NR; RDF, ADF and CDF it raises itself from the value), so
// a burnt meter or a dead display is IDF with the finding named in the note (docs/field-sync.md).
const FINDINGS = logic.FINDINGS;
const READ_STATUSES = ["OK"]; // the finding that comes with a register reading
const PHOTO_MAX_SIDE = 1024;
const PHOTO_MAX_BYTES = 500 * 1024;

let engine = null; // engine.js (computeBill, ENGINE_VERSION), when it is on the phone
let printer = null; // print.js (ESC/POS over Web Bluetooth), when it is on the phone
let syncing = false;
let signedOut = false;

// --- small DOM helpers --------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else if (key === "class") el.className = value;
    else if (key === "for") el.htmlFor = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function field(id, label, control, hint = null) {
  return h("p", { class: "field" }, h("label", { for: id, text: label }), control, hint);
}

function dl(rows) {
  return h(
    "dl",
    { class: "facts" },
    rows.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", { text: k }), h("dd", {}, v)])
  );
}

function toast(text, tone = "") {
  const el = document.getElementById("toast");
  el.className = tone;
  el.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.textContent = ""), 6000);
}

function rupees(text) {
  return `₹ ${text}`;
}

function localDate(d = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function localTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(currentLanguage() === "hi" ? "hi-IN" : "en-IN");
}

function signInLink() {
  return h("a", { class: "button", href: `${body.dataset.login}?next=${encodeURIComponent(body.dataset.scope)}`, text: t("sign_in_again"), "data-testid": "sign-in" });
}

// --- chrome: language, network state ------------------------------------------------------------

function paintChrome() {
  document.documentElement.lang = currentLanguage();
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  const lang = document.querySelector("[data-action=lang]");
  lang.textContent = t("switch_language");
  lang.lang = currentLanguage() === "hi" ? "en" : "hi";
  const net = document.querySelector("[data-testid=net]");
  net.textContent = navigator.onLine ? t("online") : t("offline");
  net.className = `net ${navigator.onLine ? "on" : "off"}`;
  for (const a of document.querySelectorAll("nav.tabs a")) {
    const here = a.getAttribute("href") === (location.hash || "#/") || (a.getAttribute("href") !== "#/" && (location.hash || "").startsWith(a.getAttribute("href")));
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

document.querySelector("[data-action=lang]").addEventListener("click", () => {
  setLanguage(currentLanguage() === "hi" ? "en" : "hi");
  route();
});

window.addEventListener("online", () => {
  paintChrome();
  runSync({ quiet: true });
});
window.addEventListener("offline", paintChrome);
window.addEventListener("hashchange", () => route({ focus: true }));

// --- the book -----------------------------------------------------------------------------------

async function downloadBook() {
  if (!navigator.onLine) return toast(t("need_network"), "bad");
  toast(t("downloading"));
  try {
    const response = await fetch(`${API}book/`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401 || response.status === 403) {
      signedOut = true;
      toast(t("signed_out"), "bad");
      return route();
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const book = await response.json();
    await store.bookSave(book);
    signedOut = false;
    toast(t("downloaded", { stops: book.stops.length, orders: book.work_orders.length }), "ok");
  } catch (e) {
    toast(t("download_failed", { reason: e.message }), "bad");
  }
  route();
}

async function readings() {
  const map = new Map();
  for (const item of await store.outboxAll()) {
    // a rejected reading is not a reading: the reader records it again (under a new client id)
    if (item.kind === "reading" && item.state !== "rejected") map.set(item.payload.order_id, item);
  }
  return map;
}

async function stopsView() {
  const book = await store.book();
  if (!book) {
    return [
      h("p", { text: t("no_book") }),
      signedOut ? signInLink() : null,
      h("button", { type: "button", class: "primary", "data-testid": "download", onclick: downloadBook, text: t("download_book") }),
    ];
  }
  const all = await store.stops();
  const done = await readings();
  const list = h("ul", { class: "stops", "data-testid": "stops" });
  const search = h("input", { id: "search", type: "search", autocomplete: "off", value: sessionStorage.getItem("field-search") || "" });
  const paint = () => {
    sessionStorage.setItem("field-search", search.value);
    list.replaceChildren(
      ...all.filter((s) => logic.matchStop(s, search.value)).map((stop) => {
        const reading = done.get(stop.order_id);
        const state = reading
          ? reading.payload.status === "OK" ? t("state_read") : t("state_status", { status: t(`status_${reading.payload.finding || reading.payload.status}`) })
          : t("state_todo");
        return h(
          "li",
          {},
          h(
            "a",
            { href: `#/stop/${stop.order_id}`, "data-testid": "stop", dataset: { orderId: stop.order_id, done: reading ? "1" : "0" } },
            h("span", { class: "seq", text: stop.seq }),
            h("span", { class: "who" }, h("strong", { text: stop.name }), h("small", { text: `${stop.account_number} · ${stop.village || stop.address || ""}` })),
            h("span", { class: `badge ${reading ? "ok" : ""}`, text: state })
          )
        );
      })
    );
  };
  search.addEventListener("input", paint);
  paint();
  return [
    h("p", { class: "progress", "data-testid": "progress", text: t("progress", { done: done.size, total: all.length }) }),
    field("search", t("search_label"), search),
    list,
  ];
}

// --- the reading at the door --------------------------------------------------------------------

function stopFacts(stop) {
  const m = stop.meter;
  return [
    h("h1", {}, h("span", { class: "seq", text: stop.seq }), " ", stop.name),
    dl([
      [t("account"), stop.account_number],
      [t("address"), [stop.address, stop.village].filter(Boolean).join(", ")],
      [t("mobile"), stop.mobile],
      [t("category"), stop.category],
      [t("meter"), m ? `${m.serial}${m.multiplier && m.multiplier !== "1" ? ` · ${t("multiplier")} ${m.multiplier}` : ""}` : t("no_meter_recorded")],
      [t("last_reading"), stop.last_reading ? `${stop.last_reading.kwh ?? "—"} (${stop.last_reading.date}, ${stop.last_reading.status})` : null],
      [t("average_units"), stop.average_units],
      [t("arrears"), stop.arrears ? rupees(stop.arrears) : null],
    ]),
    stop.history?.length
      ? h("details", {}, h("summary", { text: t("history") }),
          h("ul", { class: "history" }, stop.history.map((r) => h("li", { text: `${r.period}: ${r.units ?? "—"} ${t("units_short")} (${r.status})` }))))
      : null,
  ];
}

function gpsControl(holder) {
  const out = h("span", { class: "gps", "data-testid": "gps", "aria-live": "polite" });
  const get = () => {
    if (!navigator.geolocation) return (out.textContent = t("gps_none"));
    out.textContent = t("gps_waiting");
    navigator.geolocation.getCurrentPosition(
      (p) => {
        holder.gps = { lat: p.coords.latitude.toFixed(6), lon: p.coords.longitude.toFixed(6), accuracy: String(Math.round(p.coords.accuracy)) };
        out.textContent = t("gps_fix", { lat: holder.gps.lat, lon: holder.gps.lon, acc: holder.gps.accuracy });
      },
      () => (out.textContent = t("gps_none")),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  };
  get();
  return h("div", { class: "field" }, h("span", { class: "label", text: t("gps_label") }), " ", out,
    h("button", { type: "button", class: "secondary", onclick: get, text: t("gps_get") }));
}

// A camera photo scaled down on the phone to at most 1024 px on its long side, as JPEG of at most
// 500 KB (the server refuses more).
async function scalePhoto(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  let quality = 0.82;
  let blob = null;
  do {
    blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    quality -= 0.15;
  } while (blob && blob.size > PHOTO_MAX_BYTES && quality > 0.2);
  if (!blob || blob.size > PHOTO_MAX_BYTES) throw new Error("too big");
  canvas.className = "thumb";
  return { blob, preview: canvas };
}

function photoControl(id, label, onPhoto) {
  const preview = h("div", { class: "photos", "aria-live": "polite" });
  const input = h("input", { id, type: "file", accept: "image/*", capture: "environment" });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      const { blob, preview: canvas } = await scalePhoto(file);
      const photoId = await store.photoAdd(blob);
      onPhoto(photoId);
      preview.append(canvas, h("small", { text: t("photo_taken", { kb: Math.ceil(blob.size / 1024) }) }));
    } catch (e) {
      preview.append(h("small", { class: "bad", text: t("photo_failed") }));
    }
    input.value = "";
  });
  return h("div", {}, field(id, label, input), preview);
}

function computeBill(stop, book, { units, kvah, md }) {
  if (!engine) return { bill: null, error: t("engine_missing") };
  if (!stop.bill_input || units === null) return { bill: null, error: null };
  try {
    return { bill: engine.computeBill(logic.billInput({ stop, tariffs: book.tariffs, units, kvah, md })), error: null };
  } catch (e) {
    return { bill: null, error: t("bill_error", { code: e.code || e.message }) };
  }
}

function readingForm(stop, book) {
  const state = { gps: null, photo: null, confirmed: false };
  const m = stop.meter;
  const status = h("select", { id: "status" }, FINDINGS.map((f) => h("option", { value: f.code, text: t(`status_${f.code}`) })));
  const kwh = h("input", { id: "kwh", inputmode: "decimal", autocomplete: "off", "aria-describedby": "questions" });
  const kvah = m?.kvah ? h("input", { id: "kvah", inputmode: "decimal", autocomplete: "off" }) : null;
  const md = m?.md ? h("input", { id: "md", inputmode: "decimal", autocomplete: "off" }) : null;
  const note = h("textarea", { id: "note", rows: "2" });
  const questions = h("div", { id: "questions", class: "questions", role: "alert", "data-testid": "questions" });
  const readingFields = h("div", {}, field("kwh", t("kwh_label"), kwh), kvah && field("kvah", t("kvah_label"), kvah), md && field("md", t("md_label"), md));
  status.addEventListener("change", () => {
    readingFields.hidden = !READ_STATUSES.includes(status.value);
    questions.replaceChildren();
    state.confirmed = false;
  });
  kwh.addEventListener("input", () => (state.confirmed = false));

  const save = async () => {
    questions.replaceChildren();
    const withReading = READ_STATUSES.includes(status.value);
    const value = kwh.value.trim();
    if (withReading && !value) {
      questions.append(h("p", { text: t("kwh_required") }));
      return kwh.focus();
    }
    if (withReading) {
      const asked = logic.readingQuestions({ kwh: value, last: stop.last_reading?.kwh, average: stop.average_units, multiplier: m?.multiplier, digits: m?.digits });
      const blocking = asked.filter((q) => q.code === "not_a_number");
      if (blocking.length || (asked.length && !state.confirmed)) {
        questions.append(
          h("p", { class: "strong", text: t("check_reading") }),
          ...asked.map((q) => h("p", { text: t(`q_${q.code}`, q) })),
          blocking.length ? null : h("div", { class: "actions" },
            h("button", { type: "button", class: "secondary", onclick: () => kwh.focus(), text: t("correct_it") }),
            h("button", { type: "button", class: "primary", "data-testid": "save-anyway", onclick: () => { state.confirmed = true; save(); }, text: t("save_anyway") }))
        );
        return;
      }
      for (const extra of [kvah, md]) if (extra && extra.value.trim() && !logic.isDecimal(extra.value)) {
        questions.append(h("p", { text: t("q_not_a_number") }));
        return extra.focus();
      }
    }
    const units = withReading && status.value === "OK" ? logic.unitsFrom({ kwh: value, last: stop.last_reading?.kwh, multiplier: m?.multiplier, digits: m?.digits }).units : null;
    const fresh = await store.book(); // the stored tariffs as they are now
    const { bill, error } = status.value === "OK" ? computeBill(stop, fresh, { units, kvah: kvah?.value.trim() || null, md: md?.value.trim() || null }) : { bill: null, error: null };
    const payload = {
      order_id: stop.order_id,
      account_number: stop.account_number,
      reading_date: localDate(),
      taken_at: new Date().toISOString(),
      status: logic.findingStatus(status.value),
      finding: status.value,
      kwh: withReading ? value : null,
      kvah: withReading && kvah?.value.trim() ? kvah.value.trim() : null,
      max_demand: withReading && md?.value.trim() ? md.value.trim() : null,
      note: logic.findingNote(status.value, note.value.trim()),
      gps: state.gps,
      photo_id: state.photo,
      engine_version: engine?.ENGINE_VERSION ?? null,
      tariff_versions: bill ? logic.tariffVersionsUsed({ stop, tariffs: fresh.tariffs }) : [],
      device_bill: bill,
    };
    await store.outboxAdd({ kind: "reading", ref: `stop:${stop.order_id}`, payload, extra: { units, bill_error: error, label: `${stop.name} · ${stop.account_number}` } });
    toast(t("saved"), "ok");
    route({ focus: true });
    if (navigator.onLine) runSync({ quiet: true });
  };

  return h(
    "form",
    { class: "card", "data-testid": "reading-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); save(); } },
    field("status", t("status_label"), status),
    readingFields,
    photoControl("photo", t("photo_label"), (id) => (state.photo = id)),
    gpsControl(state),
    field("note", t("note_label"), note),
    questions,
    h("button", { type: "submit", class: "primary", "data-testid": "save-reading", text: t("save_reading") })
  );
}

function billTable(bill) {
  return h(
    "table",
    { class: "bill", "data-testid": "bill" },
    h("tbody", {},
      bill.lines.filter((l) => l.head !== "round_off").map((l) => h("tr", {}, h("td", { text: l.description }), h("td", { class: "num", text: l.amount }))),
      h("tr", { class: "sum" }, h("td", { text: t("total") }), h("td", { class: "num", text: bill.total })),
      h("tr", {}, h("td", { text: t("round_off") }), h("td", { class: "num", text: bill.round_off })),
      h("tr", { class: "sum" }, h("th", { scope: "row", text: t("payable") }), h("td", { class: "num", "data-testid": "payable", text: rupees(bill.payable) }))
    )
  );
}

function serverNote(item) {
  const out = [];
  if (item.state !== "pending") out.push(h("p", { class: `badge ${item.state}`, "data-testid": "result", text: t(`result_${item.state}`) }));
  if (item.detail && item.state !== "accepted" && item.state !== "duplicate") out.push(h("p", { class: "detail", text: item.detail }));
  if (item.server?.bill_number) out.push(h("p", { text: t("office_bill", { number: item.server.bill_number, payable: item.server.payable }) }));
  if (item.server?.mismatch) out.push(h("p", { class: "alert warn", "data-testid": "mismatch", text: t("mismatch", { payable: item.server.payable }) }));
  return out;
}

async function printControls(kind, item) {
  const width = h("select", { id: `width-${item.client_id}` }, h("option", { value: "58", text: t("print_58") }), h("option", { value: "80", text: t("print_80") }));
  width.value = localStorage.getItem("field-print-width") || "58";
  width.addEventListener("change", () => localStorage.setItem("field-print-width", width.value));
  const buttons = [
    h("a", { class: "button secondary", href: `#/print/${kind}/${item.client_id}`, "data-testid": `print-page-${kind}`, text: t("print_page") }),
  ];
  if (printer && navigator.bluetooth) {
    buttons.unshift(h("button", { type: "button", class: "secondary", onclick: () => printBluetooth(kind, item, Number(width.value)), text: t("print_bt") }));
  }
  return h("div", { class: "print" }, field(`width-${item.client_id}`, t("print_width"), width), h("div", { class: "actions" }, buttons),
    (item.prints || []).length ? h("small", { text: t("reprint_duplicate") }) : null);
}

// A print attempt is kept on its document and sent to the server as a "print" item once the document
// has a number there (a bill's number comes with the reading's answer; a receipt's is the device's).
async function printAttempt(item, { width, ok }) {
  const fresh = await store.outboxGet(item.client_id);
  const prints = fresh.prints || [];
  prints.push({ copy: prints.length ? "duplicate" : "original", width_mm: width, ok, at: new Date().toISOString(), queued: false });
  await store.outboxPut({ ...fresh, prints });
  return prints[prints.length - 1];
}

// What print.js lays out: the engine's bill with the consumer's particulars, or the receipt.
async function printDocument(kind, item) {
  const p = item.payload;
  const book = await store.book();
  const stop = p.order_id ? await store.stop(p.order_id) : (await store.stops()).find((s) => s.account_number === p.account_number);
  const common = {
    account_number: p.account_number,
    name: stop?.name || item.name || "",
    address: stop ? [stop.address, stop.village].filter(Boolean).join(", ") : "",
    reader: book?.reader?.name || "",
    office: book?.reader?.office || "",
  };
  if (kind === "receipt") {
    return { ...common, receipt_number: p.receipt_number, paid_at: p.paid_at, amount: p.amount, bill_number: p.bill_number || "" };
  }
  const period = book?.books?.find((b) => b.id === stop?.book_id)?.period || p.reading_date.slice(0, 7);
  return {
    ...p.device_bill,
    ...common,
    bill_number: item.server?.bill_number || "",
    bill_date: p.reading_date,
    period,
    meter_serial: stop?.meter?.serial || "",
    reading: { previous: stop?.last_reading?.kwh ?? "", current: p.kwh, units: item.units, date: p.reading_date, status: p.status },
  };
}

async function printBluetooth(kind, item, width) {
  const copy = (item.prints || []).length ? "duplicate" : "original";
  try {
    const doc = await printDocument(kind, item);
    const opts = { widthMm: width, lang: currentLanguage(), duplicate: copy === "duplicate" };
    const bytes = kind === "bill" ? await printer.encodeBill(doc, opts) : await printer.encodeReceipt(doc, opts);
    await printer.printBytes(bytes);
    await printAttempt(item, { width, ok: true });
    toast(t("printed"), "ok");
  } catch (e) {
    await printAttempt(item, { width, ok: false });
    toast(t("print_failed", { reason: e.message }), "bad");
  }
  route();
}

async function queuePrints() {
  let queued = 0;
  for (const item of await store.outboxAll()) {
    if (!item.prints?.some((p) => !p.queued)) continue;
    const number = item.kind === "payment" ? { receipt_number: item.payload.receipt_number } : item.server?.bill_number ? { bill_number: item.server.bill_number } : null;
    if (!number) continue;
    for (const p of item.prints.filter((p) => !p.queued)) {
      await store.outboxAdd({ kind: "print", ref: item.ref, payload: { ...number, copy: p.copy, width_mm: p.width_mm, ok: p.ok, at: p.at }, extra: { label: item.label } });
      p.queued = true;
      queued += 1;
    }
    await store.outboxPut(item);
  }
  return queued;
}

function paymentForm(stop, reading) {
  const amount = h("input", { id: "amount", inputmode: "decimal", autocomplete: "off", value: reading?.payload.device_bill?.payable || stop.arrears || "" });
  const error = h("p", { class: "bad", role: "alert" });
  const take = async (e) => {
    e.preventDefault();
    const money = logic.moneyText(amount.value);
    if (!money) {
      error.textContent = t("amount_invalid");
      return amount.focus();
    }
    const book = await store.book();
    const receipt = logic.receiptNumber(book.receipts.prefix, await store.receiptTake());
    const item = await store.outboxAdd({
      kind: "payment",
      ref: `stop:${stop.order_id}`,
      payload: { account_number: stop.account_number, amount: money, receipt_number: receipt, paid_at: new Date().toISOString(), bill_number: reading?.server?.bill_number || null },
      extra: { label: `${stop.name} · ${stop.account_number}`, name: stop.name },
    });
    location.hash = `#/print/receipt/${item.client_id}`;
    if (navigator.onLine) runSync({ quiet: true });
  };
  return h("form", { class: "card", novalidate: true, onsubmit: take, "data-testid": "payment-form" },
    h("h2", { text: t("collect_cash") }), field("amount", t("amount_label"), amount), error,
    h("button", { type: "submit", class: "primary", text: t("take_payment") }));
}

async function stopView(id) {
  const stop = await store.stop(id);
  const book = await store.book();
  if (!stop) return [h("p", { text: t("not_found") }), h("a", { href: "#/", text: t("back") })];
  const items = await store.outboxFor(`stop:${stop.order_id}`);
  const reading = items.find((i) => i.kind === "reading" && i.state !== "rejected");
  const rejected = items.filter((i) => i.kind === "reading" && i.state === "rejected");
  const payments = items.filter((i) => i.kind === "payment");
  const out = [h("a", { href: "#/", class: "back", text: `← ${t("back")}` }), ...stopFacts(stop)];
  if (!reading) {
    for (const r of rejected) {
      out.push(h("section", { class: "card", "data-testid": "rejected-reading" },
        h("p", { text: r.payload.kwh !== null ? t("reading_value", { kwh: r.payload.kwh }) : t(`status_${r.payload.finding || r.payload.status}`) }), ...serverNote(r)));
    }
    out.push(readingForm(stop, book));
    return out;
  }
  const p = reading.payload;
  out.push(
    h("section", { class: "card", "data-testid": "recorded" },
      h("h2", { text: t("recorded_reading") }),
      h("p", { text: p.kwh !== null ? t("reading_value", { kwh: p.kwh }) : t(`status_${p.finding || p.status}`) }),
      reading.units ? h("p", { text: t("units_billed", { units: reading.units }) }) : null,
      ...serverNote(reading))
  );
  if (p.device_bill) {
    out.push(h("section", { class: "card" }, h("h2", { text: t("bill_title") }), billTable(p.device_bill), await printControls("bill", reading)));
  } else {
    out.push(h("p", { class: "alert", "data-testid": "no-bill", text: reading.bill_error || t("bill_not_computed") }));
  }
  if (payments.length) {
    out.push(h("section", { class: "card" }, h("h2", { text: t("payments_here") }),
      h("ul", { class: "links" }, payments.map((pay) => h("li", {}, h("a", { href: `#/print/receipt/${pay.client_id}`, text: `${pay.payload.receipt_number}: ${rupees(pay.payload.amount)}` }), " ", serverNote(pay))))));
  }
  out.push(paymentForm(stop, reading));
  return out;
}

// --- printable page (the fallback for any printer the phone can print to) -----------------------

async function printView(kind, clientId) {
  const item = await store.outboxGet(clientId);
  if (!item) return [h("p", { text: t("not_found") })];
  const stop = item.payload.order_id ? await store.stop(item.payload.order_id) : (await store.stops()).find((s) => s.account_number === item.payload.account_number);
  const book = await store.book();
  const width = localStorage.getItem("field-print-width") || "58";
  const duplicate = (item.prints || []).length > 0;
  const doc = h("article", { class: `print-doc w${width}`, "data-testid": "print-doc" },
    h("h1", { text: kind === "bill" ? t("bill_title") : t("receipt_title") }),
    duplicate ? h("p", { class: "dup", text: t("duplicate") }) : null,
    dl([
      [t("account"), item.payload.account_number],
      [t("received_from"), stop?.name || item.name],
      [t("address"), stop ? [stop.address, stop.village].filter(Boolean).join(", ") : null],
      [t("meter"), stop?.meter?.serial],
    ]),
    kind === "bill" && item.payload.device_bill
      ? [h("p", { text: `${t("reading_value", { kwh: item.payload.kwh })} · ${t("units_billed", { units: item.units })}` }), billTable(item.payload.device_bill), h("p", { class: "small", text: t("provisional") })]
      : null,
    kind === "receipt"
      ? dl([[t("receipt_number"), item.payload.receipt_number], [t("amount"), rupees(item.payload.amount)], [t("paid_at"), localTime(item.payload.paid_at)]])
      : null,
    h("p", { class: "small", text: `${book?.reader?.name || ""} · ${localTime(item.created_at)}` })
  );
  const print = async () => {
    await printAttempt(item, { width: Number(width), ok: true });
    window.print();
    route();
  };
  return [
    h("div", { class: "actions no-print" },
      h("a", { class: "button secondary", href: stop ? `#/stop/${stop.order_id}` : "#/", text: `← ${t("back")}` }),
      h("button", { type: "button", class: "primary", onclick: print, "data-testid": "print-now", text: t("print_page") })),
    doc,
  ];
}

// --- work orders --------------------------------------------------------------------------------

async function ordersView() {
  const orders = await store.workOrders();
  if (!orders.length) return [h("p", { text: (await store.book()) ? t("orders_none") : t("no_book") })];
  const done = new Map((await store.outboxAll()).filter((i) => i.kind === "work_order").map((i) => [i.payload.order_id, i]));
  return h("ul", { class: "stops", "data-testid": "orders" }, orders.map((o) =>
    h("li", {}, h("a", { href: `#/order/${o.id}`, "data-testid": "order", dataset: { orderId: o.id, done: done.has(o.id) ? "1" : "0" } },
      h("span", { class: "who" }, h("strong", { text: `${t(`order_kind_${o.kind}`)} · ${o.reference}` }), h("small", { text: `${o.name} · ${o.account_number}` })),
      h("span", { class: `badge ${done.has(o.id) ? "ok" : ""}`, text: done.has(o.id) ? t("order_done") : o.due_at ? localDate(new Date(o.due_at)) : "" })))));
}

async function orderView(id) {
  const order = await store.workOrder(id);
  if (!order) return [h("p", { text: t("not_found") })];
  const out = [
    h("a", { href: "#/orders", class: "back", text: `← ${t("back")}` }),
    h("h1", { text: `${t(`order_kind_${order.kind}`)} · ${order.reference}` }),
    dl([
      [t("account"), order.account_number], [t("received_from"), order.name], [t("address"), order.address],
      [t("reason"), order.reason], [t("due"), order.due_at ? localTime(order.due_at) : null],
      [t("meter"), order.meter?.serial], [t("last_reading"), order.last_reading ? `${order.last_reading.kwh ?? "—"} (${order.last_reading.date})` : null],
    ]),
  ];
  const done = (await store.outboxFor(`wo:${order.id}`)).find((i) => i.kind === "work_order");
  if (done) {
    out.push(h("section", { class: "card", "data-testid": "order-done" }, h("h2", { text: t("order_done") }),
      h("p", { text: t(`outcome_${done.payload.outcome}`) }), done.payload.result.remarks ? h("p", { text: done.payload.result.remarks }) : null, ...serverNote(done)));
    return out;
  }
  const state = { gps: null, photos: [] };
  const outcome = h("select", { id: "outcome" }, h("option", { value: "done", text: t("outcome_done") }), h("option", { value: "not_done", text: t("outcome_not_done") }));
  const inputs = {};
  const fields = [];
  if (order.kind === "meter_replacement") {
    inputs.old_final_kwh = h("input", { id: "old_final", inputmode: "decimal" });
    fields.push(field("old_final", t("old_final_label"), inputs.old_final_kwh));
  }
  if (order.kind === "meter_replacement" || order.kind === "meter_installation") {
    inputs.new_meter_serial = h("input", { id: "new_serial", autocomplete: "off" });
    inputs.new_initial_kwh = h("input", { id: "new_initial", inputmode: "decimal" });
    fields.push(field("new_serial", t("new_serial_label"), inputs.new_meter_serial), field("new_initial", t("new_initial_label"), inputs.new_initial_kwh));
  } else {
    inputs.kwh = h("input", { id: "wo_kwh", inputmode: "decimal" });
    fields.push(field("wo_kwh", t("kwh_label"), inputs.kwh));
  }
  let notice = null;
  if (order.kind === "disconnection") {
    notice = h("input", { id: "notice", type: "checkbox" });
    fields.push(h("p", { class: "check" }, notice, h("label", { for: "notice", text: t("notice_delivered") })));
  }
  const remarks = h("textarea", { id: "remarks", rows: "3" });
  const error = h("div", { role: "alert", class: "questions" });
  const save = async (e) => {
    e.preventDefault();
    error.replaceChildren();
    if (outcome.value === "not_done" && !remarks.value.trim()) {
      error.append(h("p", { text: t("remarks_required") }));
      return remarks.focus();
    }
    const values = {};
    for (const [key, input] of Object.entries(inputs)) {
      const v = input.value.trim();
      if (!v) continue;
      if (key !== "new_meter_serial" && !logic.isDecimal(v)) {
        error.append(h("p", { text: t("q_not_a_number") }));
        return input.focus();
      }
      values[key] = v;
    }
    const result = { readings: values, remarks: remarks.value.trim(), gps: state.gps, photo_ids: state.photos };
    if (notice) result.notice_delivered = notice.checked;
    await store.outboxAdd({ kind: "work_order", ref: `wo:${order.id}`, payload: { order_id: order.id, outcome: outcome.value, result }, extra: { label: `${order.reference} · ${order.name}` } });
    toast(t("order_saved"), "ok");
    route({ focus: true });
    if (navigator.onLine) runSync({ quiet: true });
  };
  out.push(h("form", { class: "card", novalidate: true, onsubmit: save, "data-testid": "order-form" },
    field("outcome", t("outcome_label"), outcome), fields,
    photoControl("wo_photo", t("photos_label"), (pid) => state.photos.push(pid)),
    gpsControl(state), field("remarks", t("remarks_label"), remarks), error,
    h("button", { type: "submit", class: "primary", "data-testid": "save-order", text: t("complete_order") })));
  return out;
}

// --- outbox and sync ----------------------------------------------------------------------------

async function runSync({ quiet = false } = {}) {
  if (syncing) return;
  if (!navigator.onLine) {
    if (!quiet) toast(t("need_network"), "bad");
    return;
  }
  syncing = true;
  if (!quiet) toast(t("syncing"));
  try {
    const user = await sessionUser(body.dataset.session);
    if (!user) throw new SignedOut();
    await queuePrints();
    let summary = await syncOutbox({ api: API, user });
    if (await queuePrints()) {
      const more = await syncOutbox({ api: API, user });
      summary = { accepted: summary.accepted + more.accepted, problems: summary.problems + more.problems };
    }
    signedOut = false;
    if (!quiet || summary.problems) toast(t("synced", summary), summary.problems ? "warn" : "ok");
  } catch (e) {
    if (e instanceof SignedOut) {
      signedOut = true;
      toast(t("signed_out"), "bad");
    } else {
      toast(t("sync_failed", { reason: e.message }), "bad");
    }
  } finally {
    syncing = false;
    body.dataset.synced = String(Date.now());
    route();
  }
}

async function outboxView() {
  const items = (await store.outboxAll()).reverse();
  const pending = items.filter((i) => !logic.isSettled(i.state)).length;
  return [
    h("h1", { text: t("outbox_title") }),
    h("p", { "data-testid": "pending", text: t("pending_count", { n: pending }) }),
    signedOut ? signInLink() : null,
    h("button", { type: "button", class: "primary", "data-testid": "sync", onclick: () => runSync(), disabled: syncing, text: syncing ? t("syncing") : t("sync_now") }),
    items.length
      ? h("ul", { class: "outbox" }, items.map((item) =>
          h("li", { "data-testid": "outbox-item", dataset: { kind: item.kind, state: item.state, clientId: item.client_id } },
            h("strong", { text: `${t(`kind_${item.kind}`)} · ${item.label || ""}` }),
            h("small", { text: ` ${localTime(item.created_at)}` }),
            item.state === "pending" ? h("p", { class: "badge", text: t("result_pending") }) : null,
            ...serverNote(item),
            item.photos_pending?.length ? h("p", { class: "small", text: t("photo_upload_failed") }) : null)))
      : h("p", { text: t("outbox_empty") }),
  ];
}

async function moreView() {
  const book = await store.book();
  const pending = (await store.outboxAll()).filter((i) => !logic.isSettled(i.state)).length;
  const csrf = (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || "";
  return [
    h("h1", { text: t("more_title") }),
    dl([
      [t("reader"), book ? `${book.reader.name} (${book.reader.username}, ${book.reader.office})` : null],
      [t("downloaded_at"), book ? localTime(book.downloaded_at) : null],
      [t("books"), book ? book.books.map((b) => `${b.code} ${b.name} (${b.period})`).join("; ") : null],
      [t("engine_version"), `${engine?.ENGINE_VERSION ?? "—"} / ${book?.engine?.python_version ?? "—"}`],
      [t("device"), await store.deviceId()],
    ]),
    h("button", { type: "button", class: "primary", "data-testid": "download", onclick: downloadBook, text: t("download_book") }),
    h("form", { method: "post", action: body.dataset.logout, class: "card" },
      h("input", { type: "hidden", name: "csrfmiddlewaretoken", value: decodeURIComponent(csrf) }),
      pending ? h("p", { class: "alert warn", text: t("sign_out_pending", { n: pending }) }) : null,
      h("button", { type: "submit", class: "secondary", text: t("sign_out") })),
  ];
}

// --- routing ------------------------------------------------------------------------------------

async function route({ focus = false } = {}) {
  paintChrome();
  const [, name, a, b] = (location.hash || "#/").split("/");
  let content;
  if (name === "stop") content = await stopView(a);
  else if (name === "orders") content = await ordersView();
  else if (name === "order") content = await orderView(a);
  else if (name === "outbox") content = await outboxView();
  else if (name === "more") content = await moreView();
  else if (name === "print") content = await printView(a, b);
  else content = await stopsView();
  view.replaceChildren(...[content].flat(Infinity).filter(Boolean));
  body.dataset.ready = "1";
  if (focus) view.focus();
}

async function start() {
  try {
    engine = await import("./engine.js");
  } catch (e) {
    engine = null;
  }
  try {
    printer = await import("./print.js");
  } catch (e) {
    printer = null;
  }
  await route();
  if (navigator.onLine && !(await store.book())) await downloadBook();
  else if (navigator.onLine) runSync({ quiet: true });
}

start();
