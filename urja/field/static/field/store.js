// What the phone keeps (IndexedDB through the vendored `idb`): the downloaded book, the outbox of
// everything recorded (each item with its client id, sent until the server has answered it) and the
// photos waiting to be uploaded.
import { openDB } from "./vendor/idb.js";
import { uuid } from "./logic.js";

export const DB_NAME = "urja-field";

let dbPromise = null;

export function db() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore("meta");
        const stops = d.createObjectStore("stops", { keyPath: "order_id" });
        stops.createIndex("seq", ["book_id", "seq"]);
        d.createObjectStore("work_orders", { keyPath: "id" });
        const outbox = d.createObjectStore("outbox", { keyPath: "client_id" });
        outbox.createIndex("ref", "ref");
        outbox.createIndex("seq", "seq");
        d.createObjectStore("photos", { keyPath: "id" });
      },
    });
  }
  return dbPromise;
}

export async function getMeta(key) {
  return (await db()).get("meta", key);
}

export async function setMeta(key, value) {
  return (await db()).put("meta", value, key);
}

export async function deviceId() {
  let id = await getMeta("device_id");
  if (!id) {
    id = uuid();
    await setMeta("device_id", id);
  }
  return id;
}

// A newly downloaded book replaces the old one; the outbox is kept (what was recorded is never lost),
// and the receipt counter never goes back (a receipt number is used once).
export async function bookSave(book) {
  const d = await db();
  const tx = d.transaction(["meta", "stops", "work_orders"], "readwrite");
  const { stops, work_orders: orders, ...rest } = book;
  const previous = await tx.objectStore("meta").get("receipt_next");
  const next = Math.max(Number(previous || 0), Number(book.receipts?.next || 1));
  await tx.objectStore("meta").put(rest, "book");
  await tx.objectStore("meta").put(next, "receipt_next");
  await tx.objectStore("stops").clear();
  for (const stop of stops) await tx.objectStore("stops").put(stop);
  await tx.objectStore("work_orders").clear();
  for (const order of orders) await tx.objectStore("work_orders").put(order);
  await tx.done;
}

export async function book() {
  return getMeta("book");
}

export async function stops() {
  return (await db()).getAllFromIndex("stops", "seq");
}

export async function stop(orderId) {
  return (await db()).get("stops", Number(orderId));
}

export async function workOrders() {
  return (await db()).getAll("work_orders");
}

export async function workOrder(id) {
  return (await db()).get("work_orders", Number(id));
}

// The next receipt number of the reader's series, taken in one transaction so that two taps never
// share one.
export async function receiptTake() {
  const d = await db();
  const tx = d.transaction("meta", "readwrite");
  const next = Number((await tx.store.get("receipt_next")) || 1);
  await tx.store.put(next + 1, "receipt_next");
  await tx.done;
  return next;
}

// Each item remembers who recorded it (the book's reader), so that it is only ever sent in that
// user's session, even when someone else signs in on this phone later.
export async function outboxAdd({ kind, ref, payload, extra = {} }) {
  const d = await db();
  const owner = (await getMeta("book"))?.reader?.username || "";
  const item = {
    user: owner,
    client_id: uuid(),
    seq: Date.now() * 1000 + Math.floor(Math.random() * 1000),
    kind,
    ref,
    payload,
    state: "pending",
    detail: "",
    server: null,
    created_at: new Date().toISOString(),
    ...extra,
  };
  await d.put("outbox", item);
  return item;
}

export async function outboxAll() {
  return (await db()).getAllFromIndex("outbox", "seq");
}

export async function outboxFor(ref) {
  return (await db()).getAllFromIndex("outbox", "ref", ref);
}

export async function outboxGet(clientId) {
  return (await db()).get("outbox", clientId);
}

export async function outboxPut(item) {
  return (await db()).put("outbox", item);
}

export async function photoAdd(blob) {
  const id = uuid();
  await (await db()).put("photos", { id, blob, uploaded: false, created_at: new Date().toISOString() });
  return id;
}

export async function photoGet(id) {
  return (await db()).get("photos", id);
}

export async function photoPut(photo) {
  return (await db()).put("photos", photo);
}
